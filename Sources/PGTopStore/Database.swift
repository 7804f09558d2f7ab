import CSQLite
import Glibc

/// One SQLite connection. Nothing above this target sees a `sqlite3*`: it opens (never through
/// a symbolic link, never anything but a regular file), runs SQL, prepares `Statement`s, keeps
/// transactions and reads the pragmas a recording is recognised by. Every failure is a
/// one-line `StoreError`.
///
///     let db = try Database(path: "/tmp/r.pgtop", mode: .create)
///     try db.execute("PRAGMA journal_mode=WAL")
///     try db.transaction { try insert.run() }
public final class Database {
    public enum Mode: Sendable { case create, readWrite, readOnly }

    let handle: OpaquePointer
    public let path: String
    private var closed = false
    /// Every statement prepared here, finalized by `close` (SQLite closes for real only then).
    private var statements: [Weak] = []

    private struct Weak { weak var statement: Statement? }

    /// How long a statement waits for another connection's lock before it gives up (ms).
    public static let busyTimeout: Int32 = 5000

    public init(path: String, mode: Mode) throws {
        self.path = path
        try Self.checkRegularFile(path, mayBeMissing: mode == .create)
        var flags = SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOMUTEX
        switch mode {
        case .create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let detail = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw StoreError.sqlite(rc, detail, path: path)
        }
        handle = db
        sqlite3_busy_timeout(db, Self.busyTimeout)
    }

    deinit { close() }

    public var isOpen: Bool { !closed }

    public func close() {
        guard !closed else { return }
        closed = true
        for w in statements { w.statement?.finalize() }
        statements = []
        sqlite3_close_v2(handle)
    }

    /// Refuses what is not a plain file: a link (even to a regular file: a recording is written
    /// where it is named), a directory, a fifo, a device.
    static func checkRegularFile(_ path: String, mayBeMissing: Bool) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            if errno == ENOENT && mayBeMissing { return }
            throw StoreError(.cannotOpen, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        let type = st.st_mode & S_IFMT
        guard type == S_IFREG else {
            let what = type == S_IFLNK ? "a symbolic link" : type == S_IFDIR ? "a directory" : "not a regular file"
            throw StoreError(.notARegularFile, "refused \(path): \(what) (a recording must be a regular file)")
        }
    }

    /// The connection's last error for `code`, as a `StoreError`.
    func error(_ code: Int32) -> StoreError {
        StoreError.sqlite(code, String(cString: sqlite3_errmsg(handle)), path: path)
    }

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        guard rc == SQLITE_OK else {
            let detail = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            throw StoreError.sqlite(sqlite3_extended_errcode(handle), detail, path: path)
        }
    }

    public func prepare(_ sql: String) throws -> Statement {
        guard !closed else { throw StoreError(.failed, "\(path): the recording is closed") }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc) }
        let s = Statement(statement, database: self)
        statements.removeAll { $0.statement == nil }
        statements.append(Weak(statement: s))
        return s
    }

    /// The first column of the first row of `sql`, as an integer (nil: no row, or NULL).
    public func integer(_ sql: String) throws -> Int64? {
        let s = try prepare(sql)
        return try s.step() ? s.int64(0) : nil
    }

    /// Rows the last INSERT, UPDATE or DELETE changed.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// The rowid of the last row inserted on this connection.
    public var lastInsertedRow: Int64 { sqlite3_last_insert_rowid(handle) }

    /// `body` in one transaction (`BEGIN IMMEDIATE`: the write lock is taken at once); rolled
    /// back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if sqlite3_get_autocommit(handle) == 0 { _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
            throw error
        }
    }

    /// `PRAGMA application_id`: what tells a pgtop recording from any other SQLite file.
    public func applicationID() throws -> Int32 { Int32(truncatingIfNeeded: try integer("PRAGMA application_id") ?? 0) }
    public func setApplicationID(_ id: Int32) throws { try execute("PRAGMA application_id = \(id)") }
    /// `PRAGMA user_version`: the schema's version.
    public func userVersion() throws -> Int { Int(try integer("PRAGMA user_version") ?? 0) }
    public func setUserVersion(_ v: Int) throws { try execute("PRAGMA user_version = \(v)") }

    /// Write-ahead logging: readers (replay, `sqlite3`) read while the recorder writes, and a
    /// crash mid-sample leaves the file as of the last committed sample.
    public func useWriteAheadLog() throws {
        let s = try prepare("PRAGMA journal_mode = WAL")
        guard try s.step(), s.text(0) == "wal" else {
            throw StoreError(.failed, "\(path): the file system does not allow write-ahead logging")
        }
    }

    /// Bytes SQLite's pages take (page count times page size), for measurements and `--max-size`.
    public func byteSize() throws -> Int64 {
        (try integer("PRAGMA page_count") ?? 0) * (try integer("PRAGMA page_size") ?? 0)
    }

    /// Bytes of the pages in use: `byteSize` without the free pages a vacuum gives back.
    public func usedBytes() throws -> Int64 {
        let pages = try integer("PRAGMA page_count") ?? 0, free = try integer("PRAGMA freelist_count") ?? 0
        return (pages - free) * (try integer("PRAGMA page_size") ?? 0)
    }
}
