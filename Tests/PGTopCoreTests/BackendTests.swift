import Testing
@testable import PGTopCore

/// A backend is a value even though its texts share one box: changing a copy leaves the
/// original as it was, and equality sees every field.
@Suite struct BackendTests {
    @Test func copiesAreIndependent() {
        let original = backend(7, app: "orders-api", query: "SELECT 1", blockedBy: [3])
        var copy = original
        copy.query = "SELECT 2"
        copy.blockedBy.append(4)
        copy.application += "-v2"
        #expect(original.query == "SELECT 1" && original.blockedBy == [3] && original.application == "orders-api")
        #expect(copy.query == "SELECT 2" && copy.blockedBy == [3, 4] && copy.application == "orders-api-v2")
        #expect(copy != original)
        copy.query = "SELECT 1"
        copy.blockedBy = [3]
        copy.application = "orders-api"
        #expect(copy == original)  // equal texts in different boxes
    }

    @Test func equalityCoversTextsAndNumbers() {
        let a = backend(7)
        var b = a
        #expect(a == b)
        b.lockTarget = "orders row"
        #expect(a != b)
        var c = a
        c.queryAge = 11
        #expect(a != c)
        var d = a
        d.stateChange = 1
        #expect(a != d)
    }

    /// The flags kept beside the box follow the texts they come from, however they are set.
    @Test func flagsFollowTheirTexts() {
        var b = backend(7)
        #expect(b.isClientBackend && !b.isHidden)
        b.backendType = "autovacuum worker"
        #expect(!b.isClientBackend)
        let copy = b
        b.backendType = "client backend"
        #expect(b.isClientBackend && !copy.isClientBackend)
        b.query = "<insufficient privilege>"
        #expect(b.isHidden && !copy.isHidden)
        b.query = "SELECT 1"
        #expect(!b.isHidden)
        #expect(!backend(8, type: "walsender").isClientBackend)
        #expect(backend(9, query: "<insufficient privilege>").isHidden)
        #expect(StateCounts([backend(1, query: "<insufficient privilege>"), backend(2, type: "walsender")]).hidden == 1)
    }
}
