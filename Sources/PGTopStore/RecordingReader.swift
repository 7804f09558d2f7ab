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
    private let alive, sampleAt, sessionByID, activityByID, textByID, after, before: Statement
    /// What the spans refer to, read once: a moment reads ids, not texts.
    private var sessions: [Int64: RecordedSession] = [:]
    private var activities: [Int64: Activity] = [:]
    private var texts: [Int64: String] = [:]
    /// Entries kept per cache at most; past it the cache starts again.
    static let cacheLimit = 100_000
    /// The spans of the last moment read, to step from (`backends(at:)`).
    private var last: (time: Int64, version: Int64, spans: [SpanRow.Read])?

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
        alive = try db.prepare(SpanRow.alive)
        sessionByID = try db.prepare("""
            SELECT pid, backend_start_us, usename, datname, application, client, backend_type FROM sessions WHERE id = ?1
            """)
        activityByID = try db.prepare("SELECT \(Activity.columns.joined(separator: ", ")) FROM activities WHERE id = ?1")
        textByID = try db.prepare("SELECT text FROM texts WHERE id = ?1")
        after = try db.prepare("SELECT t_us FROM samples WHERE t_us > ?1 ORDER BY t_us LIMIT 1")
        before = try db.prepare("SELECT t_us FROM samples WHERE t_us < ?1 ORDER BY t_us DESC LIMIT 1")
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

    /// Every sample's time, in order. (A day at 1 s is 86,400 of them: to find the first, the
    /// last and the neighbours of one, `timeRange` and `sample(after:)` read a row each.)
    public func sampleTimes() throws -> [Int64] {
        let s = try db.prepare("SELECT t_us FROM samples ORDER BY t_us")
        var out: [Int64] = []
        while try s.step() { out.append(s.int64(0) ?? 0) }
        return out
    }

    /// The first and the last sample's times; nil without samples.
    public func timeRange() throws -> ClosedRange<Int64>? {
        let s = try db.prepare("SELECT min(t_us), max(t_us) FROM samples")
        guard try s.step(), let first = s.int64(0), let last = s.int64(1) else { return nil }
        return first...last
    }

    /// The first sample after `t`; nil after the last.
    public func sample(after t: Int64) throws -> Int64? { try neighbour(after, t) }

    /// The last sample before `t`; nil before the first.
    public func sample(before t: Int64) throws -> Int64? { try neighbour(before, t) }

    private func neighbour(_ s: Statement, _ t: Int64) throws -> Int64? {
        defer { s.reset() }
        s.bind(1, t)
        return try s.step() ? s.int64(0) : nil
    }

    /// The last sample at or before `t` with the backends alive then; nil before the first.
    public func moment(at t: Int64) throws -> Moment? {
        defer { sampleAt.reset() }
        sampleAt.bind(1, t)
        guard try sampleAt.step() else { return nil }
        let (time, figures) = SampleRow.read(sampleAt)
        sampleAt.reset()
        return Moment(time: time, figures: figures, snapshot: Snapshot(backends: try backends(at: time), serverTime: time))
    }

    /// The backends alive at `t` (a sample's time), as the screen showed them then, in the
    /// order the recording first saw them.
    public func backends(at t: Int64) throws -> [Backend] {
        var out: [Backend] = []
        let spans = try spans(at: t)
        out.reserveCapacity(spans.count)
        for r in spans {
            let session = try session(r.session), activity = try self.activity(r.activity)
            var span = activity.span(sessionApplication: session.application)
            (span.queryStart, span.transactionStart, span.stateChange) = r.times.starts(from: r.from)
            if let q = r.query { span.query = try text(q) }
            out.append(span.backend(session, at: t))
        }
        return out
    }

    /// The rows of the spans alive at `t`, by session. Stepping forward within a rollover of the
    /// last moment read, on a file no one wrote to since (`data_version`), reads only the spans
    /// that began in between: the ones alive before are known, their ends with them.
    private func spans(at t: Int64) throws -> [SpanRow.Read] {
        let version = try db.integer("PRAGMA data_version") ?? 0
        var out: [SpanRow.Read] = []
        let a = alive
        defer { a.reset() }
        if let last, last.version == version, t >= last.time, t - last.time < rollover {
            out = last.spans.filter { $0.end.map { $0 > t } ?? true }
            a.bind(1, t); a.bind(2, t - last.time)
        } else {
            a.bind(1, t); a.bind(2, rollover)
        }
        while try a.step() { out.append(SpanRow.read(a)) }
        a.reset()
        out.sort { $0.session < $1.session }
        last = (t, version, out)
        return out
    }

    private func session(_ id: Int64) throws -> RecordedSession {
        if let s = sessions[id] { return s }
        let q = sessionByID
        defer { q.reset() }
        q.bind(1, id)
        guard try q.step() else { throw StoreError(.notARecording, "not a pgtop recording or damaged: \(path): a span names session \(id), which is not there") }
        let s = RecordedSession(id: BackendID(pid: Int32(truncatingIfNeeded: q.int64(0) ?? 0), start: q.int64(1) ?? 0),
                                user: q.text(2) ?? "", database: q.text(3) ?? "", application: q.text(4) ?? "",
                                client: q.text(5) ?? "", backendType: q.text(6) ?? "")
        if sessions.count >= Self.cacheLimit { sessions = [:] }
        sessions[id] = s
        return s
    }

    private func activity(_ id: Int64) throws -> Activity {
        if let a = activities[id] { return a }
        let q = activityByID
        defer { q.reset() }
        q.bind(1, id)
        guard try q.step() else { throw StoreError(.notARecording, "not a pgtop recording or damaged: \(path): a span names activity \(id), which is not there") }
        let a = Activity(q, from: 0)
        if activities.count >= Self.cacheLimit { activities = [:] }
        activities[id] = a
        return a
    }

    private func text(_ id: Int64) throws -> String {
        if let t = texts[id] { return t }
        let q = textByID
        defer { q.reset() }
        q.bind(1, id)
        let t = try q.step() ? q.text(0) ?? "" : ""
        if texts.count >= Self.cacheLimit { texts = [:] }
        texts[id] = t
        return t
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
