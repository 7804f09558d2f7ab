/// Where a replay stands: which recorded moment the screen shows and how time moves. The
/// header says REPLAY and `time`; the timeline strip puts its cursor at `time`.
public struct ReplayStatus: Sendable, Equatable {
    /// The sample shown: microseconds since the Unix epoch, the recorded server's clock.
    public var time: Int64
    /// The first and last sample of the recording (the last moves while a recorder writes it).
    public var first: Int64
    public var last: Int64
    /// The sample's position among `count`.
    public var index: Int
    public var count: Int
    public var playing = false
    /// 1, 2, 4 ... 64 recorded seconds per second.
    public var speed = 1
    /// The server was unreachable at `time` (an outage): why.
    public var outage: String?

    public init(time: Int64, first: Int64, last: Int64, index: Int, count: Int,
                playing: Bool = false, speed: Int = 1, outage: String? = nil) {
        self.time = time
        self.first = first
        self.last = last
        self.index = index
        self.count = count
        self.playing = playing
        self.speed = speed
        self.outage = outage
    }
}

/// What the replay keys ask of the recording being replayed.
public enum ReplayCommand: Sendable, Equatable {
    /// `n` samples forward (negative: back).
    case step(Int)
    /// Recorded seconds forward (negative: back), to the sample at or before that time.
    case jump(seconds: Double)
    case togglePlay
    case faster
    case slower
    /// To the sample at or before this time (µs since the epoch).
    case goTo(Int64)
    /// To the next or previous event (slots nearly gone, a session crossing idle-warn, a lock
    /// pile-up, an action, an outage).
    case nextEvent
    case previousEvent
}
