/// Identifies one backend process for its whole life: a pid alone can be reused by a
/// later backend, the pair (pid, backend start) cannot.
///
///     BackendID(pid: 4211, start: 1_732_400_000_123_456)
public struct BackendID: Hashable, Sendable, Comparable {
    public var pid: Int32
    /// `backend_start` in microseconds since the Unix epoch, as the server reported it.
    public var start: Int64

    public init(pid: Int32, start: Int64) {
        self.pid = pid
        self.start = start
    }

    /// False when the server hid `backend_start` from pgtop's role (another role's session,
    /// without pg_read_all_stats): `start` is then 0 and the pid alone tells backends apart.
    public var startKnown: Bool { start != 0 }

    public static func < (a: BackendID, b: BackendID) -> Bool {
        (a.pid, a.start) < (b.pid, b.start)
    }
}

/// The `state` column of `pg_stat_activity`, folded into the cases pgtop treats differently.
public enum BackendState: Sendable, Hashable {
    case active
    case idle
    case idleInTransaction
    case idleInTransactionAborted
    case fastpath
    case disabled
    /// No state at all: background processes, and other users' sessions without `pg_monitor`.
    case none
    case other(String)

    /// Maps the server's text (`"idle in transaction"`) to a case.
    public init(serverText: String?) {
        switch serverText {
        case "active": self = .active
        case "idle": self = .idle
        case "idle in transaction": self = .idleInTransaction
        case "idle in transaction (aborted)": self = .idleInTransactionAborted
        case "fastpath function call": self = .fastpath
        case "disabled": self = .disabled
        case nil, "": self = .none
        case let text?: self = .other(text)
        }
    }

    /// Short form for the STATE column.
    public var label: String {
        switch self {
        case .active: return "active"
        case .idle: return "idle"
        case .idleInTransaction: return "idle in txn"
        case .idleInTransactionAborted: return "idle txn abort"
        case .fastpath: return "fastpath"
        case .disabled: return "disabled"
        case .none: return ""
        case .other(let text): return text
        }
    }

    /// The server's own words, for confirmations and the help: `idle in transaction`.
    public var fullLabel: String {
        switch self {
        case .idleInTransaction: return "idle in transaction"
        case .idleInTransactionAborted: return "idle in transaction (aborted)"
        case .fastpath: return "fastpath function call"
        case .none: return "no state"
        default: return label
        }
    }

    public var isIdleInTransaction: Bool {
        self == .idleInTransaction || self == .idleInTransactionAborted
    }

    /// Rank used when sorting by state: the states an operator hunts come first in
    /// descending order.
    var sortRank: Int {
        switch self {
        case .none: return 0
        case .disabled: return 1
        case .other: return 2
        case .idle: return 3
        case .fastpath: return 4
        case .active: return 5
        case .idleInTransaction: return 6
        case .idleInTransactionAborted: return 7
        }
    }
}

/// One row of `pg_stat_activity`, as pgtop shows it.
///
/// Times are ages in seconds measured by the server at the moment of the snapshot
/// (`nil` when the server has no such time, e.g. a background process has no query).
///
/// A value type whose texts live in one shared box (`BackendText`, copied on write): a refresh
/// copies thousands of backends (filtered, sorted, kept from the previous refresh), and a copy
/// is then one reference count rather than one per text.
public struct Backend: Sendable, Equatable {
    public var id: BackendID
    public var pid: Int32 { id.pid }
    public var database: String { get { text.database } set { uniqueText().database = newValue } }
    public var user: String { get { text.user } set { uniqueText().user = newValue } }
    /// Client address, `local` for a Unix socket, empty for background processes.
    public var client: String { get { text.client } set { uniqueText().client = newValue } }
    public var application: String { get { text.application } set { uniqueText().application = newValue } }
    public var state: BackendState
    public var waitEventType: String { get { text.waitEventType } set { uniqueText().waitEventType = newValue } }
    public var waitEvent: String { get { text.waitEvent } set { uniqueText().waitEvent = newValue } }
    /// True when the backend waits for a heavyweight lock (9.6+: `wait_event_type = 'Lock'`,
    /// before: the `waiting` column).
    public var waiting: Bool
    /// Pids of the backends that hold the lock this one waits for.
    public var blockedBy: [Int32] { get { text.blockedBy } set { uniqueText().blockedBy = newValue } }
    /// `backend_type` (10+): `client backend`, `autovacuum worker`, `walsender`, ...
    public var backendType: String {
        get { text.backendType }
        set { uniqueText().backendType = newValue; isClientBackend = newValue == Self.clientBackendType }
    }
    public var queryAge: Double?
    /// Since `xact_start`; for an aborted transaction (no `xact_start`) pgtop's own figure,
    /// `transactionAgeSource` says which (`DeltaRefresh` fills it in).
    public var transactionAge: Double?
    /// nil without a transaction age, else where it comes from.
    public var transactionAgeSource: TransactionAgeSource?
    public var backendAge: Double?
    /// Since `state_change` (how long idle, or running): from the server's clock and
    /// `stateChange` (`DeltaRefresh` fills it in).
    public var stateAge: Double?
    /// The query text, cut server-side to what a screen can show.
    public var query: String {
        get { text.query }
        set { uniqueText().query = newValue; isHidden = newValue == Self.hiddenQuery }
    }
    /// Parallel worker's leader (13+).
    public var leaderPid: Int32?
    /// The session's role is a superuser.
    public var superuser: Bool
    /// For a lock waiter, when asked for (the blocking tree): the mode it waits for
    /// (`ShareLock`) and on what (`orders`, `orders row`, `transactionid`).
    public var lockMode: String { get { text.lockMode } set { uniqueText().lockMode = newValue } }
    public var lockTarget: String { get { text.lockTarget } set { uniqueText().lockTarget = newValue } }
    /// `state_change` in microseconds since the Unix epoch, nil without a state: with the
    /// backend's id, what tells a later refresh that an idle row has not changed (`DeltaRefresh`).
    public var stateChange: Int64?
    /// From /proc when pgtop runs on the database host and the host columns are on (`H`).
    public var usage: ProcessUsage?
    private var text: BackendText

    public init(
        id: BackendID, database: String = "", user: String = "", client: String = "",
        application: String = "", state: BackendState = .idle, waitEventType: String = "",
        waitEvent: String = "", waiting: Bool = false, blockedBy: [Int32] = [],
        backendType: String = "client backend", queryAge: Double? = nil,
        transactionAge: Double? = nil, backendAge: Double? = nil, query: String = "",
        leaderPid: Int32? = nil, superuser: Bool = false, lockMode: String = "", lockTarget: String = "",
        stateChange: Int64? = nil, stateAge: Double? = nil
    ) {
        self.id = id
        self.text = BackendText(
            database: database, user: user, client: client, application: application, waitEventType: waitEventType,
            waitEvent: waitEvent, blockedBy: blockedBy, backendType: backendType, query: query,
            lockMode: lockMode, lockTarget: lockTarget)
        self.state = state
        self.waiting = waiting
        self.queryAge = queryAge
        self.transactionAge = transactionAge
        self.transactionAgeSource = transactionAge == nil ? nil : .xactStart
        self.backendAge = backendAge
        self.stateAge = stateAge
        self.leaderPid = leaderPid
        self.superuser = superuser
        self.stateChange = stateChange
        self.usage = nil
        self.isClientBackend = backendType == Self.clientBackendType
        self.isHidden = query == Self.hiddenQuery
    }

    /// The box of texts, copied first when another backend value shares it.
    private mutating func uniqueText() -> BackendText {
        if !isKnownUniquelyReferenced(&text) { text = text.copy() }
        return text
    }

    /// The box of texts' identity (`SpanFingerprint`): valid while a backend holding the box lives.
    var textIdentity: ObjectIdentifier { ObjectIdentifier(text) }

    /// Every field, texts included (a shared box is equal at once).
    public static func == (a: Backend, b: Backend) -> Bool {
        a.id == b.id && a.state == b.state && a.waiting == b.waiting && a.queryAge == b.queryAge
            && a.transactionAge == b.transactionAge && a.transactionAgeSource == b.transactionAgeSource
            && a.backendAge == b.backendAge && a.stateAge == b.stateAge && a.leaderPid == b.leaderPid
            && a.superuser == b.superuser && a.stateChange == b.stateChange && a.usage == b.usage
            && (a.text === b.text || a.text == b.text)
    }

    /// Client backends are the sessions that use connection slots; everything else
    /// (autovacuum, walsender, checkpointer, parallel workers, ...) is a background process.
    /// Kept beside the box and set with `backendType`: the header, the filter and the slot
    /// budget ask it of every row on every refresh, without reaching into the box.
    public private(set) var isClientBackend: Bool

    /// Another role's session whose details the server hides from a role without
    /// `pg_read_all_stats` (`pg_monitor`): no state, no times, the query says so. Set with `query`.
    public private(set) var isHidden: Bool

    static let clientBackendType = "client backend"
    static let hiddenQuery = "<insufficient privilege>"

    /// Age in the given mode.
    public func age(_ mode: ElapsedMode) -> Double? {
        switch mode {
        case .query: return queryAge
        case .transaction: return transactionAge
        case .state: return stateAge
        case .backend: return backendAge
        }
    }
}

/// What ELAPSED measures: `T` steps through them in this order; `--elapsed` and the config
/// file take the raw values (`state`: since the last state change, i.e. idle for, or running for).
public enum ElapsedMode: String, Sendable, CaseIterable {
    case query, transaction, state, backend

    public var next: ElapsedMode {
        switch self {
        case .query: return .transaction
        case .transaction: return .state
        case .state: return .backend
        case .backend: return .query
        }
    }

    /// Header text: `ELAPSED since query start`.
    public var label: String {
        switch self {
        case .query: return "since query start"
        case .transaction: return "since transaction start"
        case .state: return "since state change"
        case .backend: return "since backend start"
        }
    }

    /// The ELAPSED column's title on this clock: `ELAPSED` (since the query start, the default),
    /// `XACT AGE`, `IN STATE` (idle for, running for), `CONN AGE`.
    public var columnTitle: String {
        switch self {
        case .query: return "ELAPSED"
        case .transaction: return "XACT AGE"
        case .state: return "IN STATE"
        case .backend: return "CONN AGE"
        }
    }
}
