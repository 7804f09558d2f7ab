import PGTopCore

/// What a source caused (a live server's `Session`, a recording being replayed), handed to
/// the event loop in order; the loop gives each to the state and to every sink.
enum SourceEvent {
    case snapshot(Snapshot)
    case report(SignalRequest, SignalReport)
    case failed(String)
    /// A cancel/terminate that was not sent (refused by the server, or not connected).
    case signalFailed(SignalRequest, String)
    /// A cancel/terminate that was sent but whose answer never came (`no answer in 8s; it
    /// may have been sent`), or whose connection broke before it: it may have happened.
    case signalUnknown(SignalRequest, String)
    /// The connection broke or the server stopped answering; `retryAt` is the next attempt.
    /// The cancels/terminates that were waiting to go out are dropped (`unsent`, in order),
    /// not sent later.
    case lost(reason: String, retryAt: Double, unsent: [SignalRequest])
    /// Connected again; the server's figures as they are now.
    case reconnected(ServerInfo)
    /// A backend's detail; nil when it has ended.
    case detail(BackendID, BackendDetail?)
    /// The server's counters.
    case stats(ServerStats)
    /// The load average and memory of the database host (the server is on this machine).
    case host(HostFigures?)
    /// Where a replay stands: the recorded moment shown, playing or paused.
    case replay(ReplayStatus)
}

extension Session {
    typealias Event = SourceEvent
}
