/// What one sample changes in a recording, against the sample before it: the sessions seen
/// for the first time, the spans that ended (the session changed state, or ended), the spans
/// that began. A session whose recorded fields are unchanged is in none of them, so at 2,000
/// backends a sample writes tens of rows, not thousands.
///
///     diff.newSessions   // [pid 4300]            (write its sessions row)
///     diff.closed        // [pid 4211, pid 4230]  (set to_us on their open span)
///     diff.opened        // [pid 4211: idle in transaction since 20:30, pid 4300: active]
///     diff.ended         // [pid 4230]            (gone: no span opened for it)
public struct RecordingDiff: Sendable, Equatable {
    public struct Opened: Sendable, Equatable {
        public var id: BackendID
        public var span: RecordedSpan

        public init(id: BackendID, span: RecordedSpan) {
            self.id = id
            self.span = span
        }
    }

    public var newSessions: [RecordedSession] = []
    /// Sessions whose open span ends at this sample (changed, rolled over, or ended).
    public var closed: [BackendID] = []
    public var opened: [Opened] = []
    /// Sessions not seen any more: their span is in `closed` and nothing is opened for them.
    public var ended: [BackendID] = []

    public init() {}

    public var isEmpty: Bool { newSessions.isEmpty && closed.isEmpty && opened.isEmpty }
}
