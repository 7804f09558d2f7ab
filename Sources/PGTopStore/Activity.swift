import PGTopCore

/// What a session was doing in a span, apart from its times and its query: its state, wait,
/// lock, blockers and the rest. Spans share a few thousand of these at most (the same lock
/// wait, the same idle state), so a span stores the id of one (`activities`, `InternTable`).
/// Empty texts are NULL, as docs/recording.md says; `application` only when it differs from
/// the session's.
///
///     Activity(span, sessionApplication: "web")   // idle in transaction, Client/ClientRead
struct Activity: Interned {
    var state: String
    var waitType: String?
    var waitEvent: String?
    var waiting: Bool
    /// `4211,4212`.
    var blockedBy: String?
    var lockMode: String?
    var lockTarget: String?
    /// NULL for `xact_start` as the server gave it (or no transaction).
    var transactionSource: String?
    var application: String?
    var leaderPid: Int64?
    var superuser: Bool

    static var table: String { "activities" }
    static var columns: [String] {
        ["state", "wait_type", "wait_event", "waiting", "blocked_by", "lock_mode", "lock_target", "xact_source",
         "application", "leader_pid", "superuser"]
    }

    init(state: String, waitType: String?, waitEvent: String?, waiting: Bool, blockedBy: String?, lockMode: String?,
         lockTarget: String?, transactionSource: String?, application: String?, leaderPid: Int64?, superuser: Bool) {
        self.state = state
        self.waitType = waitType
        self.waitEvent = waitEvent
        self.waiting = waiting
        self.blockedBy = blockedBy
        self.lockMode = lockMode
        self.lockTarget = lockTarget
        self.transactionSource = transactionSource
        self.application = application
        self.leaderPid = leaderPid
        self.superuser = superuser
    }

    init(_ p: RecordedSpan, sessionApplication: String) {
        func text(_ s: String) -> String? { s.isEmpty ? nil : s }
        self.init(state: p.state, waitType: text(p.waitEventType), waitEvent: text(p.waitEvent), waiting: p.waiting,
                  blockedBy: p.blockedBy.isEmpty ? nil : p.blockedBy.map(String.init).joined(separator: ","),
                  lockMode: text(p.lockMode), lockTarget: text(p.lockTarget),
                  transactionSource: p.transactionSource == .xactStart ? nil : p.transactionSource?.rawValue,
                  application: p.application == sessionApplication ? nil : p.application,
                  leaderPid: p.leaderPid.map(Int64.init), superuser: p.superuser)
    }

    /// Reads the columns in `columns` order, the first at `first`.
    init(_ s: Statement, from first: Int32) {
        self.init(state: s.text(first) ?? "", waitType: s.text(first + 1), waitEvent: s.text(first + 2),
                  waiting: s.bool(first + 3) ?? false, blockedBy: s.text(first + 4), lockMode: s.text(first + 5),
                  lockTarget: s.text(first + 6), transactionSource: s.text(first + 7), application: s.text(first + 8),
                  leaderPid: s.int64(first + 9), superuser: s.bool(first + 10) ?? false)
    }

    func bind(_ s: Statement, from first: Int32) {
        s.bind(first, state); s.bind(first + 1, waitType); s.bind(first + 2, waitEvent); s.bind(first + 3, waiting)
        s.bind(first + 4, blockedBy); s.bind(first + 5, lockMode); s.bind(first + 6, lockTarget)
        s.bind(first + 7, transactionSource); s.bind(first + 8, application); s.bind(first + 9, leaderPid)
        s.bind(first + 10, superuser)
    }

    var hash: Int64 {
        var h = FNV()
        h.add(state); h.add(waitType); h.add(waitEvent); h.add(UInt8(waiting ? 1 : 0)); h.add(blockedBy); h.add(lockMode)
        h.add(lockTarget); h.add(transactionSource); h.add(application); h.add(leaderPid); h.add(UInt8(superuser ? 1 : 0))
        return h.signed
    }

    /// The span's fields but its times and query; `application` falls back to the session's.
    func span(sessionApplication: String) -> RecordedSpan {
        RecordedSpan(state: state, waitEventType: waitType ?? "", waitEvent: waitEvent ?? "", waiting: waiting,
                     blockedBy: (blockedBy ?? "").split(separator: ",").compactMap { Int32($0) },
                     lockMode: lockMode ?? "", lockTarget: lockTarget ?? "",
                     transactionSource: transactionSource.flatMap(TransactionAgeSource.init(rawValue:)),
                     application: application ?? sessionApplication, leaderPid: leaderPid.map { Int32(truncatingIfNeeded: $0) },
                     superuser: superuser)
    }
}
