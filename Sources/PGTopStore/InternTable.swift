/// A value kept once in a table of its own and referred to by id: a query text (`texts`), what
/// a session was doing (`activities`). It names its table and columns and binds and reads
/// them; `InternTable` does the rest.
protocol Interned: Hashable {
    static var table: String { get }
    static var columns: [String] { get }
    /// Binds the value's columns, the first at `first`.
    func bind(_ s: Statement, from first: Int32)
    /// A 64-bit FNV-1a of the value's bytes (`FNV`).
    var hash: Int64 { get }
}

/// Values stored once (`Interned`), found by their hash and then compared column by column
/// (two values with one hash are two rows). The writer keeps the ids it knows in memory; ids
/// from a transaction that was rolled back are forgotten with it.
///
/// Each row's `last_us` is at most `refresh` older than the last span that used it (a value
/// used again is touched when its `last_us` is that old), so `prune` can remove the rows no
/// kept span uses: those with `last_us` before the oldest kept span's start minus `refresh`.
///
///     let texts = try InternTable<String>(db, refresh: 240_000_000)
///     let id = try texts.id("SELECT 1", at: t)
final class InternTable<Value: Interned> {
    private let find, insert, touch: Statement
    private unowned let db: Database
    let refresh: Int64
    private var known: [Value: (id: Int64, last: Int64)] = [:]
    private var uncommitted: [Value] = []
    /// Values kept in memory at most; past it the memory starts again (the rows stay).
    static var cacheLimit: Int { 50_000 }

    init(_ db: Database, refresh: Int64) throws {
        self.db = db
        self.refresh = refresh
        let columns = Value.columns
        let same = columns.enumerated().map { "\($1) IS ?\($0 + 2)" }.joined(separator: " AND ")
        find = try db.prepare("SELECT id, last_us FROM \(Value.table) WHERE hash = ?1 AND \(same)")
        let places = (0..<columns.count).map { "?\($0 + 3)" }.joined(separator: ", ")
        insert = try db.prepare("INSERT INTO \(Value.table)(hash, last_us, \(columns.joined(separator: ", "))) VALUES (?1, ?2, \(places))")
        touch = try db.prepare("UPDATE \(Value.table) SET last_us = ?2 WHERE id = ?1")
    }

    /// The value's id, stored now if it is new; used by a span that begins at `t`.
    func id(_ value: Value, at t: Int64) throws -> Int64 {
        if let k = known[value] {
            if t - k.last >= refresh { try mark(k.id, value, at: t) }
            return k.id
        }
        let hash = value.hash
        find.bind(1, hash)
        value.bind(find, from: 2)
        let found = try find.step() ? (id: find.int64(0) ?? 0, last: find.int64(1) ?? 0) : nil
        find.reset()
        if known.count >= Self.cacheLimit { known = [:] }
        uncommitted.append(value)
        if let found {
            known[value] = found
            if t - found.last >= refresh { try mark(found.id, value, at: t) }
            return found.id
        }
        insert.bind(1, hash); insert.bind(2, t)
        value.bind(insert, from: 3)
        try insert.run()
        let id = db.lastInsertedRow
        known[value] = (id, t)
        return id
    }

    private func mark(_ id: Int64, _ value: Value, at t: Int64) throws {
        touch.bind(1, id); touch.bind(2, t)
        try touch.run()
        known[value] = (id, t)
        uncommitted.append(value)
    }

    func commit() { uncommitted = [] }

    func forgetUncommitted() {
        for v in uncommitted { known[v] = nil }
        uncommitted = []
    }

    /// Forgets every id: rows were removed (`prune`).
    func forgetAll() {
        known = [:]
        uncommitted = []
    }
}

/// FNV-1a, 64 bits, as a signed integer (SQLite's INTEGER).
struct FNV {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 { add(byte) }
    }

    mutating func add(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x100_0000_01b3
    }

    /// A separator between fields, and what tells nil from "".
    mutating func add(_ text: String?) {
        if let text { add(1); add(text) } else { add(0) }
        add(0xff)
    }

    mutating func add(_ n: Int64?) { add(n.map(String.init)) }

    var signed: Int64 { Int64(bitPattern: value) }

    static func hash(_ text: String) -> Int64 {
        var h = FNV()
        h.add(text)
        return h.signed
    }
}

extension String: Interned {
    static var table: String { "texts" }
    static var columns: [String] { ["text"] }
    func bind(_ s: Statement, from first: Int32) { s.bind(first, self) }
    var hash: Int64 { FNV.hash(self) }
}
