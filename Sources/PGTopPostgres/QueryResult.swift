import CLibPQ
import Glibc

/// The rows of a finished query, as text (nil is SQL NULL).
///
///     let r = try c.execute("SELECT 1 AS one, NULL AS nothing")
///     r.columns          // ["one", "nothing"]
///     r[0, "one"]        // "1"
///     r[0, "nothing"]    // nil
///
/// It keeps libpq's own result and turns a value into a Swift string only when asked: the
/// refresh decodes thousands of rows straight from it (`field`) without building a string per
/// field first. Rows given as text (tests) are copied into a libpq result of their own, so
/// both read alike.
public struct QueryResult: Sendable {
    public let columns: [String]
    let result: ServerResult

    init(_ result: ServerResult) {
        let res = result.res
        columns = (0..<PQnfields(res)).map { PGConnection.string(PQfname(res, $0)) }
        self.result = result
    }

    /// A result holding `rows` (nil is NULL; a row shorter than `columns` has NULLs after it).
    public init(columns: [String], rows: [[String?]]) {
        let res = PQmakeEmptyPGresult(nil, PGRES_TUPLES_OK)!
        var names = columns.map { strdup($0) }
        defer { names.forEach { free($0) } }
        var attributes = names.map { PGresAttDesc(name: $0, tableid: 0, columnid: 0, format: 0, typid: 25, typlen: -1, atttypmod: -1) }
        PQsetResultAttrs(res, Int32(columns.count), &attributes)
        for (r, row) in rows.enumerated() where !columns.isEmpty {
            PQsetvalue(res, Int32(r), 0, nil, -1)  // creates the row, every field NULL
            for (f, value) in row.prefix(columns.count).enumerated() {
                guard var value else { continue }
                value.withUTF8 { bytes in
                    _ = bytes.withMemoryRebound(to: CChar.self) { PQsetvalue(res, Int32(r), Int32(f), UnsafeMutablePointer(mutating: $0.baseAddress ?? QueryResult.empty), Int32(bytes.count)) }
                }
            }
        }
        self.init(ServerResult(res))
    }

    public var rowCount: Int { Int(PQntuples(result.res)) }

    /// Every value as text; builds them all, so meant for small results.
    public var rows: [[String?]] {
        (0..<rowCount).map { r in columns.indices.map { value(r, $0) } }
    }

    /// The bytes of all values together (NULL counts 0), without building strings.
    public var valueBytes: Int {
        let res = result.res
        var n = 0
        for r in 0..<PQntuples(res) { for f in 0..<PQnfields(res) { n += Int(PQgetlength(res, r, f)) } }
        return n
    }

    /// The index of a column by name.
    public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }

    /// The value of `name` in row `row`.
    public subscript(row: Int, name: String) -> String? {
        guard let i = column(name) else { return nil }
        return value(row, i)
    }

    /// The value at `row`, `column`, nil for NULL or out of range. Invalid UTF-8 (a SQL_ASCII
    /// database) is repaired, never trusted.
    public func value(_ row: Int, _ column: Int) -> String? {
        let res = result.res
        guard row >= 0, row < PQntuples(res), column >= 0, column < PQnfields(res),
              PQgetisnull(res, Int32(row), Int32(column)) == 0 else { return nil }
        return String(cString: PQgetvalue(res, Int32(row), Int32(column)))
    }

    /// The bytes of the value at `row`, `column` (NUL-terminated) and their count: empty for
    /// NULL, a column out of range (-1 included) or a row out of range. Valid while this
    /// result lives.
    func field(_ row: Int32, _ column: Int) -> (bytes: UnsafePointer<CChar>, count: Int) {
        let res = result.res
        guard column >= 0, column < columns.count, row >= 0, row < PQntuples(res) else { return (QueryResult.empty, 0) }
        let c = Int32(column)
        return (UnsafePointer(PQgetvalue(res, row, c)), Int(PQgetlength(res, row, c)))
    }

    nonisolated(unsafe) private static let empty: UnsafePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        p.pointee = 0
        return UnsafePointer(p)
    }()
}

/// libpq's result, freed with the last QueryResult that reads it. Never changed after
/// creation, so reading it from any thread is safe.
final class ServerResult: @unchecked Sendable {
    let res: OpaquePointer
    init(_ res: OpaquePointer) { self.res = res }
    deinit { PQclear(res) }
}
