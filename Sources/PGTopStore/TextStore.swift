import PGTopCore

/// Query texts stored once (`texts`), found by a 64-bit FNV-1a hash of their bytes and then
/// compared (two texts with one hash are two rows). The writer keeps the ids it knows in
/// memory; ids from a transaction that was rolled back are forgotten with it.
final class TextStore {
    private let find, insert: Statement
    private unowned let db: Database
    private var known: [String: Int64] = [:]
    private var uncommitted: [String] = []
    /// Texts kept in memory at most; past it the memory starts again (the rows stay).
    static let cacheLimit = 50_000

    init(_ db: Database) throws {
        self.db = db
        find = try db.prepare("SELECT id FROM texts WHERE hash = ?1 AND text = ?2")
        insert = try db.prepare("INSERT INTO texts(hash, text) VALUES (?1, ?2)")
    }

    func id(_ text: String) throws -> Int64 {
        if let id = known[text] { return id }
        let hash = Self.hash(text)
        find.bind(1, hash); find.bind(2, text)
        defer { find.reset() }
        let id: Int64
        if try find.step(), let found = find.int64(0) {
            id = found
        } else {
            insert.bind(1, hash); insert.bind(2, text)
            try insert.run()
            id = db.lastInsertedRow
        }
        if known.count >= Self.cacheLimit { known = [:] }
        known[text] = id
        uncommitted.append(text)
        return id
    }

    func commit() { uncommitted = [] }

    func forgetUncommitted() {
        for t in uncommitted { known[t] = nil }
        uncommitted = []
    }

    /// FNV-1a over the UTF-8 bytes, as a signed 64-bit integer (SQLite's INTEGER).
    static func hash(_ text: String) -> Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return Int64(bitPattern: h)
    }
}
