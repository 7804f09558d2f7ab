import CSQLite

/// One prepared SQL statement: typed binds (1-based, nil binds NULL), `step`, typed columns
/// (0-based, NULL reads as nil). Reused across samples: `reset` after each use.
///
///     let insert = try db.prepare("INSERT INTO texts(hash, text) VALUES (?1, ?2)")
///     insert.bind(1, hash); insert.bind(2, text)
///     try insert.run()
public final class Statement {
    let handle: OpaquePointer
    unowned let database: Database
    let path: String
    /// Set when the database closes first: the statement is finalized then, and does nothing more.
    private(set) var finalized = false

    init(_ handle: OpaquePointer, database: Database) {
        self.handle = handle
        self.database = database
        path = database.path
    }

    deinit { finalize() }

    func finalize() {
        guard !finalized else { return }
        finalized = true
        sqlite3_finalize(handle)
    }

    public func bind(_ i: Int32, _ value: Int64?) {
        guard !finalized else { return }
        if let value { sqlite3_bind_int64(handle, i, value) } else { sqlite3_bind_null(handle, i) }
    }

    public func bind(_ i: Int32, _ value: Int?) { bind(i, value.map(Int64.init)) }
    public func bind(_ i: Int32, _ value: Int32?) { bind(i, value.map(Int64.init)) }
    public func bind(_ i: Int32, _ value: Bool?) { bind(i, value.map { $0 ? Int64(1) : 0 }) }

    public func bind(_ i: Int32, _ value: Double?) {
        guard !finalized else { return }
        if let value, value.isFinite { sqlite3_bind_double(handle, i, value) } else { sqlite3_bind_null(handle, i) }
    }

    public func bind(_ i: Int32, _ value: String?) {
        guard !finalized else { return }
        guard let value else { sqlite3_bind_null(handle, i); return }
        // An empty text is text, not NULL: never a nil pointer.
        guard !value.isEmpty else { sqlite3_bind_text(handle, i, "", 0, pgtop_sqlite_transient()); return }
        var copy = value
        copy.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(handle, i, $0.baseAddress, Int32(bytes.count), pgtop_sqlite_transient())
            }
        }
    }

    /// Advances: true when a row is there to read, false when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        guard !finalized else { throw StoreError(.failed, "\(path): the recording is closed") }
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let error = database.error(rc)
        sqlite3_reset(handle)
        throw error
    }

    /// Steps to the end (an INSERT, an UPDATE), then resets for the next use.
    public func run() throws {
        defer { reset() }
        while try step() {}
    }

    /// Ready for the next binds and steps.
    public func reset() {
        guard !finalized else { return }
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    public func isNull(_ i: Int32) -> Bool { finalized || sqlite3_column_type(handle, i) == SQLITE_NULL }
    public func int64(_ i: Int32) -> Int64? { isNull(i) ? nil : sqlite3_column_int64(handle, i) }
    public func int(_ i: Int32) -> Int? { int64(i).map { Int(truncatingIfNeeded: $0) } }
    public func double(_ i: Int32) -> Double? { isNull(i) ? nil : sqlite3_column_double(handle, i) }
    public func bool(_ i: Int32) -> Bool? { int64(i).map { $0 != 0 } }

    public func text(_ i: Int32) -> String? {
        guard !finalized, let p = sqlite3_column_text(handle, i) else { return nil }
        let n = Int(sqlite3_column_bytes(handle, i))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
}
