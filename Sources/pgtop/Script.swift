import Glibc
import PGTopCore

/// The settings as `--once` uses them: the state set up as the screen's would be (view,
/// filter, sort, clock, columns, idle and background toggles), and the output format.
struct ScriptOptions {
    var settings: Settings
    var elapsed: ElapsedMode { settings.elapsed ?? .query }
    var format: ExportFormat { settings.format ?? .table }
    var columns: [Column] { settings.columns ?? Column.standard }

    init(_ settings: Settings) { self.settings = settings }

    func apply(to state: inout AppState) { settings.apply(to: &state) }
}

/// `--once` and `--iterations`: snapshots printed to stdout, no terminal needed.
enum Script {
    /// Prints `count` snapshots `interval` seconds apart; true when any had a row.
    static func run(session: Session, options: ScriptOptions, count: Int, interval: Double) throws -> Bool {
        var matched = false
        var state = AppState(interval: interval)
        state.server = session.server
        options.apply(to: &state)
        for i in 0..<count {
            if i > 0 { usleep(UInt32(interval * 1_000_000)) }
            state.receive(Snapshot(backends: try session.fetchOnce()))
            matched = matched || !state.rows.isEmpty
            let text = Export.render(state.rows, as: options.format, elapsed: options.elapsed, columns: options.columns, header: i == 0 || options.format == .table,
                                     terminal: isatty(1) == 1)
            if options.format == .table && count > 1 && i > 0 { Console.out("") }
            Console.out(text, newline: false)
        }
        return matched
    }

    enum ActStatus { case done, nothing, dryRun, refused }

    /// `--once --terminate/--cancel`: the selected backends, then either what would be done
    /// (no `--yes`) or the signals sent, each outcome printed and audited.
    static func act(_ kind: SignalKind, session: Session, options: ScriptOptions, confirmed: Bool,
                    audit: AuditLog?) throws -> ActStatus {
        var state = AppState()
        state.server = session.server
        options.apply(to: &state)
        state.receive(Snapshot(backends: try session.fetchOnce()))
        let targets = state.rows
        guard !targets.isEmpty else {
            Console.out("nothing to \(kind.verb.lowercased()): no backend matches")
            return .nothing
        }
        let pids = targets.map { String($0.pid) }.joined(separator: " ")
        guard confirmed else {
            Console.out("would \(kind.verb.lowercased()) \(targets.count) backend(s): \(pids) (dry run: add --yes to send)")
            Console.out(Export.render(targets, as: .table, elapsed: options.elapsed), newline: false)
            return .dryRun
        }
        let report = try session.signalOnce(kind, targets.map(\.id))
        let byID = Dictionary(targets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (id, outcome) in report.outcomes {
            Console.out("\(id.pid) \(AuditLine.describe(outcome, kind))")
        }
        Console.out(report.summary)
        if let audit, let server = state.server {
            let now = Clock.wall()
            let lines = report.outcomes.map { id, outcome in
                AuditLine.make(time: now, server: server.endpoint, role: server.role, kind: kind, id: id, backend: byID[id], outcome: outcome)
            }
            if let problem = audit.append(lines) { Console.error("pgtop: \(problem)") }
        }
        let refused = report.outcomes.contains { if case .denied = $0.outcome { return true }; if case .failed = $0.outcome { return true }; return false }
        return refused ? .refused : .done
    }
}
