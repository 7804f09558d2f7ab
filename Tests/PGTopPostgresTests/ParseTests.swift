import Testing
@testable import PGTopPostgres
import PGTopCore

/// The refresh reads numbers and states straight from libpq's buffer: the parsers agree with
/// Swift's own on every form the server prints, and refuse what is not a whole value.
@Suite struct ParseTests {
    func integer(_ s: String) -> Int64? { s.withCString { Parse.integer($0, s.utf8.count) } }
    func pids(_ s: String) -> [Int32] { s.withCString { Parse.pids($0, s.utf8.count) } }
    func state(_ s: String) -> BackendState { s.withCString { Parse.state($0, s.utf8.count) } }

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

    /// The keys a delta refresh sends: the literals the server reads back as the same values.
    @Test func arrayLiterals() throws {
        #expect(ArrayLiteral.integers([]) == "{}")
        #expect(ArrayLiteral.integers([4211, 0, -7]) == "{4211,0,-7}")
        #expect(ArrayLiteral.integers([Int64.max, Int64.min]) == "{9223372036854775807,-9223372036854775808}")
        #expect(ArrayLiteral.booleans([]) == "{}" && ArrayLiteral.booleans([true, false]) == "{t,f}")
        let values = (0..<2000).map { Int64($0) * 1_000_003 - 999_999 }
        #expect(ArrayLiteral.integers(values) == "{" + values.map(String.init).joined(separator: ",") + "}")
    }

    @Test func repeatedTextIsReadOnce() {
        var column = Interned()
        let first = "orders-api".withCString { column.string($0, 10) }
        #expect(first == "orders-api")
        #expect("orders-api".withCString { column.string($0, 10) } == "orders-api")
        #expect("orders-apX".withCString { column.string($0, 10) } == "orders-apX")
        #expect("".withCString { column.string($0, 0) } == "")
        let bad: [CChar] = [0x61, -1, 0]  // "a\xff": repaired, never trusted
        #expect(bad.withUnsafeBufferPointer { column.string($0.baseAddress, 2) } == "a\u{FFFD}")
        #expect(bad.withUnsafeBufferPointer { column.string($0.baseAddress, 2) } == "a\u{FFFD}")
    }

    @Test func states() {
        #expect(state("idle") == .idle)
        #expect(state("active") == .active)
        #expect(state("idle in transaction") == .idleInTransaction)
        #expect(state("idle in transaction (aborted)") == .idleInTransactionAborted)
        #expect(state("") == .none)
        #expect(state("something new") == .other("something new"))
    }

    /// Rows given as text become a libpq result of their own: NULLs, short rows, invalid UTF-8.
    @Test func textRowsReadLikeServerRows() {
        let r = QueryResult(columns: ["a", "b"], rows: [["1", nil], ["x"], [], ["", "\u{0}z"], ["too", "many", "values"]])
        #expect(r.rowCount == 5)
        #expect(r.rows == [["1", nil], ["x", nil], [nil, nil], ["", ""], ["too", "many"]])
        #expect(QueryResult(columns: [], rows: [[]]).rowCount == 0)
    }

    /// A result kept as libpq's reads lazily.
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
        #expect(r.field(0, 9).count == 0 && r.field(0, -1).count == 0 && r.field(5, 0).count == 0)
        #expect(r.field(0, 1).count == 0 && r.field(0, 1).bytes[0] == 0)  // NULL reads as empty
        #expect(r.field(1, 0).count == 1 && r.field(1, 0).bytes[0] == 0x31)
        #expect(r.rows == [[String?]](repeating: ["1", nil, "ünï", "\\xff"], count: 3))
    }
}
