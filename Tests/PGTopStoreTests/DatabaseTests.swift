import Testing
@testable import PGTopStore

/// The SQLite wrapper: typed binds and columns, transactions, pragmas.
@Suite struct DatabaseTests {
    @Test func valuesGoInAndComeBackTyped() throws {
        let db = try Database(path: Scratch.directory("types") + "/t.db", mode: .create)
        try db.execute("CREATE TABLE t(i INTEGER, d REAL, s TEXT, b INTEGER)")
        let insert = try db.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)")
        let rows: [(Int64?, Double?, String?, Bool?)] = [
            (Int64.max, 0.25, "idle in transaction", true), (nil, nil, nil, nil), (-1, -1e300, "", false),
            (0, .nan, "naïve ünïcode \u{1F600}\0after a NUL", nil),
        ]
        for r in rows {
            insert.bind(1, r.0); insert.bind(2, r.1); insert.bind(3, r.2); insert.bind(4, r.3)
            try insert.run()
        }
        let select = try db.prepare("SELECT i, d, s, b FROM t ORDER BY rowid")
        var back: [(Int64?, Double?, String?, Bool?)] = []
        while try select.step() { back.append((select.int64(0), select.double(1), select.text(2), select.bool(3))) }
        #expect(back.count == 4)
        #expect(back[0].0 == .max && back[0].1 == 0.25 && back[0].2 == "idle in transaction" && back[0].3 == true)
        #expect(back[1].0 == nil && back[1].1 == nil && back[1].2 == nil && back[1].3 == nil)
        #expect(back[2].2 == "" && back[2].3 == false && back[2].1 == -1e300)  // empty text is not NULL
        #expect(back[3].1 == nil && back[3].2 == "naïve ünïcode \u{1F600}\0after a NUL")  // NaN is stored as NULL
    }

    @Test func aTransactionThatThrowsLeavesNothing() throws {
        let db = try Database(path: Scratch.directory("txn") + "/t.db", mode: .create)
        try db.execute("CREATE TABLE t(x INTEGER PRIMARY KEY)")
        try db.transaction { try db.execute("INSERT INTO t VALUES (1)") }
        #expect(throws: StoreError.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (2)")
                try db.execute("INSERT INTO t VALUES (1)")  // a constraint: the whole transaction goes
            }
        }
        #expect(try db.integer("SELECT group_concat(x) FROM t") == 1)
        try db.setApplicationID(RecordingSchema.applicationID)
        try db.setUserVersion(3)
        #expect(try db.applicationID() == 0x7067_7470 && db.userVersion() == 3)
    }

    @Test func aClosedDatabaseRefusesInOneLineInsteadOfCrashing() throws {
        let path = Scratch.directory("closed") + "/t.db"
        let db = try Database(path: path, mode: .create)
        let s = try db.prepare("SELECT 1")
        db.close()
        #expect(throws: StoreError(.failed, "\(path): the recording is closed")) { try s.step() }
        #expect(throws: StoreError(.failed, "\(path): the recording is closed")) { _ = try db.prepare("SELECT 1") }
    }
}
