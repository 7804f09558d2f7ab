import PGTopCore

/// The cancels/terminates the user confirmed, from the confirmation to their last word: the
/// backends as the screen showed them (for the audit log), the ones whose answer never came
/// (settled by the next refresh), and the footer's account of every outcome while several
/// are on their way.
///
///     let request = ledger.open(.terminate, ids, pidOnly: false, shown: state.snapshot?.backends ?? [])
///     // ... its report arrives:
///     let (outcomes, footer) = ledger.close(request, report.outcomes)
struct ActionLedger {
    private var lastSerial = 0
    /// Per request (by serial): the targets as the screen showed them when confirmed.
    private var shown: [Int: [BackendID: Backend]] = [:]
    /// Requests whose answer never came, waiting for a refresh to settle them.
    private(set) var unsettled: [SignalRequest] = []
    /// Outcomes said in the footer since no request was on its way.
    private var said: [String] = []
    private var onTheirWay = 0

    /// A new request for `targets`, remembering them as `backends` show them.
    mutating func open(_ kind: SignalKind, _ targets: [BackendID], pidOnly: Bool, shown backends: [Backend]) -> SignalRequest {
        lastSerial += 1
        if onTheirWay == 0 { said = [] }
        onTheirWay += 1
        let wanted = Set(targets)
        shown[lastSerial] = Dictionary(backends.filter { wanted.contains($0.id) }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return SignalRequest(serial: lastSerial, kind: kind, targets: targets, pidOnly: pidOnly)
    }

    /// The backend as the screen showed it when `request` was confirmed.
    func backend(_ id: BackendID, of request: SignalRequest) -> Backend? { shown[request.serial]?[id] }

    /// The request's outcomes are known (or known to be unknown): the footer's text for every
    /// request answered since none was on its way, this one last.
    mutating func close(_ request: SignalRequest, _ outcomes: [(id: BackendID, outcome: SignalOutcome)]) -> String {
        onTheirWay = max(0, onTheirWay - 1)
        if outcomes.contains(where: { $0.outcome.isUnknown }) {
            unsettled.append(request)
        }
        let summary = SignalReport(kind: request.kind, outcomes: outcomes).summary
        said.append("\(request.kind.verb) \(Self.pids(request.targets)): \(summary)")
        return said.count == 1 ? summary : said.joined(separator: "; ")
    }

    /// Forgets what was kept for `request` once its audit lines are written (not while unsettled).
    mutating func forget(_ request: SignalRequest) {
        if !unsettled.contains(where: { $0.serial == request.serial }) { shown[request.serial] = nil }
    }

    /// Each unsettled request as `backends` (a refresh after the answer was lost) show it:
    /// a target whose pid and start are gone was terminated (or has ended, for a cancel),
    /// else it is still there. The requests are settled and forgotten after this.
    mutating func settle(by backends: [Backend]) -> [(request: SignalRequest, outcomes: [(id: BackendID, outcome: SignalOutcome)], footer: String)] {
        guard !unsettled.isEmpty else { return [] }
        let alive = Set(backends.map(\.id))
        let settled = unsettled.map { request in
            let outcomes: [(id: BackendID, outcome: SignalOutcome)] = request.targets.map { id in
                if alive.contains(id) { return (id, .settled("still there")) }
                return (id, .settled(request.kind == .terminate ? "terminated" : "gone"))
            }
            let words = outcomes.map { AuditLine.describe($0.outcome, request.kind).replacingPrefix("settled: ") }
            var counts: [(String, Int)] = []
            for w in words {
                if let i = counts.firstIndex(where: { $0.0 == w }) { counts[i].1 += 1 } else { counts.append((w, 1)) }
            }
            let footer = "\(request.kind.verb) \(Self.pids(request.targets)) (no answer came) settled at this refresh: "
                + counts.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
            return (request, outcomes, footer)
        }
        for request in unsettled { shown[request.serial] = nil }
        unsettled = []
        return settled
    }

    /// `4211, 4212, +3 more`.
    static func pids(_ ids: [BackendID]) -> String {
        ids.prefix(4).map { String($0.pid) }.joined(separator: ", ") + (ids.count > 4 ? ", +\(ids.count - 4) more" : "")
    }
}

private extension String {
    func replacingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}
