import PGTopCore

/// What a call on `Session` caused, handed to the main loop in order.
extension Session {
    enum Event {
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
    }
}
