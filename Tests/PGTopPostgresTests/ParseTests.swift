import Testing
@testable import PGTopPostgres
import PGTopCore

/// The refresh reads numbers and states straight from libpq's buffer: the parsers agree with
/// Swift's own on every form the server prints, and refuse what is not a whole value.
@Suite struct ParseTests {
    func double(_ s: String) -> Double? { s.withCString { Parse.double($0, s.utf8.count) } }
    func integer(_ s: String) -> Int64? { s.withCString { Parse.integer($0, s.utf8.count) } }
    func pids(_ s: String) -> [Int32] { s.withCString { Parse.pids($0, s.utf8.count) } }
    func state(_ s: String) -> BackendState { s.withCString { Parse.state($0, s.utf8.count) } }

    @Test(arguments: ["0", "1.5", "-0.5", "3600", "12.345678", "1732400000.123456", "1e-06", "2.5E+3",
                      "0.000001", "123456789012345678901234", "99999999999999999.9"])
    func doublesAsSwiftReadsThem(text: String) {
        let expected = Double(text)!
        let got = double(text)!
        #expect(abs(got - expected) <= abs(expected) * 1e-15)
    }

    @Test func notNumbers() {
        for text in ["", "-", ".", "1.5x", "NaN", "Infinity", "-inf", "1,5", " 1"] { #expect(double(text) == nil, "\(text)") }
        #expect(double("-1e400") == nil)
    }

    @Test func integers() {
        #expect(integer("42") == 42)
        #expect(integer("-7") == -7)
        #expect(integer("1700000000000000") == 1_700_000_000_000_000)
        #expect(integer("9223372036854775807") == Int64.max)
        #expect(integer("9223372036854775808") == nil)
        #expect(integer("") == nil && integer("-") == nil && integer("4x") == nil && integer("garbage") == nil)
    }

    @Test func pidLists() {
        #expect(pids("4211,4212") == [4211, 4212])
        #expect(pids("1,x,,3") == [1, 3])
        #expect(pids("") == [])
        #expect(pids("99999999999") == [])
    }

    @Test func states() {
        #expect(state("idle") == .idle)
        #expect(state("active") == .active)
        #expect(state("idle in transaction") == .idleInTransaction)
        #expect(state("idle in transaction (aborted)") == .idleInTransactionAborted)
        #expect(state("") == .none)
        #expect(state("something new") == .other("something new"))
    }

    /// A result kept as libpq's and one built from text decode alike.
    @Test func serverResultsReadLazily() throws {
        let c = try Shared.connect()
        defer { c.close() }
        let r = try c.execute("SELECT 1 AS one, NULL::text AS nothing, 'ünï' AS text, E'\\\\xff'::bytea AS raw FROM generate_series(1, 3)")
        #expect(r.rowCount == 3)
        #expect(r.columns == ["one", "nothing", "text", "raw"])
        #expect(r[2, "one"] == "1")
        #expect(r[0, "nothing"] == nil)
        #expect(r[1, "text"] == "ünï")
        #expect(r.value(0, 3) == "\\xff")
        #expect(r[3, "one"] == nil && r[0, "missing"] == nil)
        #expect(r.withValue(0, 9) { p, n in p == nil && n == 0 })
        #expect(r.rows == [[String?]](repeating: ["1", nil, "ünï", "\\xff"], count: 3))
    }
}
