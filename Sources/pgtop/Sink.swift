import PGTopCore

/// Something that consumes what the sources produce besides the screen: the recorder.
protocol Sink: AnyObject {
    /// An event, after the state took it (`state` is as it is after the event).
    func take(_ event: SourceEvent, state: AppState)
    /// The audit lines of a cancel/terminate's outcomes, as the audit log got them.
    func acted(_ lines: [ActedLine])
    /// Set when the sink cannot go on: the loop ends and says it (one line).
    var fatal: String? { get }
    /// A line for the screen's footer, once (the recorder's full disk, and when it records
    /// again); nil when there is nothing to say.
    func takeNotice() -> Message?
    func close()
}

extension Sink {
    func takeNotice() -> Message? { nil }
}

/// One audit line and what it is about, for a sink that keeps actions (the recorder).
struct ActedLine {
    var time: Double
    var id: BackendID
    var kind: SignalKind
    var outcome: SignalOutcome
    var line: String
}
