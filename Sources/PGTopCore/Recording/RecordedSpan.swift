/// One state a session was seen in, with its times made absolute so that it stays the same
/// from one sample to the next while nothing about the session changes: a recording stores a
/// new span only when one of these fields changes (`SpanTracker`).
///
/// Times are microseconds since the Unix epoch. The refresh gives ages in whole milliseconds
/// on the server's clock, so a start is the sample's time minus the age, rounded to the
/// millisecond: an unchanged session gives the same start in every sample.
///
///     RecordedSpan(backend, at: 1_732_400_000_000_000)   // idle in transaction since 20:30:00.000
public struct RecordedSpan: Sendable, Equatable {
    /// `pg_stat_activity.state` as the server writes it (`idle in transaction`), "" for none.
    public var state: String
    public var waitEventType: String
    public var waitEvent: String
    public var waiting: Bool
    public var blockedBy: [Int32]
    /// The lock a waiter waits for, as the blocking view has it (`ShareLock`, `orders row`).
    public var lockMode: String
    public var lockTarget: String
    public var queryStart: Int64?
    public var transactionStart: Int64?
    /// nil: no transaction, else where its start comes from (`TransactionAgeSource`).
    public var transactionSource: TransactionAgeSource?
    public var stateChange: Int64?
    public var query: String
    public var application: String
    public var leaderPid: Int32?
    public var superuser: Bool

    public init(state: String = "", waitEventType: String = "", waitEvent: String = "", waiting: Bool = false,
                blockedBy: [Int32] = [], lockMode: String = "", lockTarget: String = "", queryStart: Int64? = nil,
                transactionStart: Int64? = nil, transactionSource: TransactionAgeSource? = nil,
                stateChange: Int64? = nil, query: String = "", application: String = "", leaderPid: Int32? = nil,
                superuser: Bool = false) {
        self.state = state
        self.waitEventType = waitEventType
        self.waitEvent = waitEvent
        self.waiting = waiting
        self.blockedBy = blockedBy
        self.lockMode = lockMode
        self.lockTarget = lockTarget
        self.queryStart = queryStart
        self.transactionStart = transactionStart
        self.transactionSource = transactionSource
        self.stateChange = stateChange
        self.query = query
        self.application = application
        self.leaderPid = leaderPid
        self.superuser = superuser
    }

    /// The span a backend is in at a sample taken at `t` (µs since the epoch, the server's clock).
    public init(_ b: Backend, at t: Int64) {
        self.init(state: b.state.serverText, waitEventType: b.waitEventType, waitEvent: b.waitEvent, waiting: b.waiting,
                  blockedBy: b.blockedBy, lockMode: b.lockMode, lockTarget: b.lockTarget,
                  queryStart: Self.start(t, age: b.queryAge), transactionStart: Self.start(t, age: b.transactionAge),
                  transactionSource: b.transactionAge == nil ? nil : b.transactionAgeSource,
                  stateChange: b.stateChange, query: b.query, application: b.application, leaderPid: b.leaderPid,
                  superuser: b.superuser)
    }

    /// True when `b` at `t` is in this span, `RecordedSpan(b, at: t) == self`, without
    /// building one: what a sample asks of every backend (`SpanTracker`).
    public func matches(_ b: Backend, at t: Int64) -> Bool {
        matchesBesidesTexts(b, at: t) && waitEvent == b.waitEvent && waitEventType == b.waitEventType
            && application == b.application && lockMode == b.lockMode && lockTarget == b.lockTarget
            && blockedBy == b.blockedBy && query == b.query
    }

    /// `matches` but for the texts (query, wait event, blockers, lock, application).
    func matchesBesidesTexts(_ b: Backend, at t: Int64) -> Bool {
        stateChange == b.stateChange && waiting == b.waiting && superuser == b.superuser && leaderPid == b.leaderPid
            && queryStart == Self.start(t, age: b.queryAge) && transactionStart == Self.start(t, age: b.transactionAge)
            && transactionSource == (b.transactionAge == nil ? nil : b.transactionAgeSource)
            && state == b.state.serverText
    }

    /// The backend as the screen showed it at `t`, within this span: its ages from the recorded
    /// starts (`backendAge` from the session's start, to the millisecond as the server computes it).
    public func backend(_ session: RecordedSession, at t: Int64) -> Backend {
        var b = Backend(id: session.id, database: session.database, user: session.user, client: session.client,
                        application: application, state: BackendState(serverText: state), waitEventType: waitEventType,
                        waitEvent: waitEvent, waiting: waiting, blockedBy: blockedBy, backendType: session.backendType,
                        queryAge: Self.age(t, since: queryStart), transactionAge: Self.age(t, since: transactionStart),
                        backendAge: session.id.start == 0 ? nil : Self.age(t, since: Self.serverMilliseconds(session.id.start) * 1000),
                        query: query,
                        leaderPid: leaderPid, superuser: superuser, lockMode: lockMode, lockTarget: lockTarget,
                        stateChange: stateChange, stateAge: Self.age(t, since: stateChange))
        b.transactionAgeSource = transactionStart == nil ? nil : transactionSource ?? .xactStart
        return b
    }

    /// `t` minus an age in seconds, to the millisecond (the refresh's precision).
    static func start(_ t: Int64, age: Double?) -> Int64? {
        guard let age, age.isFinite else { return nil }
        return (t / 1000 - Int64((age * 1000).rounded())) * 1000
    }

    /// A time in µs as the refresh gives it in whole milliseconds, `(date_part('epoch', t) *
    /// 1000)::int8`: float8 seconds, times 1000, rounded half to even (`ActivityQuery`). The
    /// refresh's backend age is the clock's milliseconds minus these.
    public static func serverMilliseconds(_ us: Int64) -> Int64 {
        Int64((Double(us) / 1_000_000 * 1000).rounded(.toNearestOrEven))
    }

    /// Seconds from `start` to `t`, never negative.
    static func age(_ t: Int64, since start: Int64?) -> Double? {
        start.map { Swift.max(0, Double(t - $0) / 1_000_000) }
    }
}

extension BackendState {
    /// The server's own text for the state, what `BackendState(serverText:)` reads back: ""
    /// for none.
    public var serverText: String {
        switch self {
        case .none: return ""
        case .other(let text): return text
        default: return fullLabel
        }
    }
}
