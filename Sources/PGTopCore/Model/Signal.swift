/// What `k` and `c` send.
public enum SignalKind: String, Sendable {
    /// `pg_cancel_backend`: stops the running query, keeps the session.
    case cancel
    /// `pg_terminate_backend`: ends the session.
    case terminate

    public var verb: String { self == .cancel ? "Cancel" : "Terminate" }
    public var pastTense: String { self == .cancel ? "cancelled" : "terminated" }
}

/// The result for one backend of a cancel or terminate.
public enum SignalOutcome: Sendable, Equatable {
    /// The server signalled it.
    case signalled
    /// No backend with that pid and backend start exists any more (ended, or pid reused).
    case gone
    /// The server refused: the reason as the server would say it.
    case denied(String)
    /// The server answered false (e.g. not a PostgreSQL process).
    case failed(String)
    /// The statement went out but its answer did not come (`no answer in 8s; it may have been
    /// sent`): the next refresh settles it.
    case unknown(String)
    /// What the refresh after an unknown outcome saw: `terminated`, `gone`, `still there`.
    case settled(String)

    /// The answer to "did it happen?" is not known yet.
    public var isUnknown: Bool {
        if case .unknown = self { return true }
        return false
    }
}

/// The outcome of a whole cancel/terminate, one entry per backend asked for.
public struct SignalReport: Sendable, Equatable {
    public var kind: SignalKind
    public var outcomes: [(id: BackendID, outcome: SignalOutcome)]

    public init(kind: SignalKind, outcomes: [(id: BackendID, outcome: SignalOutcome)]) {
        self.kind = kind
        self.outcomes = outcomes
    }

    public static func == (a: SignalReport, b: SignalReport) -> Bool {
        a.kind == b.kind && a.outcomes.elementsEqual(b.outcomes) { $0.id == $1.id && $0.outcome == $1.outcome }
    }

    /// Footer text: `2 terminated, 1 already gone, 3 denied: must be a superuser ...`.
    public var summary: String {
        var signalled = 0, gone = 0
        var denied: [String] = [], failed: [String] = [], unknown: [String] = [], settled: [String] = []
        for (_, outcome) in outcomes {
            switch outcome {
            case .signalled: signalled += 1
            case .gone: gone += 1
            case .denied(let why): denied.append(why)
            case .failed(let why): failed.append(why)
            case .unknown(let why): unknown.append(why)
            case .settled(let what): settled.append(what)
            }
        }
        var parts = ["\(signalled) \(kind.pastTense)"]
        if gone > 0 { parts.append("\(gone) already gone") }
        if !denied.isEmpty { parts.append("\(denied.count) denied: \(denied[0])") }
        if !failed.isEmpty { parts.append("\(failed.count) failed: \(failed[0])") }
        if !unknown.isEmpty { parts.append("\(unknown.count) unknown: \(unknown[0])") }
        if !settled.isEmpty { parts.append("\(settled.count) settled: \(settled[0])") }
        return parts.joined(separator: ", ")
    }
}

/// A target whose backend_start the server hid from pgtop's role (another role's session,
/// without pg_read_all_stats): the guard has its pid alone, and a reused pid would be
/// signalled. Refused unless asked for by pid only (`--allow-pid-only`).
public enum HiddenStart {
    /// What lets a role see other roles' backend_start on a server of `serverVersion`.
    public static func privilege(serverVersion: Int) -> String {
        serverVersion >= 100000 ? "pg_read_all_stats or pg_monitor" : "superuser"
    }

    /// The refusal, one line, the privilege first (a narrow footer keeps that much):
    /// `backend_start not visible without pg_read_all_stats or pg_monitor, so ...`.
    public static func refusal(_ kind: SignalKind, serverVersion: Int) -> String {
        "backend_start not visible without \(privilege(serverVersion: serverVersion)), so a reused pid "
            + "could not be told apart; --allow-pid-only to \(kind.rawValue) by pid only"
    }
}
