/// Where a replay stands: which recorded moment the screen shows and how time moves. The
/// header says REPLAY and `time`; the timeline strip puts its cursor at `time`.
public struct ReplayStatus: Sendable, Equatable {
    /// The moment shown: a sample's time, or the start of an outage (microseconds since the
    /// Unix epoch, the recorded server's clock).
    public var time: Int64
    /// The first and last sample of the recording (the last moves while a recorder writes it).
    public var first: Int64
    public var last: Int64
    /// The moment's position among `count` (the samples and the outages' starts).
    public var index: Int
    public var count: Int
    public var playing = false
    /// 1, 2, 4 ... 64 recorded seconds per second.
    public var speed = 1
    /// The server was unreachable at `time` (an outage): why.
    public var outage: String?
    /// Following the end of a recording being written (`L`): each new sample is shown as it comes.
    public var following = false
    /// How times are shown and typed: the local zone at the moment shown.
    public var clock = WallClock()
    /// The whole recording at a glance (the strip under the header).
    public var timeline = ReplayTimeline()
    /// The server's counters as recorded at the moment (the last reading at or before it) and
    /// the reading before, from which the header's rates come; nil when none was recorded.
    public var stats: ServerStats?
    public var previousStats: ServerStats?
    /// What the footer should say now (the event jumped to, the end reached, a damaged file).
    public var note: Message?

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

    /// The speeds `+` and `-` step through.
    public static let speeds = [1, 2, 4, 8, 16, 32, 64]

    /// `paused`, `playing 4x`, `following the recording`.
    public var pace: String {
        if following { return "following" }
        return playing ? "playing \(speed)x" : "paused"
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
    /// To the last sample, and on to each new one while a recorder writes the file.
    case latest
}
