/// The previous refresh, kept so that the next one asks the server only for what changed.
///
/// Most of a busy server's backends sit idle or idle in transaction, and such a row does not
/// change until its backend runs a statement, which moves `state_change`. So each refresh sends
/// the keys of those rows (pid, backend start, state change, superuser), the server leaves out
/// the rows that still match, and the rows left out are the previous ones, their ages moved on
/// by the server's clock. Active, waiting and new backends always come whole; so does everything
/// on the first refresh, and after `reset` (a new connection).
///
///     var delta = DeltaRefresh()
///     try c.send(ActivityQuery.sql(serverVersion: v), ActivityQuery.parameters(delta.request()))
///     // ... when the answer arrives:
///     let backends = delta.receive(ActivityQuery.decode(result))   // every backend, as a full refresh gives
public struct DeltaRefresh: Sendable {
    /// What the server compares to tell that a backend's row has not changed.
    public struct Key: Sendable, Equatable {
        public var pid: Int32
        /// `backend_start` and `state_change`, microseconds since the epoch.
        public var start: Int64
        public var stateChange: Int64
        public var superuser: Bool

        public init(_ backend: Backend) {
            pid = backend.pid
            start = backend.id.start
            stateChange = backend.stateChange ?? 0
            superuser = backend.superuser
        }
    }

    /// Every backend as of the last answer.
    public private(set) var backends: [Backend] = []
    /// The server's clock at the last answer (ms since the epoch); nil before one with a clock.
    /// A recording stamps its sample with it: the ages of the rows are as of this instant.
    public private(set) var clock: Int64?
    /// Where in `backends` the keys sent with the refresh under way are.
    private var asked: [Int] = []

    public init() {}

    /// True when the server may answer "unchanged" for this backend: a session that sits idle
    /// or idle in transaction, not waiting, with a known state change.
    public static func isKey(_ backend: Backend) -> Bool {
        guard backend.stateChange != nil, !backend.waiting else { return false }
        switch backend.state {
        case .idle, .idleInTransaction, .idleInTransactionAborted: return true
        default: return false
        }
    }

    /// The keys to send with the next refresh (none before the first answer), remembered for
    /// its answer.
    public mutating func request() -> [Key] {
        asked = []
        guard clock != nil else { return [] }
        // One pass over the rows in place: no row is copied to be looked at.
        var keys: [Key] = []
        var asked: [Int] = []
        keys.reserveCapacity(backends.count)
        asked.reserveCapacity(backends.count)
        backends.withUnsafeBufferPointer { b in
            for i in b.indices where Self.isKey(b[i]) {
                asked.append(i)
                keys.append(Key(b[i]))
            }
        }
        self.asked = asked
        return keys
    }

    /// The answer to the refresh `request` keyed: every backend now, the whole ones from the
    /// answer and the unchanged ones from before with their ages moved on. The whole ones get
    /// their age since `state_change` from the server's clock, and an aborted transaction (the
    /// server has no `xact_start` for it) the age of its transaction as an earlier refresh saw
    /// it, else since `state_change` (`TransactionAgeSource`).
    public mutating func receive(_ answer: ActivityAnswer) -> [Backend] {
        var all: [Backend] = []
        all.reserveCapacity(answer.backends.count + asked.count)
        all += answer.backends
        // Milliseconds on both sides: the ages stay as exact as the server's.
        let elapsed = answer.clock.flatMap { now in clock.map { Double(now - $0) / 1000 } }
        var earlier: [BackendID: Int]?  // built only when an aborted transaction needs it
        if let now = answer.clock {
            for i in all.indices {
                guard let change = all[i].stateChange else { continue }
                let age = Swift.max(0, Double(now * 1000 - change) / 1_000_000)
                all[i].stateAge = age
                guard all[i].transactionAge == nil, all[i].state == .idleInTransactionAborted else { continue }
                if earlier == nil, elapsed != nil {
                    earlier = Dictionary(backends.indices.map { (backends[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
                }
                if let elapsed, let j = earlier?[all[i].id], let seen = backends[j].transactionAge {
                    all[i].transactionAge = seen + elapsed
                    let source = backends[j].transactionAgeSource
                    all[i].transactionAgeSource = source == .stateChange ? .stateChange : .earlierRefresh
                } else {
                    all[i].transactionAge = age
                    all[i].transactionAgeSource = .stateChange
                }
            }
        }
        if !asked.isEmpty {
            var named = Set(answer.ended)
            for b in answer.backends { named.insert(b.pid) }
            let elapsed = elapsed ?? 0
            for i in asked where !named.contains(backends[i].pid) {
                var b = backends[i]
                b.queryAge = b.queryAge.map { $0 + elapsed }
                b.transactionAge = b.transactionAge.map { $0 + elapsed }
                b.backendAge = b.backendAge.map { $0 + elapsed }
                b.stateAge = b.stateAge.map { $0 + elapsed }
                all.append(b)
            }
        }
        backends = all
        clock = answer.clock
        asked = []
        return all
    }

    /// Forgets everything: the next refresh asks for every row (a new connection, maybe to a
    /// restarted server).
    public mutating func reset() {
        self = DeltaRefresh()
    }
}
