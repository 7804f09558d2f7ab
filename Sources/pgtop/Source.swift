import PGTopCore

/// Something that produces what the screen, `--once` or the recorder consume: a live server
/// (`LiveSource`), a recording being replayed (`ReplaySource`), later many servers. The event
/// loop polls every source's socket in one `poll()` and never blocks on one (docs/sources-and-sinks.md).
protocol Source: AnyObject {
    /// The socket to wait on now and whether for writing; nil when nothing is awaited.
    var waitOn: (fd: Int32, write: Bool)? { get }
    /// The latest time `tick`/`step` must run even if nothing arrives (the next refresh, a
    /// retry, a timeout, the next sample of a replay that plays).
    var deadline: Double? { get }
    /// When the answer awaited now was asked for (the screen shows a late answer's age).
    var awaitingSince: Double? { get }
    /// What is due at `now` given what the screen shows (a refresh, the next replayed sample).
    func tick(now: Double, state: AppState) -> [SourceEvent]
    /// Advances what is under way; `ready`: poll() said the socket is ready.
    func step(now: Double, ready: Bool) -> [SourceEvent]
    /// What the user asked for.
    func perform(_ request: SourceRequest, now: Double) -> [SourceEvent]
    func close()
}

/// What the user asked a source for, through the state's effects.
enum SourceRequest {
    case refreshNow
    case detail(BackendID)
    case signal(SignalRequest)
    case replay(ReplayCommand)
}
