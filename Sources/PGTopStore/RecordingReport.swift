import PGTopCore

/// The queries behind `pgtop report` (the model and its rules are `IncidentReport.build`, in the
/// core). Every one reads by a key, so a report of a few hours takes a few range scans whatever
/// the file's size: the samples of the window by `t_us`; the spans idle in transaction or
/// waiting by `from_us` (the spans alive in the window began at most a rollover before it: one
/// range of the primary key, filtered inside SQLite); what followed a run, by the exact key
/// (`from_us` = the run's end, `session`); sessions by id; the backends at a wait's first
/// sample as `moment` reads them; actions by time. A damaged file is read as far as it goes:
/// each range stops at the damage, and the report says so (`Recording.damage`).
///
///     let r = try RecordingReader(path: file)
///     let report = r.report(from: nil, to: nil, idleWarn: nil)   // the whole recording
extension RecordingReader {
    /// The first and last sample, and the damage when even they could not be read directly
    /// (then the readable ranges give them). nil range: no samples.
    public func bounds() -> (range: ClosedRange<Int64>?, damage: String?) {
        do {
            let s = try db.prepare("SELECT min(t_us), max(t_us) FROM samples")
            guard try s.step(), let a = s.int64(0), let b = s.int64(1) else { return (nil, nil) }
            return (a...b, nil)
        } catch {
            guard case .damaged(let line, let readable) = health() else { return (nil, "\(error)") }
            guard let a = readable.map(\.lowerBound).min(), let b = readable.map(\.upperBound).max() else { return (nil, line) }
            return (a...b, line)
        }
    }

    /// The report of `from...to` (nil: the recording's first, last sample). `idleWarn`: the
    /// threshold given on the command line, else the recording's `idle-warn`, else 60 s.
    /// `audit`: terminates another pgtop's audit log recorded (`--audit-log`), matched with the
    /// recorded sessions by pid and backend_start (to the millisecond, as the log writes it).
    public func report(from: Int64? = nil, to: Int64? = nil, idleWarn: Double? = nil, audit: [AuditTermination] = []) -> IncidentReport {
        let (range, boundsDamage) = bounds()
        var input = ReportInput()
        input.file = path
        input.idleWarn = idleWarn
        var failures: [String] = []
        do {
            let meta = try self.meta()
            input.server = meta["server"] ?? ""
            input.version = meta["version"] ?? meta["server_version"] ?? ""
            input.recordedIdleWarn = (meta["idle-warn"] ?? meta["idle_warn"]).flatMap(Double.init)
        } catch {
            failures.append("\(error)")
        }
        guard let range else {
            input.damage = boundsDamage ?? failures.first
            return IncidentReport.build(input, who: { _ in nil }, next: { _, _ in nil }, backends: { _ in [] })
        }
        input.first = range.lowerBound
        input.last = range.upperBound
        let lower = min(max(from ?? range.lowerBound, range.lowerBound), range.upperBound)
        let window = lower...max(min(to ?? range.upperBound, range.upperBound), lower)
        input.from = window.lowerBound
        input.to = window.upperBound

        var ranges = [window]
        var damage = boundsDamage
        if damage == nil {
            let trial = gather([window], into: &input, audit: audit) + failures
            if trial.isEmpty {
                var lost: [String] = []
                let report = build(input, failures: &lost)
                if lost.isEmpty { return report }
                damage = failureLine(lost)
            } else {
                damage = failureLine(trial)
            }
        }
        // Damaged: what reads back, within the window.
        if case .damaged(let line, let readable) = health() {
            damage = line
            ranges = readable.compactMap { r in
                let a = max(r.lowerBound, window.lowerBound), b = min(r.upperBound, window.upperBound)
                return a <= b ? a...b : nil
            }
        }
        input.samples = []; input.spans = []; input.outages = []; input.actions = []; input.terminations = [:]
        _ = gather(ranges, into: &input, audit: audit)
        input.damage = damage
        input.readable = ranges
        var rest: [String] = []
        return build(input, failures: &rest)
    }

    private func failureLine(_ failures: [String]) -> String {
        failures.first { $0.hasPrefix("not a pgtop recording or damaged") } ?? failures.first ?? "damaged"
    }

    private func build(_ input: ReportInput, failures: inout [String]) -> IncidentReport {
        let lookups = ReportLookups(self)
        let report = IncidentReport.build(input, who: lookups.who, next: lookups.next, backends: lookups.backends)
        failures += lookups.failures
        return report
    }

    /// Reads the window's rows over `ranges` into `input`, each range as far as it reads;
    /// returns the errors met (none: all of it was read).
    private func gather(_ ranges: [ClosedRange<Int64>], into input: inout ReportInput, audit: [AuditTermination]) -> [String] {
        var failures: [String] = []
        func reading(_ body: () throws -> Void) {
            do { try body() } catch { failures.append("\(error)") }
        }
        for r in ranges {
            reading {
                let s = try db.prepare("""
                    SELECT t_us, slots_used, slots_max, superuser_reserved, reserved FROM samples
                    WHERE t_us BETWEEN ?1 AND ?2 ORDER BY t_us
                    """)
                s.bind(1, r.lowerBound); s.bind(2, r.upperBound)
                while try s.step() {
                    var budget: SlotBudget?
                    if let used = s.int(1), let max = s.int(2) {
                        budget = SlotBudget(used: used, max: max, superuserReserved: s.int(3) ?? 0, reserved: s.int(4) ?? 0)
                    }
                    input.samples.append((s.int64(0) ?? 0, budget))
                }
            }
            reading {
                // The spans alive at the range's first sample began at most a rollover before it.
                let before = try db.prepare("SELECT max(t_us) FROM samples WHERE t_us <= ?1")
                before.bind(1, r.lowerBound)
                let anchor = (try before.step() ? before.int64(0) : nil) ?? r.lowerBound
                let s = try db.prepare(ReportLookups.spanColumns + """
                     WHERE p.from_us > ?1 AND p.from_us <= ?2 AND (p.waiting = 1 OR p.state IN ('idle in transaction', 'idle in transaction (aborted)'))
                     ORDER BY p.from_us
                    """)
                s.bind(1, anchor - rollover); s.bind(2, r.upperBound)
                while try s.step() { input.spans.append(ReportLookups.span(s)) }
            }
            reading {
                let s = try db.prepare("""
                    SELECT t_us, pid, backend_start_us, kind, outcome, line FROM actions
                    WHERE t_us BETWEEN ?1 AND ?2 ORDER BY t_us
                    """)
                s.bind(1, r.lowerBound); s.bind(2, r.upperBound)
                while try s.step() {
                    input.actions.append(IncidentReport.ActionTaken(
                        at: s.int64(0) ?? 0, pid: Int32(truncatingIfNeeded: s.int64(1) ?? 0), backendStart: s.int64(2) ?? 0,
                        kind: s.text(3) ?? "", outcome: s.text(4) ?? "", line: s.text(5) ?? ""))
                }
            }
        }
        guard let first = ranges.first?.lowerBound, let last = ranges.last?.upperBound else { return failures }
        reading {
            let s = try db.prepare("SELECT from_us, to_us, reason FROM outages WHERE from_us <= ?2 AND (to_us IS NULL OR to_us >= ?1) ORDER BY from_us")
            s.bind(1, first); s.bind(2, last)
            while try s.step() {
                input.outages.append(IncidentReport.Outage(from: s.int64(0) ?? 0, to: s.int64(1), reason: s.text(2) ?? ""))
            }
        }
        reading {
            let s = try db.prepare("""
                SELECT t_us, pid, backend_start_us, line FROM actions
                WHERE kind = 'terminate' AND outcome IN ('terminated', 'settled: terminated') ORDER BY t_us
                """)
            while try s.step() {
                let id = BackendID(pid: Int32(truncatingIfNeeded: s.int64(1) ?? 0), start: s.int64(2) ?? 0)
                if input.terminations[id] == nil {
                    input.terminations[id] = (AuditLine.field("role", in: s.text(3) ?? "") ?? "?", s.int64(0) ?? 0)
                }
            }
        }
        if !audit.isEmpty {
            reading {
                // The sessions' unique key (server, pid, backend_start_us): one search a line.
                let s = try db.prepare("""
                    SELECT backend_start_us FROM sessions
                    WHERE server = 0 AND pid = ?1 AND backend_start_us >= ?2 AND backend_start_us < ?2 + 1000
                    """)
                for t in audit {
                    defer { s.reset() }
                    s.bind(1, Int64(t.pid)); s.bind(2, t.startMs * 1000)
                    while try s.step() {
                        let id = BackendID(pid: t.pid, start: s.int64(0) ?? 0)
                        if input.terminations[id] == nil { input.terminations[id] = (t.role, t.at) }
                    }
                }
            }
        }
        return failures
    }
}

/// The look-ups by key the report makes while it is built; errors are kept, not thrown (a
/// damaged page makes one answer missing, not the report).
final class ReportLookups {
    let reader: RecordingReader
    var failures: [String] = []
    private var whoStatement, nextStatement: Statement?

    init(_ reader: RecordingReader) { self.reader = reader }

    static let spanColumns = """
        SELECT p.session, p.from_us, p.to_us, p.state, p.waiting, p.blocked_by, p.lock_mode, p.lock_target,
               p.query_start_us, p.xact_start_us, p.state_change_us, t.text, p.application
        FROM spans p LEFT JOIN texts t ON t.id = p.query
        """

    static func span(_ s: Statement) -> ReportSpan {
        ReportSpan(session: s.int64(0) ?? 0, from: s.int64(1) ?? 0, to: s.int64(2), state: s.text(3) ?? "",
                   waiting: s.bool(4) ?? false, blockedBy: (s.text(5) ?? "").split(separator: ",").compactMap { Int32($0) },
                   lockMode: s.text(6) ?? "", lockTarget: s.text(7) ?? "", queryStart: s.int64(8),
                   transactionStart: s.int64(9), stateChange: s.int64(10), query: s.text(11) ?? "", application: s.text(12))
    }

    private func answer<T>(_ body: () throws -> T?) -> T? {
        do { return try body() } catch { failures.append("\(error)"); return nil }
    }

    func who(_ session: Int64) -> IncidentReport.Who? {
        answer {
            if whoStatement == nil {
                whoStatement = try reader.db.prepare(
                    "SELECT pid, backend_start_us, usename, datname, application, client FROM sessions WHERE id = ?1")
            }
            let s = whoStatement!
            defer { s.reset() }
            s.bind(1, session)
            guard try s.step() else { return nil }
            return IncidentReport.Who(pid: Int32(truncatingIfNeeded: s.int64(0) ?? 0), backendStart: s.int64(1) ?? 0,
                                      user: s.text(2) ?? "", database: s.text(3) ?? "", application: s.text(4) ?? "",
                                      client: s.text(5) ?? "")
        }
    }

    /// The span `session` began at `t`: the one after a span that ended at `t`.
    func next(_ session: Int64, _ t: Int64) -> ReportSpan? {
        answer {
            if nextStatement == nil {
                nextStatement = try reader.db.prepare(Self.spanColumns + " WHERE p.from_us = ?1 AND p.session = ?2")
            }
            let s = nextStatement!
            defer { s.reset() }
            s.bind(1, t); s.bind(2, session)
            return try s.step() ? Self.span(s) : nil
        }
    }

    func backends(_ t: Int64) -> [Backend] {
        answer { try reader.backends(at: t) } ?? []
    }
}
