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
}
