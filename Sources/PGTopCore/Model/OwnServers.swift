/// The server backends that ran pgtop's own statements. Directly that is one backend, left out
/// by the activity query itself (`pg_backend_pid()`); behind a pooler in transaction or
/// statement mode each statement may run on another pooled server connection, and the ones
/// that served pgtop sit idle under its application name afterwards: they are pgtop's own,
/// never listed and never signalled.
///
///     var own = OwnServers(applicationName: "pgtop")
///     own.served(BackendID(pid: 4211, start: 1_732_400_000_123_456))   // PGConnection.servedBy
///     let shown = own.filter(snapshot.backends)                     // without 4211 while it idles as pgtop
///
/// A row is pgtop's own while it is one of those backends (pid and backend start), idle, and
/// still named `applicationName`: once an application's transaction runs on it, the pooler
/// gives it the application's name and it is the application's row again. Another user's
/// pgtop (same name, other backends) is listed as any session.
public struct OwnServers: Sendable, Equatable {
    public let applicationName: String
    public private(set) var ids: Set<BackendID> = []

    public init(applicationName: String) {
        self.applicationName = applicationName
    }

    public func isOwn(_ backend: Backend) -> Bool {
        !ids.isEmpty && backend.state == .idle && backend.application == applicationName && ids.contains(backend.id)
    }

    /// The rows without pgtop's own; backends that ended are forgotten.
    public mutating func filter(_ backends: [Backend]) -> [Backend] {
        // Directly, the only one is the backend of the latest statement, which the activity
        // query leaves out itself: no pass over the rows on every refresh.
        guard ids.contains(where: { $0 != latest }) else { return backends }
        var present: Set<BackendID> = []
        let kept = backends.filter { backend in
            if ids.contains(backend.id) { present.insert(backend.id) }
            return !isOwn(backend)
        }
        ids = ids.intersection(present).union(latest.map { [$0] } ?? [])
        return kept
    }

    /// The pids for the signal statement's own-session check (`SignalQuery.parameters`).
    public var pids: [Int32] { ids.map(\.pid).sorted() }

    /// The backend that ran the latest statement: not in the rows (the activity query leaves
    /// it out), yet pgtop's own.
    public private(set) var latest: BackendID?

    /// Notes the backend that ran pgtop's latest statement (`PGConnection.servedBy`).
    public mutating func served(_ id: BackendID?) {
        latest = id
        if let id { ids.insert(id) }
    }
}
