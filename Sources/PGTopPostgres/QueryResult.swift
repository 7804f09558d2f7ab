import CLibPQ
import Glibc

/// The rows of a finished query, as text (nil is SQL NULL).
///
///     let r = try c.execute("SELECT 1 AS one, NULL AS nothing")
///     r.columns          // ["one", "nothing"]
///     r[0, "one"]        // "1"
///     r[0, "nothing"]    // nil
///
/// A result from the server keeps libpq's own copy and turns a value into a Swift string
/// only when asked: the refresh decodes thousands of rows straight from it (`withValue`)
/// without building a string per field first.
public struct QueryResult: Sendable {
    public let columns: [String]
    private let storage: Storage

    private enum Storage: Sendable {
        case texts([[String?]])
        case server(ServerResult)
    }

    public init(columns: [String], rows: [[String?]]) {
        self.columns = columns
        self.storage = .texts(rows)
    }

    init(_ result: ServerResult) {
        let res = result.res
        columns = (0..<PQnfields(res)).map { PGConnection.string(PQfname(res, $0)) }
        storage = .server(result)
    }

    public var rowCount: Int {
        switch storage {
        case .texts(let rows): return rows.count
        case .server(let r): return Int(PQntuples(r.res))
        }
    }

    /// Every value as text; builds them all, so meant for small results.
    public var rows: [[String?]] {
        switch storage {
        case .texts(let rows): return rows
        case .server:
            return (0..<rowCount).map { r in columns.indices.map { value(r, $0) } }
        }
    }

    /// The index of a column by name.
    public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }

    /// The value of `name` in row `row`.
    public subscript(row: Int, name: String) -> String? {
        guard let i = column(name), row >= 0, row < rowCount else { return nil }
        return value(row, i)
    }

    /// The value at `row`, `column` (both in range), nil for NULL. Invalid UTF-8 (a
    /// SQL_ASCII database) is repaired, never trusted.
    public func value(_ row: Int, _ column: Int) -> String? {
        withValue(row, column) { p, _ in p.map { String(cString: $0) } }
    }

    /// Calls `body` with the value's NUL-terminated bytes and their length, or nil for NULL or
    /// a column the row does not have; the pointer is valid only during the call.
    public func withValue<T>(_ row: Int, _ column: Int, _ body: (UnsafePointer<CChar>?, Int) -> T) -> T {
        switch storage {
        case .texts(let rows):
            guard row >= 0, row < rows.count, column >= 0, column < rows[row].count, let text = rows[row][column] else {
                return body(nil, 0)
            }
            return text.withCString { body($0, strlen($0)) }
        case .server(let r):
            let res = r.res
            guard row >= 0, row < PQntuples(res), column >= 0, column < PQnfields(res),
                  PQgetisnull(res, Int32(row), Int32(column)) == 0 else { return body(nil, 0) }
            return body(PQgetvalue(res, Int32(row), Int32(column)), Int(PQgetlength(res, Int32(row), Int32(column))))
        }
    }
}

/// libpq's result, freed with the last QueryResult that reads it. Never changed after
/// creation, so reading it from any thread is safe.
final class ServerResult: @unchecked Sendable {
    let res: OpaquePointer
    init(_ res: OpaquePointer) { self.res = res }
    deinit { PQclear(res) }
}
