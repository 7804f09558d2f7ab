/// The report's two tables: the sessions left idle in transaction and the longest lock waits,
/// each row followed by its statement (and a lock wait by its root blocker's) on a line of its own.
extension ReportText {
    func idleInTransaction() -> [String] {
        let list = report.idleInTransaction
        let title = "IDLE IN TRANSACTION over \(Self.duration(report.idleWarn))"
        guard !list.isEmpty else { return [title + ": none"] }
        let apps = report.applications
        let sessions = Set(list.map { BackendID(pid: $0.who.pid, start: $0.who.backendStart) }).count
        var out = [title + ": \(sessions) session\(sessions == 1 ? "" : "s")" + (list.count > sessions ? ", \(list.count) times" : "")]
        let name = { (app: String) in app.isEmpty ? "(no application name)" : self.c(app) }
        let nameWidth = min(30, apps.map { CellWidth.of(name($0.application)) }.max() ?? 0)
        for a in apps {
            out.append(fit("  " + Padding.column(name(a.application), width: nameWidth)
                           + "  \(a.sessions) session\(a.sessions == 1 ? "" : "s"), longest \(Self.duration(a.longest))"))
        }
        var table = ReportColumns(titles: ["XACT START", "PID", "APPLICATION", "USER", "DATABASE", "CLIENT", "IDLE SINCE", "HELD"],
                                  caps: [19, 7, 20, 12, 12, 15, 19, 6])
        for s in list {
            table.rows.append([s.transactionStart.map(at) ?? "?", "\(s.who.pid)", c(s.who.application), c(s.who.user),
                               c(s.who.database), c(s.who.client), at(s.idleSince), Self.duration(s.held)])
        }
        let widths = table.widths(fitting: width - 2, shrinking: [2, 3, 4, 5])
        let endings = list.map { describe($0.ending) }
        // How each ended, after its row when every one fits there, else on a line of its own.
        let rest = width - 2 - widths.reduce(0) { $0 + $1 + 2 }
        let inline = endings.allSatisfy { CellWidth.of($0) <= rest }
        out.append("")
        out.append(fit("  " + table.line(table.titles, widths) + (inline ? "  HOW IT ENDED" : "")))
        // Sessions alike but for their pid, client and statement (a wave of one cron job) are
        // one row, the first's, and the pids of the others.
        let groups = Self.grouped(list.indices.map { i -> String in
            var key = table.rows[i]
            key[1] = ""; key[5] = ""
            return (key + [endings[i]]).joined(separator: "\u{0}")
        })
        for g in groups {
            let (s, ending) = (list[g[0]], endings[g[0]])
            out.append(fit("  " + table.line(table.rows[g[0]], widths) + (inline ? "  " + ending : "")))
            if g.count > 1 { out.append(fit("      " + alike(g.dropFirst().map { list[$0].who.pid }))) }
            if !inline { out.append(fit("      " + ending)) }
            if !s.query.isEmpty { out.append(fit("      " + c(s.query))) }
        }
        return out
    }

    /// `and 4 more alike: 2001, 2002, 2003, 2004`.
    func alike(_ pids: [Int32]) -> String {
        "and \(pids.count) more alike: " + pids.map(String.init).joined(separator: ", ")
    }

    /// The indices of `keys` grouped by equal key, each group in order, the groups in the order
    /// of their first member.
    static func grouped(_ keys: [String]) -> [[Int]] {
        var groups: [[Int]] = []
        var index: [String: Int] = [:]
        for (i, k) in keys.enumerated() {
            if let g = index[k] { groups[g].append(i) } else { index[k] = groups.count; groups.append([i]) }
        }
        return groups
    }

    /// `201 cron-nightly, idle in transaction`.
    func rootBlocker(_ w: IncidentReport.LockWaitReport) -> String {
        guard let r = w.root else {
            return w.blockedBy.isEmpty ? "not recorded"
                : "not recorded (blocked by " + w.blockedBy.map(String.init).joined(separator: ", ") + ")"
        }
        var text = "\(r.who.pid)" + (r.who.application.isEmpty ? "" : " " + c(r.who.application))
        text += ", " + (r.state.isEmpty ? "no state" : c(r.state))
        return text
    }

    /// How a stretch of idle in transaction ended, in words.
    public func describe(_ e: IncidentReport.Ending) -> String {
        switch e {
        case .terminated(let role, let t): return "terminated by pgtop (role \(c(role)), at \(at(t)))"
        case .sessionEnded(let t): return "session ended at \(at(t))"
        case .transactionEnded(let t, let next):
            let then = next == "active" ? "active again" : next.hasPrefix("idle in transaction") ? "a new transaction, \(c(next))" : c(next)
            return "committed/rolled back at \(at(t)) (\(then))"
        case .activeAgain(let t, let next): return "\(c(next)) again at \(at(t)), in the same transaction"
        case .serverUnreachable(let t, _): return "server unreachable at \(at(t))"
        case .stillIdle(let end): return "still idle in transaction at the end of the \(end ? "recording" : "window")"
        }
    }

    func lockWaits() -> [String] {
        let waits = report.lockWaits
        guard !waits.isEmpty else { return ["LOCK WAITS: none"] }
        var out = ["LOCK WAITS: \(report.lockWaitCount)" + (report.lockWaitCount > waits.count ? ", the \(waits.count) longest" : "")]
        var table = ReportColumns(titles: ["SINCE", "WAITED", "PID", "APPLICATION", "LOCK"], caps: [19, 7, 7, 20, 34])
        for w in waits {
            let lock = w.lockMode.isEmpty ? "not recorded" : c(w.lockMode) + (w.lockTarget.isEmpty ? "" : " on " + c(w.lockTarget))
            table.rows.append([at(w.from), Self.duration(w.seconds) + (w.open ? "+" : ""), "\(w.who.pid)", c(w.who.application), lock])
        }
        let widths = table.widths()
        out.append(fit("  " + table.line(table.titles, widths)))
        let window = report.recording.to == report.recording.last ? "recording" : "window"
        for (w, row) in zip(waits, table.rows) {
            out.append(fit("  " + table.line(row, widths)))
            if !w.query.isEmpty { out.append(fit("      waiting: " + c(w.query))) }
            if w.open { out.append(fit("      still waiting at the end of the \(window)")) }
            out.append(fit("      root blocker: " + rootBlocker(w)))
            if let r = w.root, r.transactionStart != nil || !r.query.isEmpty {
                let since = r.transactionStart.map { "its transaction since \(at($0))" } ?? "its statement"
                out.append(fit("      " + since + (r.query.isEmpty ? "" : ": " + c(r.query))))
            }
        }
        return out
    }
}

/// A plain table: titles, rows of clean cells, each column as wide as its widest cell up to a cap.
struct ReportColumns {
    var titles: [String]
    var caps: [Int]
    var rows: [[String]] = []

    /// `fitting`: narrower when the line would be wider, the widest of the `shrinking`
    /// columns a cell at a time (down to 4).
    func widths(fitting room: Int = .max, shrinking: [Int] = []) -> [Int] {
        var w = titles.indices.map { i in
            min(caps[i], max(CellWidth.of(titles[i]), rows.map { CellWidth.of($0[i]) }.max() ?? 0))
        }
        while w.reduce(0, +) + 2 * (w.count - 1) > room, let i = shrinking.filter({ w[$0] > 4 }).max(by: { w[$0] < w[$1] }) {
            w[i] -= 1
        }
        return w
    }

    func line(_ cells: [String], _ widths: [Int]) -> String {
        zip(cells, widths).map { Padding.column($0, width: $1) }.joined(separator: "  ")
    }
}
