import Glibc
import PGTopCore

/// Writes a recording: one transaction per sample, holding only what changed since the sample
/// before (`SpanTracker` decides, `RecordingDiff` says): new sessions, the spans that ended
/// (their length set), the spans that began (`SpanRow`), the query texts and activities not
/// stored yet (`InternTable`), and the sample's figures. A failed sample (disk full) is rolled back whole and the tracker with it, so the
/// next sample writes everything that changed since the last one that was committed.
///
///     let writer = try RecordingWriter(path: file, meta: ["server": "db1:5432/shop"])
///     try writer.write(backends, figures: SampleFigures(backends, server: info, idleWarn: 60), at: clockMicros)
public final class RecordingWriter {
    public let path: String
    let db: Database
    private let lock: WriterLock
    private(set) var tracker: SpanTracker
    /// What is written of each session the tracker has: its row, the application it was first
    /// seen with (a span stores one only when it differs), when its open span began.
    private var written: [BackendID: Written] = [:]
    private struct Written {
        var row: Int64
        var application: String
        var openFrom: Int64?
    }
    let texts: InternTable<String>
    let activities: InternTable<Activity>
    private let insertSample, insertSession, endSession, insertSpan, closeSpan, insertAction, insertOutage: Statement

    /// Creates the file (0600) or appends to a recording of this schema; refuses anything else
    /// (`StoreError`: another pgtop writing it, not a recording, a newer schema, not a regular file).
    public init(path: String, meta: [String: String] = [:], rollover: Int64 = SpanTracker.defaultRollover) throws {
        self.path = path
        lock = try WriterLock(recording: path)
        let old = umask(0o077)
        defer { umask(old) }
        let db = try Database(path: path, mode: .create)
        self.db = db
        let existing = try RecordingSchema.check(db)
        // Incremental auto-vacuum can only be chosen before the first table (and before WAL):
        // pruning old samples (`--retain`, `--max-size`) can then give the space back.
        if !existing { try db.execute("PRAGMA auto_vacuum = INCREMENTAL") }
        try db.useWriteAheadLog()
        // A committed sample survives a crash of pgtop; only a power loss may lose the last ones.
        try db.execute("PRAGMA synchronous = NORMAL")
        // What a prune frees is not zeroed page by page (Debian's SQLite defaults to ON): that
        // would write every freed page once more. A write-ahead log a large prune grew is cut
        // back to this at the next checkpoint.
        try db.execute("PRAGMA secure_delete = FAST")
        try db.execute("PRAGMA journal_size_limit = \(Self.walLimit)")
        var meta = meta
        meta["span_rollover_us"] = "\(rollover)"
        if existing {
            try db.transaction { try Self.closeLeftOpen(db) }
        } else {
            try RecordingSchema.install(db, meta: meta)
        }
        let rollover = Int64(try db.integer("SELECT value FROM meta WHERE key = 'span_rollover_us'") ?? rollover)
        tracker = SpanTracker(rollover: rollover, staggered: true)
        texts = try InternTable(db, refresh: 2 * rollover)
        activities = try InternTable(db, refresh: 2 * rollover)
        insertSample = try db.prepare(SampleRow.insert)
        insertSession = try db.prepare("""
            INSERT INTO sessions(pid, backend_start_us, usename, datname, application, client, backend_type, first_seen_us)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT(server, pid, backend_start_us) DO UPDATE SET end_us = NULL RETURNING id, application
            """)
        endSession = try db.prepare("UPDATE sessions SET end_us = ?2 WHERE id = ?1")
        insertSpan = try db.prepare(SpanRow.insert)
        closeSpan = try db.prepare(SpanRow.close)
        insertAction = try db.prepare("""
            INSERT INTO actions(t_us, pid, backend_start_us, kind, outcome, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        insertOutage = try db.prepare("INSERT INTO outages(from_us, to_us, reason) VALUES (?1, ?2, ?3)")
    }

    /// Spans a crashed or stopped writer left open: they were seen until its last sample.
    /// Only the last rollover's spans can be open: one range of the key, not the whole table.
    static func closeLeftOpen(_ db: Database) throws {
        guard let last = try db.integer("SELECT max(t_us) FROM samples") else { return }
        let rollover = try db.integer("SELECT value FROM meta WHERE key = 'span_rollover_us'") ?? SpanTracker.defaultRollover
        try db.execute("""
            UPDATE span_rows SET length_us = max(0, \(last) - from_us) + 1
            WHERE from_us > \(last - rollover) AND length_us IS NULL
            """)
        try db.execute("UPDATE sessions SET end_us = \(last) + 1 WHERE end_us IS NULL")
    }

    /// One sample: every backend of the snapshot at `t` (µs since the epoch, the server's clock,
    /// later than the previous sample's) and the header's figures, in one transaction.
    @discardableResult
    public func write(_ backends: [Backend], figures: SampleFigures, at t: Int64) throws -> RecordingDiff {
        // Nothing is changed before the commit: a failed sample leaves the writer as it was.
        let step = tracker.step(backends, at: t)
        let staged: [BackendID: Written?]
        do {
            staged = try db.transaction {
                SampleRow.bind(insertSample, figures, at: t)
                try insertSample.run()
                return try apply(step.diff, at: t)
            }
        } catch {
            texts.forgetUncommitted()
            activities.forgetUncommitted()
            throw error
        }
        tracker.take(step)
        for (id, w) in staged { written[id] = w }
        texts.commit()
        activities.commit()
        return step.diff
    }

    /// Writes the diff; returns what it changed of `written` (nil: the session ended).
    private func apply(_ diff: RecordingDiff, at t: Int64) throws -> [BackendID: Written?] {
        var staged: [BackendID: Written?] = [:]
        func current(_ id: BackendID) -> Written? { staged[id] ?? written[id] }
        for id in diff.closed {
            guard var w = current(id), let from = w.openFrom else { continue }
            closeSpan.bind(1, from); closeSpan.bind(2, w.row); closeSpan.bind(3, t)
            try closeSpan.run()
            w.openFrom = nil
            staged[id] = w
        }
        for s in diff.newSessions where current(s.id) == nil {
            let q = insertSession
            q.bind(1, s.id.pid); q.bind(2, s.id.start); q.bind(3, s.user); q.bind(4, s.database)
            q.bind(5, s.application); q.bind(6, s.client); q.bind(7, s.backendType); q.bind(8, t)
            defer { q.reset() }
            guard try q.step(), let row = q.int64(0) else { throw StoreError(.failed, "\(path): a session was not stored") }
            staged[s.id] = Written(row: row, application: q.text(1) ?? s.application)
        }
        for id in diff.ended {
            guard let w = current(id) else { continue }
            endSession.bind(1, w.row); endSession.bind(2, t)
            try endSession.run()
            staged[id] = .some(nil)
        }
        for o in diff.opened {
            guard var w = current(o.id) else { continue }
            let p = o.span
            let activity = try activities.id(Activity(p, sessionApplication: w.application), at: t)
            let query = p.query.isEmpty ? nil : try texts.id(p.query, at: t)
            SpanRow.bind(insertSpan, session: w.row, from: t, activity: activity, query: query, times: SpanRow.Times(p, from: t))
            try insertSpan.run()
            w.openFrom = t
            staged[o.id] = w
        }
        return staged
    }

    /// An audit line (`AuditLine.make`): a cancel or terminate pgtop sent, at `t`.
    public func action(at t: Int64, id: BackendID, kind: String, outcome: String, line: String) throws {
        try db.transaction {
            let a = insertAction
            a.bind(1, t); a.bind(2, id.pid); a.bind(3, id.start); a.bind(4, kind); a.bind(5, outcome); a.bind(6, line)
            try a.run()
        }
    }

    /// The server stopped answering (or restarted) after the last sample: every open span and
    /// session ends at `t`, and an outage begins there; the sessions seen again afterwards keep
    /// their rows and get new spans.
    public func outageBegan(at t: Int64, reason: String) throws {
        try db.transaction {
            try endEverything(at: t)
            insertOutage.bind(1, t); insertOutage.bind(2, nil as Int64?); insertOutage.bind(3, reason)
            try insertOutage.run()
        }
        _ = tracker.closeAll()
        written = [:]
    }

    /// The server answers again at `t`.
    public func outageEnded(at t: Int64) throws {
        try db.execute("UPDATE outages SET to_us = \(t) WHERE to_us IS NULL")
    }

    /// Every open span and every live session ends at `t`: one update by key each.
    private func endEverything(at t: Int64) throws {
        for w in written.values {
            if let from = w.openFrom {
                closeSpan.bind(1, from); closeSpan.bind(2, w.row); closeSpan.bind(3, Swift.max(from + 1, t))
                try closeSpan.run()
            }
            endSession.bind(1, w.row); endSession.bind(2, t)
            try endSession.run()
        }
    }

    /// Bytes the file's pages take, the write-ahead log's included (`Database.byteSize`).
    public func byteSize() throws -> Int64 { try db.byteSize() }

    /// Rows one `prune` removes at most, some tens of milliseconds of work: a call a minute
    /// keeps up with a busy recording (about 10,000 rows a minute at 150 spans a second) and
    /// never holds the screen up long.
    var pruneBudget = 30_000
    /// Free bytes a prune leaves in the file for the next samples to take (`vacuum`).
    var vacuumSlack: Int64 = 16 << 20

    /// The write-ahead log is cut back to this (bytes) after a checkpoint (`journal_size_limit`).
    static let walLimit = 32 << 20

    /// Ends the recording cleanly: what was open was seen until the last sample.
    public func close() {
        _ = try? db.transaction { try Self.closeLeftOpen(db) }
        db.close()
        lock.release()
    }

    deinit { close() }

}
