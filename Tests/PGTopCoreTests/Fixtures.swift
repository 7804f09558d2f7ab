@testable import PGTopCore

/// Backends for tests: `backend(42, state: .idleInTransaction, xact: 3600)`.
func backend(
    _ pid: Int32, start: Int64 = 1000, db: String = "app", user: String = "alice",
    client: String = "10.0.0.1", app: String = "psql", state: BackendState = .idle,
    query: String = "SELECT 1", age: Double? = 10, xact: Double? = nil, since: Double? = 100,
    waiting: Bool = false, blockedBy: [Int32] = [], type: String = "client backend", waitEvent: String = ""
) -> Backend {
    Backend(
        id: BackendID(pid: pid, start: start), database: db, user: user, client: client,
        application: app, state: state, waitEventType: waiting ? "Lock" : "", waitEvent: waitEvent,
        waiting: waiting, blockedBy: blockedBy, backendType: type, queryAge: age,
        transactionAge: xact, backendAge: since, query: query
    )
}

let testServer = ServerInfo(
    versionNumber: 150018, version: "15.18 (Debian 15.18-0+deb12u1)", endpoint: "/tmp:5432/postgres",
    maxConnections: 100, superuserReserved: 3, reserved: 0, role: "postgres", isSuperuser: true, ownPid: 1
)

func state(_ backends: [Backend], interval: Double = 1) -> AppState {
    var s = AppState(interval: interval)
    s.server = testServer
    s.receive(Snapshot(backends: backends))
    return s
}

extension AppState {
    /// Feeds keys one by one and returns every effect.
    @discardableResult
    mutating func press(_ keys: Key...) -> [Effect] {
        keys.flatMap { handle($0) }
    }
}
