/// `pgtop report --format json`: the `IncidentReport` as one JSON document (schema
/// `docs/pgtop-report.schema.json`, fields in docs/recording.md). Field names are stable and new
/// ones only ever added. Every time is given twice: local, ISO 8601 with its offset
/// (`2026-11-24T20:30:05+01:00`, the `utc_offset_s` of the document), and as `..._us`,
/// microseconds since the epoch on the server's clock as the recording stores it. Texts are as
/// recorded (JSON-escaped, not cut); durations are seconds.
public enum ReportJSON {
    public static func render(_ r: IncidentReport, clock: WallClock) -> String {
        Value.object(document(r, clock)).text(indent: "") + "\n"
    }

    static func document(_ r: IncidentReport, _ clock: WallClock) -> [(String, Value)] {
        func time(_ name: String, _ t: Int64?) -> [(String, Value)] {
            [(name, t.map { .string(iso(clock, $0)) } ?? .null), (name + "_us", t.map { .int($0) } ?? .null)]
        }
        func range(_ from: Int64, _ to: Int64?) -> [(String, Value)] { time("from", from) + time("to", to) }
        func who(_ w: IncidentReport.Who) -> [(String, Value)] {
            [("pid", .int(Int64(w.pid)))] + time("backend_start", w.backendStart)
                + [("user", .string(w.user)), ("database", .string(w.database)), ("application", .string(w.application)),
                   ("client", .string(w.client))]
        }
        let rec = r.recording
        let text = ReportText(report: r, clock: clock, width: 100)
        var doc: [(String, Value)] = [("file", .string(rec.file)), ("server", .string(rec.server)), ("version", .string(rec.version)),
                                      ("utc_offset_s", .int(Int64(clock.utcOffset)))]
        doc.append(("recording", .object(time("first", rec.first) + time("last", rec.last))))
        doc.append(("window", .object(time("from", rec.from) + time("to", rec.to) + [("whole", .bool(rec.isWhole))])))
        doc.append(("samples", .int(Int64(rec.samples))))
        doc.append(("interval_s", rec.interval.map(Value.number) ?? .null))
        doc.append(("gaps", .array(rec.gaps.map { .object(range($0.from, $0.to) + [("seconds", .number($0.seconds))]) })))
        doc.append(("damage", rec.damage.map(Value.string) ?? .null))
        doc.append(("readable", .array(rec.readable.map { .object(range($0.lowerBound, $0.upperBound)) })))
        doc.append(("idle_warn_s", .number(r.idleWarn)))
        doc.append(("idle_warn_source", .string(r.idleWarnSource.rawValue)))

        func slotRanges(_ list: [IncidentReport.SlotRange]) -> Value {
            .array(list.map { .object(range($0.from, $0.to) + [("seconds", .number($0.seconds)), ("lowest_free", .int(Int64($0.lowestFree))),
                                                               ("open", .bool($0.open))]) })
        }
        let peak: Value = r.slots.peak.map { p in
            .object([("used", .int(Int64(p.used))), ("max", .int(Int64(p.max))), ("free", .int(Int64(p.free)))] + time("at", p.at))
        } ?? .null
        doc.append(("slots", .object([("peak", peak), ("low", slotRanges(r.slots.low)), ("exhausted", slotRanges(r.slots.exhausted))])))

        doc.append(("applications", .array(r.applications.map {
            .object([("application", .string($0.application)), ("sessions", .int(Int64($0.sessions))), ("longest_s", .number($0.longest))])
        })))
        doc.append(("idle_in_transaction", .array(r.idleInTransaction.map { s in
            .object(who(s.who) + time("xact_start", s.transactionStart) + time("idle_since", s.idleSince) + time("until", s.until)
                    + [("held_s", .number(s.held)), ("idle_s", .number(s.idle))] + ending(s.ending, time)
                    + [("ending", .string(text.describe(s.ending))), ("query", .string(s.query))])
        })))

        doc.append(("lock_wait_count", .int(Int64(r.lockWaitCount))))
        doc.append(("lock_waits", .array(r.lockWaits.map { w in
            let root: Value = w.root.map { b in
                .object(who(b.who) + [("state", .string(b.state))] + time("xact_start", b.transactionStart) + [("query", .string(b.query))])
            } ?? .null
            return .object(who(w.who) + [("query", .string(w.query))] + range(w.from, w.to)
                           + [("waited_s", .number(w.seconds)), ("open", .bool(w.open)), ("lock_mode", .string(w.lockMode)),
                              ("lock_target", .string(w.lockTarget)), ("blocked_by", .array(w.blockedBy.map { .int(Int64($0)) })),
                              ("root_blocker", root)])
        })))
        doc.append(("outages", .array(r.outages.map { .object(range($0.from, $0.to) + [("reason", .string($0.reason))]) })))
        doc.append(("actions", .array(r.actions.map { a in
            .object(time("at", a.at) + [("kind", .string(a.kind)), ("pid", .int(Int64(a.pid)))] + time("backend_start", a.backendStart)
                    + [("outcome", .string(a.outcome)), ("line", .string(a.line))])
        })))
        return doc
    }

    /// `ended` (`terminated`, `session_ended`, `transaction_ended`, `active_again`,
    /// `server_unreachable`, `still_idle`), when, and what goes with it.
    static func ending(_ e: IncidentReport.Ending, _ time: (String, Int64?) -> [(String, Value)]) -> [(String, Value)] {
        var how = "", at: Int64?, role: String?, next: String?, reason: String?, endOf: String?
        switch e {
        case .terminated(let r, let t): (how, at, role) = ("terminated", t, r)
        case .sessionEnded(let t): (how, at) = ("session_ended", t)
        case .transactionEnded(let t, let n): (how, at, next) = ("transaction_ended", t, n)
        case .activeAgain(let t, let n): (how, at, next) = ("active_again", t, n)
        case .serverUnreachable(let t, let why): (how, at, reason) = ("server_unreachable", t, why)
        case .stillIdle(let end): (how, endOf) = ("still_idle", end ? "recording" : "window")
        }
        func opt(_ s: String?) -> Value { s.map(Value.string) ?? .null }
        return [("ended", .string(how))] + time("ended_at", at)
            + [("terminated_by_role", opt(role)), ("next_state", opt(next)), ("outage_reason", opt(reason)), ("still_idle_at_end_of", opt(endOf))]
    }

    /// `2026-11-24T20:30:05+01:00`.
    public static func iso(_ clock: WallClock, _ t: Int64) -> String {
        let o = abs(clock.utcOffset)
        let offset = (clock.utcOffset < 0 ? "-" : "+") + Format.two(o / 3600) + ":" + Format.two(o / 60 % 60)
        return clock.date(t) + "T" + clock.time(t) + offset
    }

    /// A JSON value, written with two spaces of indent per level.
    indirect enum Value {
        case string(String), int(Int64), number(Double), bool(Bool), null
        case array([Value]), object([(String, Value)])

        func text(indent: String) -> String {
            let inner = indent + "  "
            switch self {
            case .string(let s): return Export.jsonString(s)
            case .int(let n): return String(n)
            case .number(let d): return d.isFinite ? Export.seconds(d) : "null"
            case .bool(let b): return b ? "true" : "false"
            case .null: return "null"
            case .array(let items):
                guard !items.isEmpty else { return "[]" }
                if items.allSatisfy({ if case .int = $0 { return true } else { return false } }) {
                    return "[" + items.map { $0.text(indent: inner) }.joined(separator: ", ") + "]"
                }
                return "[\n" + items.map { inner + $0.text(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
            case .object(let fields):
                guard !fields.isEmpty else { return "{}" }
                return "{\n" + fields.map { inner + Export.jsonString($0.0) + ": " + $0.1.text(indent: inner) }.joined(separator: ",\n")
                    + "\n" + indent + "}"
            }
        }
    }
}
