/// A recording's figures over its whole length, one point per sample: what the timeline strip
/// draws (`TimelineView`) and what some replay events are found in (`ReplayEvents`).
public struct ReplayTimeline: Sendable, Equatable {
    /// One sample's figures: `samples.slots_used`/`slots_max` (nil without the server's
    /// settings), `clients`, `stuck` (idle in transaction past the recorder's idle-warn, or
    /// aborted), `waiting` (lock waiters) and `longest_xact_s` (the oldest transaction, seconds).
    public struct Point: Sendable, Equatable {
        public var time: Int64
        public var slots: SlotBudget?
        public var clients: Int
        public var stuck: Int
        public var waiting: Int
        public var longestTransaction: Double?

        public init(time: Int64, slots: SlotBudget? = nil, clients: Int = 0, stuck: Int = 0, waiting: Int = 0,
                    longestTransaction: Double? = nil) {
            self.time = time
            self.slots = slots
            self.clients = clients
            self.stuck = stuck
            self.waiting = waiting
            self.longestTransaction = longestTransaction
        }

        /// A session may have crossed `idleWarn` here: one is stuck by the recorder's measure, or
        /// a transaction is that old. Only the spans alive at such samples are read for the events.
        public func mayHoldStuck(idleWarn: Double) -> Bool {
            stuck > 0 || (longestTransaction ?? 0) >= idleWarn
        }
    }

    /// When the server was unreachable: `samples` are none there; `to` nil while it lasted
    /// to the end of the recording.
    public struct Outage: Sendable, Equatable {
        public var from: Int64
        public var to: Int64?
        public var reason: String

        public init(from: Int64, to: Int64?, reason: String) {
            self.from = from
            self.to = to
            self.reason = reason
        }

        public func contains(_ t: Int64) -> Bool { t >= from && (to.map { t < $0 } ?? true) }
    }

    /// In order of time.
    public var points: [Point]
    public var outages: [Outage]

    public init(points: [Point] = [], outages: [Outage] = []) {
        self.points = points
        self.outages = outages
    }

    /// The recording's first and last moment (a sample or an outage's start); nil when empty.
    public var range: ClosedRange<Int64>? {
        let starts = outages.map(\.from)
        guard let first = [points.first?.time, starts.min()].compactMap({ $0 }).min(),
              let last = [points.last?.time, starts.max()].compactMap({ $0 }).max() else { return nil }
        return first...last
    }
}
