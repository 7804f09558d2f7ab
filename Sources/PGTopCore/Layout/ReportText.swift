/// `pgtop report`'s page: the `IncidentReport` as plain text for `width` columns (80 to 120
/// read well), local times (`WallClock`), every text from a client sanitised (`Sanitizer`:
/// no escape sequence, no line break inside a line) and long ones cut with `…`.
///
///     ReportText.render(report, clock: WallClock(utcOffset: 3600), width: 100)
public struct ReportText {
    public let report: IncidentReport
    public let clock: WallClock
    public let width: Int
    /// The date times are given without (the window's first day).
    let day: String

    public static func render(_ report: IncidentReport, clock: WallClock, width: Int = 100) -> String {
        ReportText(report: report, clock: clock, width: width).lines().map { line in
            var l = Substring(line)
            while l.last == " " { l.removeLast() }
            return String(l)
        }.joined(separator: "\n") + "\n"
    }

    init(report: IncidentReport, clock: WallClock, width: Int) {
        self.report = report
        self.clock = clock
        self.width = max(40, width)
        day = report.recording.from.map(clock.date) ?? ""
    }

    func lines() -> [String] {
        var out = header()
        guard report.recording.samples > 0 else { return out }
        out += [""] + slots()
        out += [""] + idleInTransaction()
        out += [""] + lockWaits()
        out += [""] + outages()
        out += [""] + actions()
        return out
    }

    // MARK: - Pieces

    /// A time of day on the window's first day, else with its date.
    func at(_ t: Int64) -> String { clock.date(t) == day ? clock.time(t) : clock.dateTime(t) }

    /// Client text on one line, cut to `cells`.
    func clean(_ text: String, _ cells: Int) -> String { Padding.elided(text, width: max(1, cells)).text }

    /// Client text on one line, whole.
    func c(_ text: String) -> String { Sanitizer.clean(text) }

    /// A line built of clean pieces, cut to the width (its own spacing kept).
    func fit(_ line: String) -> String { Padding.elided(line, width: width, foldSpaces: false).text }

    /// `42s`, `3m07s`, `2h03m`, `2d04h`.
    public static func duration(_ seconds: Double) -> String {
        let total = seconds.isFinite ? Int(max(0, min(seconds, 1e12)).rounded()) : 0
        let s = total % 60, m = total / 60 % 60, h = total / 3600 % 24, d = total / 86_400
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(m)m\(Format.two(s))s" }
        if total < 86_400 { return "\(h)h\(Format.two(m))m" }
        return "\(d)d\(Format.two(h))h"
    }

    func label(_ name: String, _ value: String) -> String {
        fit("  " + Padding.pad(name, to: 11) + value)
    }

    func header() -> [String] {
        let r = report.recording
        var out = [fit("pgtop report of " + c(r.file))]
        let server = [r.server.isEmpty ? "unknown" : c(r.server), r.version.isEmpty ? "" : "PostgreSQL " + c(r.version)]
            .filter { !$0.isEmpty }.joined(separator: ", ")
        out.append(label("server", server))
        if let damage = r.damage {
            let readable = r.readable.map { "\(clock.dateTime($0.lowerBound)) to \(at($0.upperBound))" }
            out.append(label("DAMAGED", c(damage)))
            out.append(label("", "this report covers what reads back: " + (readable.isEmpty ? "nothing" : readable.joined(separator: ", "))))
        }
        guard let first = r.first, let last = r.last, r.samples > 0 || !r.isWhole else {
            out.append(label("recorded", r.damage == nil ? "nothing yet: the recording holds no samples" : "no sample reads back"))
            return out
        }
        out.append(label("recorded", "\(clock.dateTime(first)) to \(clock.date(first) == clock.date(last) ? clock.time(last) : clock.dateTime(last)) (\(Self.duration(Double(last - first) / 1e6)))"))
        if let from = r.from, let to = r.to, !r.isWhole {
            out.append(label("window", "\(clock.dateTime(from)) to \(at(to)) (\(Self.duration(Double(to - from) / 1e6)))"))
        }
        var samples = "\(r.samples)"
        if let every = r.interval { samples += ", every \(Format.seconds(every))" }
        if r.samples == 0 {
            samples = "none in the window"
        } else if r.gaps.isEmpty {
            samples += ", no gaps"
        } else {
            let shown = r.gaps.prefix(3).map { "\(at($0.from)) to \(at($0.to)) (\(Self.duration($0.seconds)))" }
            samples += ", \(r.gaps.count) gap\(r.gaps.count == 1 ? "" : "s"): " + shown.joined(separator: ", ")
                + (r.gaps.count > 3 ? ", ..." : "")
        }
        out.append(label("samples", samples))
        let source: String
        switch report.idleWarnSource {
        case .recording: source = "the recording's idle-warn"
        case .commandLine: source = "--idle-warn"
        case .default: source = "the default"
        }
        out.append(label("threshold", "idle in transaction \(Self.duration(report.idleWarn)) (\(source))"))
        return out
    }

    func slots() -> [String] {
        let s = report.slots
        var out = ["SLOTS"]
        guard let peak = s.peak else { return out + [label("peak", "unknown: the recording has no slot figures")] }
        out.append(label("peak", "\(peak.used) of \(peak.max) used, \(peak.free) free for ordinary roles (first at \(at(peak.at)))"))
        func ranges(_ list: [IncidentReport.SlotRange], lowest: Bool) -> String {
            guard !list.isEmpty else { return "never" }
            let shown = list.prefix(4).map { r in
                "\(at(r.from)) to \(at(r.to)) (\(Self.duration(r.seconds))" + (lowest ? ", down to \(r.lowestFree) free" : "")
                    + (r.open ? ", still so at the end" : "") + ")"
            }
            return shown.joined(separator: ", ") + (list.count > 4 ? ", and \(list.count - 4) more" : "")
        }
        out.append(label("under 10%", ranges(s.low, lowest: true)))
        out.append(label("exhausted", ranges(s.exhausted, lowest: false)))
        return out
    }

    func outages() -> [String] {
        guard !report.outages.isEmpty else { return ["OUTAGES: none"] }
        var out = ["OUTAGES: \(report.outages.count)"]
        for o in report.outages {
            let span = o.to.map { "\(at(o.from)) to \(at($0)) (\(Self.duration(Double($0 - o.from) / 1e6)))" }
                ?? "\(at(o.from)), not back by the end of the recording"
            out.append(fit("  " + span + "  " + c(o.reason)))
        }
        return out
    }

    /// One row per action, its words from the audit line (all of it is in `--format json`).
    func actions() -> [String] {
        let title = "ACTIONS (pgtop's cancels and terminates)"
        guard !report.actions.isEmpty else { return [title + ": none"] }
        var out = [title + ": \(report.actions.count)"]
        var table = ReportColumns(titles: ["AT", "ACTION", "PID", "APPLICATION", "STATE", "ROLE", "OUTCOME"],
                                  caps: [19, 9, 7, 20, 20, 12, 60])
        for a in report.actions {
            func field(_ name: String) -> String { c(AuditLine.field(name, in: a.line) ?? "") }
            table.rows.append([at(a.at), c(a.kind), "\(a.pid)", field("application"), field("state"), field("role"), c(a.outcome)])
        }
        let widths = table.widths(fitting: width - 2, shrinking: [3, 4, 6])
        out.append(fit("  " + table.line(table.titles, widths)))
        // The same action on several sessions alike (one keypress on marked rows) is one row.
        let groups = Self.grouped(table.rows.map { row in
            var key = row
            key[2] = ""
            return key.joined(separator: "\u{0}")
        })
        for g in groups {
            out.append(fit("  " + table.line(table.rows[g[0]], widths)))
            if g.count > 1 { out.append(fit("      " + alike(g.dropFirst().map { report.actions[$0].pid }))) }
        }
        return out
    }
}
