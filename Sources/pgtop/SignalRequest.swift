import PGTopCore

/// One confirmed cancel/terminate on its way: queued behind the query under way (in the order
/// confirmed, none dropped), sent, answered or not. `serial` ties its outcome to the backends
/// as the screen showed them (the EventLoop keeps those for the audit log).
struct SignalRequest {
    let serial: Int
    let kind: SignalKind
    let targets: [BackendID]
    /// Targets whose backend_start is hidden are matched by pid alone (`--allow-pid-only`).
    let pidOnly: Bool
}
