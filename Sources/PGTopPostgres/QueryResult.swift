/// The rows of a finished query, as text (nil is SQL NULL).
///
///     let r = try c.execute("SELECT 1 AS one, NULL AS nothing")
///     r.columns          // ["one", "nothing"]
///     r[0, "one"]        // "1"
///     r[0, "nothing"]    // nil
public struct QueryResult: Sendable {
    public let columns: [String]
    public let rows: [[String?]]

    public init(columns: [String], rows: [[String?]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The index of a column by name.
    public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }

    /// The value of `name` in row `row`.
    public subscript(row: Int, name: String) -> String? {
        guard let i = column(name), rows.indices.contains(row) else { return nil }
        return rows[row][i]
    }
}
