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
            let (backends, sampledAt) = try session.fetchOnce(withLocks: state.filter.view == .blocking)
            state.receive(Snapshot(backends: backends))
            matched = matched || !state.rows.isEmpty
            let text = Export.render(state.rows, as: options.format, elapsed: options.elapsed, columns: options.columns,
                                     header: i == 0 || options.format == .table, tree: state.tree, sampledAt: sampledAt,
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
        state.receive(Snapshot(backends: try session.fetchOnce(withLocks: state.filter.view == .blocking).backends))
        // In the blocking tree, the sessions the filter matched: the rest of their trees is context.
        let targets = state.filter.view == .blocking ? state.rows.filter { state.treeMatches.contains($0.id) } : state.rows
        guard !targets.isEmpty else {
            Console.out("nothing to \(kind.verb.lowercased()): no backend matches")
            return .nothing
        }
        let pids = targets.map { String($0.pid) }.joined(separator: " ")
        // A target whose backend_start is hidden is told apart by its pid alone: refused unless allowed.
        let blind = targets.filter { !$0.id.startKnown }
        let pidOnly = options.settings.allowPidOnly == true && !blind.isEmpty
        if !blind.isEmpty && !pidOnly {
            Console.error("pgtop: " + Confirmation.refusal(kind: kind, blind: blind, serverVersion: session.server.versionNumber))
            return .refused
        }
        let byPid = pidOnly ? " by pid only (\(blind.count) with backend_start hidden)" : ""
        // JSON on stdout is JSON only: the words go to stderr.
        let json = options.format == .json
        let say: (String) -> Void = json ? { Console.error($0) } : { Console.out($0) }
        guard confirmed else {
            say("would \(kind.verb.lowercased()) \(targets.count) backend(s)\(byPid): \(pids) (dry run: add --yes to send)")
            Console.out(Export.render(targets, as: json ? .json : .table, elapsed: options.elapsed), newline: false)
            return .dryRun
        }
        let report = try session.signalOnce(kind, targets.map(\.id), pidOnly: pidOnly)
        let byID = Dictionary(targets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (id, outcome) in report.outcomes {
            if json {
                Console.out(OutcomeExport.json(kind, id: id, backend: byID[id], outcome: outcome, pidOnly: pidOnly), newline: false)
            } else {
                Console.out("\(id.pid) \(AuditLine.describe(outcome, kind))\(pidOnly && !id.startKnown ? " (pid only)" : "")")
            }
        }
        say(report.summary)
        if let audit, let server = state.server {
            let now = Clock.wall()
            let lines = report.outcomes.map { id, outcome in
                AuditLine.make(time: now, server: server.endpoint, role: server.role, kind: kind, id: id, backend: byID[id],
                               outcome: outcome, pidOnly: pidOnly)
            }
            if let problem = audit.append(lines) { Console.error("pgtop: \(problem)") }
        }
        let refused = report.outcomes.contains {
            switch $0.outcome {
            case .denied, .failed, .unknown: return true
            case .signalled, .gone, .settled: return false
            }
        }
        return refused ? .refused : .done
    }
}
