/// What the header counts over the client backends of one snapshot: states, slots used, who
/// holds them, the longest transaction. Counted in one pass when the snapshot arrives
/// (`AppState.snapshot`), not on every draw: at 2,000 backends the four separate passes the
/// header made were a tenth of a refresh, and a refresh may be drawn more than once.
///
///     let tally = HeaderTally(snapshot.backends)
///     tally.counts.idleInTransaction   // 300
///     tally.holders.byUser             // [("app", 1700), ("report", 300)]
struct HeaderTally: Sendable, Equatable {
    var counts = StateCounts()
    /// Client backends in the snapshot (pgtop's own session is not one of them).
    var clients = 0
    var holders = SlotHolders.Top()
    /// The oldest open transaction of a client backend, seconds.
    var longestTransaction: Double?

    init() {}

    /// `holders: false`: without who holds the slots (a recording's figures do not keep them;
    /// 2,000 distinct client addresses cost more than everything else here).
    init(_ backends: [Backend], holders: Bool = true) {
        var users = Tally(), applications = Tally(), addresses = Tally()
        backends.withUnsafeBufferPointer { b in
            for i in b.indices where b[i].isClientBackend {
                clients += 1
                counts.add(b[i])
                if holders {
                    users.add(b[i].user)
                    applications.add(b[i].application)
                    addresses.add(b[i].client)
                }
                if let age = b[i].transactionAge, age > longestTransaction ?? -.infinity { longestTransaction = age }
            }
        }
        guard holders else { return }
        self.holders = SlotHolders.Top(byUser: SlotHolders.top(users, limit: 3),
                                  byApplication: SlotHolders.top(applications, limit: 3),
                                  byClient: SlotHolders.top(addresses, limit: 3))
    }
}

/// Who holds the slots: client backends counted by user, application and client, in one pass.
struct SlotHolders {
    /// One group of slot holders: `app 1700`, or the rest as `2 others 12`.
    struct Group: Sendable, Equatable {
        var name: String
        var count: Int
    }

    /// The biggest groups by user, application and client, as the header shows them.
    struct Top: Sendable, Equatable {
        var byUser: [Group] = []
        var byApplication: [Group] = []
        var byClient: [Group] = []
    }

    var clients = 0
    var byUser = Tally(), byApplication = Tally(), byClient = Tally()

    init(_ backends: [Backend]) {
        backends.withUnsafeBufferPointer { b in
            for i in b.indices where b[i].isClientBackend {
                clients += 1
                byUser.add(b[i].user)
                byApplication.add(b[i].application)
                byClient.add(b[i].client)
            }
        }
    }

    /// The `limit` biggest groups, most slots first (then by name), and the rest as one.
    static func top(_ tally: Tally, limit: Int) -> [Group] {
        let sorted = tally.counts.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        var out = sorted.prefix(limit).map { Group(name: $0.name, count: $0.count) }
        if sorted.count > limit { out.append(Group(name: sorted.count - limit == 1 ? "1 other" : "\(sorted.count - limit) others", count: sorted.dropFirst(limit).reduce(0) { $0 + $1.count })) }
        return out
    }
}

/// Counts of equal strings. A server has a handful of roles, applications and client hosts:
/// the first few are found by comparison in a short list (equal strings from one refresh
/// mostly share storage, so comparing is cheap), the rest by hashing.
struct Tally {
    private var few: [(name: String, count: Int)] = []
    private var many: [String: Int] = [:]

    mutating func add(_ name: String) {
        for i in few.indices where few[i].name == name {
            few[i].count += 1
            return
        }
        if few.count < 8 { few.append((name, 1)) } else { many[name, default: 0] += 1 }
    }

    var counts: [(name: String, count: Int)] { few + many.map { (name: $0.key, count: $0.value) } }
}

/// Backend counts by state, over client backends.
struct StateCounts: Sendable, Equatable {
    var active = 0, idle = 0, idleInTransaction = 0, waiting = 0
    /// Other roles' sessions whose details the server hides (no `pg_monitor`).
    var hidden = 0

    init() {}

    init(_ backends: [Backend]) {
        for b in backends where b.isClientBackend { add(b) }
    }

    /// Counts one client backend.
    mutating func add(_ b: Backend) {
        switch b.state {
        case .active, .fastpath: active += 1
        case .idle: idle += 1
        case .idleInTransaction, .idleInTransactionAborted: idleInTransaction += 1
        default: break
        }
        if b.waiting { waiting += 1 }
        if b.isHidden { hidden += 1 }
    }
}
