/// What a post-mortem needs from a recording, in one value (`pgtop report`): the recording and
/// its gaps, the slot budget's peak and its low stretches, every session left idle in
/// transaction past the threshold and how it ended, the longest lock waits with their root
/// blocker, the outages and pgtop's own actions. Built by `PGTopStore`'s `RecordingReader.report`
/// from the rows (`IdlePeriod`, `LockWait`, `SlotHistory`, `SampleGaps`), shown by `ReportText`
/// and `ReportJSON`. Times are µs since the epoch on the server's clock.
public struct IncidentReport: Sendable, Equatable {
    public var recording = Recording()
    /// The threshold for idle in transaction, seconds, and where it came from.
    public var idleWarn: Double = 60
    public var idleWarnSource: ThresholdSource = .default
    public var slots = Slots()
    /// Sorted by transaction start.
    public var idleInTransaction: [IdleSession] = []
    /// The longest first, at most `LockWait.reported`.
    public var lockWaits: [LockWaitReport] = []
    /// How many lock waits the window held (the list shows the longest).
    public var lockWaitCount = 0
    public var outages: [Outage] = []
    public var actions: [ActionTaken] = []

    public init() {}

    public enum ThresholdSource: String, Sendable, Equatable {
        /// The recording's `idle-warn` (what the recorder highlighted).
        case recording
        case commandLine = "command line"
        case `default`
    }

    /// The file, its server, the window the report covers and what in it could be read.
    public struct Recording: Sendable, Equatable {
        public var file = ""
        public var server = ""
        public var version = ""
        /// The recording's first and last sample (nil: no samples).
        public var first: Int64?
        public var last: Int64?
        /// The window asked for (`--from`, `--to`), within the recording.
        public var from: Int64?
        public var to: Int64?
        /// Samples in the window.
        public var samples = 0
        /// Stretches between consecutive samples much longer than the usual interval.
        public var gaps: [Gap] = []
        /// The usual interval between samples (the median), seconds.
        public var interval: Double?
        /// The damage in one line, and the ranges of sample times the report could read.
        public var damage: String?
        public var readable: [ClosedRange<Int64>] = []

        public init() {}

        /// Whether the window is the whole recording.
        public var isWhole: Bool { from == first && to == last }
    }

    public struct Gap: Sendable, Equatable {
        /// The last sample before and the first after.
        public var from: Int64, to: Int64
        public init(from: Int64, to: Int64) { self.from = from; self.to = to }
        public var seconds: Double { Double(to - from) / 1_000_000 }
    }

    public struct Slots: Sendable, Equatable {
        /// The most slots used, and the first sample that used that many.
        public var peak: SlotPeak?
        /// Under 10% free for ordinary roles (exhausted stretches included), and none free.
        public var low: [SlotRange] = []
        public var exhausted: [SlotRange] = []
        public init() {}
    }

    public struct SlotPeak: Sendable, Equatable {
        public var used: Int, max: Int, free: Int
        public var at: Int64
        public init(used: Int, max: Int, free: Int, at: Int64) { self.used = used; self.max = max; self.free = free; self.at = at }
    }

    /// From the first sample in that state to the first sample out of it (or the last one in it
    /// when the window ends first: `open`).
    public struct SlotRange: Sendable, Equatable {
        public var from: Int64, to: Int64
        public var lowestFree: Int
        public var open: Bool
        public init(from: Int64, to: Int64, lowestFree: Int, open: Bool = false) {
            self.from = from; self.to = to; self.lowestFree = lowestFree; self.open = open
        }
        public var seconds: Double { Double(to - from) / 1_000_000 }
    }

    /// Who a session was (its `sessions` row; the application as its spans had it).
    public struct Who: Sendable, Equatable {
        public var pid: Int32
        public var backendStart: Int64
        public var user = "", database = "", application = "", client = ""
        public init(pid: Int32, backendStart: Int64, user: String = "", database: String = "", application: String = "", client: String = "") {
            self.pid = pid; self.backendStart = backendStart; self.user = user; self.database = database
            self.application = application; self.client = client
        }
    }

    /// One stretch of idle in transaction that held its transaction open past the threshold.
    public struct IdleSession: Sendable, Equatable {
        public var who: Who
        public var transactionStart: Int64?
        /// When it became idle in transaction (the server's state_change).
        public var idleSince: Int64
        /// When it stopped being so (see `ending`), or the end of the window.
        public var until: Int64
        public var ending: Ending
        /// Its last statement.
        public var query: String
        public init(who: Who, transactionStart: Int64?, idleSince: Int64, until: Int64, ending: Ending, query: String) {
            self.who = who; self.transactionStart = transactionStart; self.idleSince = idleSince; self.until = until
            self.ending = ending; self.query = query
        }
        /// How long its transaction had been open when the stretch ended, seconds.
        public var held: Double { Double(until - (transactionStart ?? idleSince)) / 1_000_000 }
        /// How long it sat idle in transaction, seconds.
        public var idle: Double { Double(until - idleSince) / 1_000_000 }
    }

    /// How a stretch of idle in transaction ended.
    public enum Ending: Sendable, Equatable {
        /// A terminate pgtop sent, which succeeded (`actions`: the same pid and backend start).
        case terminated(role: String, at: Int64)
        /// The session was gone: it closed, or someone else ended it (a recording cannot tell).
        case sessionEnded(at: Int64)
        /// The transaction ended (committed or rolled back, it cannot tell which) and the session
        /// went on in `nextState` (`idle`, `active`, ...).
        case transactionEnded(at: Int64, nextState: String)
        /// It ran a statement in the same transaction.
        case activeAgain(at: Int64, nextState: String)
        /// The server stopped answering (an outage began).
        case serverUnreachable(at: Int64, reason: String)
        /// Still idle in transaction at the last sample of the recording, or of the window.
        case stillIdle(endOfRecording: Bool)
    }

    /// One statement seen waiting for a lock: from the first sample it waited in to the first it
    /// did not.
    public struct LockWaitReport: Sendable, Equatable {
        public var who: Who
        public var query: String
        public var from: Int64, to: Int64
        /// Still waiting at the end of the window.
        public var open: Bool
        public var lockMode: String, lockTarget: String
        public var blockedBy: [Int32]
        /// The session at the head of the chain at `from`: blocking, not itself waiting.
        public var root: Blocker?
        public init(who: Who, query: String, from: Int64, to: Int64, open: Bool, lockMode: String, lockTarget: String,
                    blockedBy: [Int32], root: Blocker? = nil) {
            self.who = who; self.query = query; self.from = from; self.to = to; self.open = open
            self.lockMode = lockMode; self.lockTarget = lockTarget; self.blockedBy = blockedBy; self.root = root
        }
        public var seconds: Double { Double(to - from) / 1_000_000 }
    }

    public struct Blocker: Sendable, Equatable {
        public var who: Who
        public var state: String
        public var transactionStart: Int64?
        public var query: String
        public init(who: Who, state: String, transactionStart: Int64?, query: String) {
            self.who = who; self.state = state; self.transactionStart = transactionStart; self.query = query
        }
    }

    public struct Outage: Sendable, Equatable {
        public var from: Int64
        /// nil: the server had not answered again when the recording ended.
        public var to: Int64?
        public var reason: String
        public init(from: Int64, to: Int64?, reason: String) { self.from = from; self.to = to; self.reason = reason }
    }

    /// A cancel or terminate pgtop sent: its audit line.
    public struct ActionTaken: Sendable, Equatable {
        public var at: Int64
        public var pid: Int32
        public var backendStart: Int64
        public var kind: String, outcome: String, line: String
        public init(at: Int64, pid: Int32, backendStart: Int64, kind: String, outcome: String, line: String) {
            self.at = at; self.pid = pid; self.backendStart = backendStart; self.kind = kind; self.outcome = outcome; self.line = line
        }
    }

    /// Per application: how many sessions sat idle in transaction past the threshold, and the
    /// longest hold; most sessions first.
    public var applications: [(application: String, sessions: Int, longest: Double)] {
        var tally: [String: (sessions: Set<BackendID>, longest: Double)] = [:]
        for s in idleInTransaction {
            var t = tally[s.who.application] ?? ([], 0)
            t.sessions.insert(BackendID(pid: s.who.pid, start: s.who.backendStart))
            t.longest = Swift.max(t.longest, s.held)
            tally[s.who.application] = t
        }
        return tally.map { ($0.key, $0.value.sessions.count, $0.value.longest) }.sorted {
            ($0.sessions, $0.longest, $1.application) > ($1.sessions, $1.longest, $0.application)
        }
    }
}
