import PGTopCore

/// Reads a recording, also while a recorder writes it (write-ahead log: the reader sees every
/// sample committed when its read began). Rebuilds the backends alive at a sample as the screen
/// had them, lists the samples, and says how much of a damaged file can be read.
///
///     let r = try RecordingReader(path: file)
///     let m = try r.moment(at: t)        // the last sample at or before t
///     m?.snapshot.backends               // [Backend], ages as of that sample
public final class RecordingReader {
    public let path: String
    let db: Database
    /// Spans are never longer than this (`SpanTracker.rollover`): the ones alive at a moment
    /// began in the window before it.
    public let rollover: Int64
    private let alive, sampleAt: Statement

    /// One recorded moment: the sample's time and figures, and its backends.
    public struct Moment: Sendable, Equatable {
        public var time: Int64
        public var figures: SampleFigures
        public var snapshot: Snapshot
    }

    /// How much of the file reads back.
    public enum Health: Sendable, Equatable {
        case sound
        /// `readable`: the ranges of sample times that read back (empty: none).
        case damaged(String, readable: [ClosedRange<Int64>])
    }

    public init(path: String) throws {
        self.path = path
        db = try Database(path: path, mode: .readOnly)
        guard try Self.checkTolerating(db) else {
            throw StoreError(.notARecording, "not a pgtop recording or damaged: \(path): an empty file")
        }
        rollover = try db.integer("SELECT value FROM meta WHERE key = 'span_rollover_us'") ?? SpanTracker.defaultRollover
        sampleAt = try db.prepare(SampleRow.select + " WHERE t_us <= ?1 ORDER BY t_us DESC LIMIT 1")
        alive = try db.prepare("""
            SELECT s.pid, s.backend_start_us, s.usename, s.datname, s.application, s.client, s.backend_type,
                   p.state, p.wait_type, p.wait_event, p.waiting, p.blocked_by, p.lock_mode, p.lock_target,
                   p.query_start_us, p.xact_start_us, p.xact_source, p.state_change_us, t.text, p.application,
                   p.leader_pid, p.superuser
            FROM spans p JOIN sessions s ON s.id = p.session LEFT JOIN texts t ON t.id = p.query
            WHERE p.from_us > ?1 - ?2 AND p.from_us <= ?1 AND (p.to_us IS NULL OR p.to_us > ?1)
            ORDER BY p.session
            """)
    }

    public func close() { db.close() }

    /// A file cut short says it has more pages than it has, and SQLite refuses it whole; told
    /// to take the file's own size (`writable_schema` on a read-only connection, which never
    /// writes), it reads every page that is there, and the damage is found where it is.
    private static func checkTolerating(_ db: Database) throws -> Bool {
        do {
            return try RecordingSchema.check(db)
        } catch let e as StoreError where e.kind == .notARecording {
            try db.execute("PRAGMA writable_schema = ON")
            guard let again = try? RecordingSchema.check(db) else { throw e }
            return again
        }
    }

    /// `meta` as written by the recorder.
    public func meta() throws -> [String: String] {
        let s = try db.prepare("SELECT key, value FROM meta")
        var out: [String: String] = [:]
        while try s.step() { out[s.text(0) ?? ""] = s.text(1) ?? "" }
        return out
    }

    /// Every sample's time, in order.
    public func sampleTimes() throws -> [Int64] {
        let s = try db.prepare("SELECT t_us FROM samples ORDER BY t_us")
        var out: [Int64] = []
        while try s.step() { out.append(s.int64(0) ?? 0) }
        return out
    }

    /// The last sample at or before `t` with the backends alive then; nil before the first.
    public func moment(at t: Int64) throws -> Moment? {
        defer { sampleAt.reset() }
        sampleAt.bind(1, t)
        guard try sampleAt.step() else { return nil }
        let (time, figures) = SampleRow.read(sampleAt)
        return Moment(time: time, figures: figures, snapshot: Snapshot(backends: try backends(at: time)))
    }

    /// The backends alive at `t` (a sample's time), as the screen showed them then.
    public func backends(at t: Int64) throws -> [Backend] {
        let a = alive
        defer { a.reset() }
        a.bind(1, t); a.bind(2, rollover)
        var out: [Backend] = []
        while try a.step() {
            let session = RecordedSession(id: BackendID(pid: Int32(truncatingIfNeeded: a.int64(0) ?? 0), start: a.int64(1) ?? 0),
                                          user: a.text(2) ?? "", database: a.text(3) ?? "", application: a.text(4) ?? "",
                                          client: a.text(5) ?? "", backendType: a.text(6) ?? "")
            let span = RecordedSpan(
                state: a.text(7) ?? "", waitEventType: a.text(8) ?? "", waitEvent: a.text(9) ?? "",
                waiting: a.bool(10) ?? false,
                blockedBy: (a.text(11) ?? "").split(separator: ",").compactMap { Int32($0) },
                lockMode: a.text(12) ?? "", lockTarget: a.text(13) ?? "", queryStart: a.int64(14),
                transactionStart: a.int64(15), transactionSource: a.text(16).flatMap(TransactionAgeSource.init(rawValue:)),
                stateChange: a.int64(17), query: a.text(18) ?? "", application: a.text(19) ?? session.application,
                leaderPid: a.int64(20).map { Int32(truncatingIfNeeded: $0) }, superuser: a.bool(21) ?? false)
            out.append(span.backend(session, at: t))
        }
        return out
    }

    /// Reads every sample: `.sound`, or the damage in one line and the ranges of sample times
    /// that read back around it (from the first sample on, and from the last one back).
    public func health() -> Health {
        let head = scan(ascending: true)
        guard let failure = head.failure else {
            do {
                let check = try db.prepare("PRAGMA quick_check(1)")
                if try check.step(), let verdict = check.text(0), verdict != "ok" {
                    return .damaged("not a pgtop recording or damaged: \(path): \(verdict)", readable: head.range.map { [$0] } ?? [])
                }
                return .sound
            } catch {
                return .damaged("\(error)", readable: head.range.map { [$0] } ?? [])
            }
        }
        let tail = scan(ascending: false)
        return .damaged(failure, readable: [head.range, tail.range].compactMap { $0 })
    }

    /// The samples that read in one direction before an error, and the error.
    private func scan(ascending: Bool) -> (range: ClosedRange<Int64>?, failure: String?) {
        var first: Int64?, last: Int64?
        do {
            let s = try db.prepare("SELECT t_us FROM samples ORDER BY t_us \(ascending ? "ASC" : "DESC")")
            while try s.step() {
                let t = s.int64(0) ?? 0
                if first == nil { first = t }
                last = t
            }
            return (range(first, last), nil)
        } catch {
            return (range(first, last), "\(error)")
        }
    }

    private func range(_ a: Int64?, _ b: Int64?) -> ClosedRange<Int64>? {
        guard let a, let b else { return nil }
        return min(a, b)...max(a, b)
    }
}
