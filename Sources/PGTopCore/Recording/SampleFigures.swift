/// One row of a recording's `samples`: the figures the header shows at a refresh, counted
/// from its backends (client backends, as the header counts them) and the server's figures.
///
///     SampleFigures(backends, server: info, idleWarn: 60, stats: latestStats)
public struct SampleFigures: Sendable, Equatable {
    /// Every row of the snapshot, background processes included.
    public var backends = 0
    /// Client backends (pgtop's own session not among them).
    public var clients = 0
    /// The slot budget (`SlotBudget`); nil without the server's figures.
    public var slots: SlotBudget?
    public var active = 0, idle = 0, idleInTransaction = 0, waiting = 0, hidden = 0
    /// Idle in transaction for `idleWarn` or more, or aborted: the rows the table highlights.
    public var stuck = 0
    /// The oldest open transaction of a client backend, seconds.
    public var longestTransaction: Double?
    /// The server's counters when a reading arrived with this sample, else nil.
    public var stats: ServerStats?

    public init() {}

    public init(_ backends: [Backend], server: ServerInfo?, idleWarn: Double, stats: ServerStats? = nil) {
        let tally = HeaderTally(backends, holders: false)
        self.backends = backends.count
        clients = tally.clients
        slots = server.map { SlotBudget(server: $0, clients: tally.clients) }
        active = tally.counts.active
        idle = tally.counts.idle
        idleInTransaction = tally.counts.idleInTransaction
        waiting = tally.counts.waiting
        hidden = tally.counts.hidden
        for b in backends where b.isClientBackend && TableView.isStuck(b, threshold: idleWarn) { stuck += 1 }
        longestTransaction = tally.longestTransaction
        self.stats = stats
    }
}
