/// The server's cumulative counters at one moment (all databases together): two of them make
/// the header's rates.
public struct ServerStats: Sendable, Equatable {
    /// Server clock, seconds since the epoch.
    public var at: Double
    public var commits: Int64 = 0, rollbacks: Int64 = 0
    public var rowsRead: Int64 = 0, rowsInserted: Int64 = 0, rowsUpdated: Int64 = 0, rowsDeleted: Int64 = 0
    public var blocksRead: Int64 = 0, blocksHit: Int64 = 0
    public var tempFiles: Int64 = 0, tempBytes: Int64 = 0, deadlocks: Int64 = 0
    public var checkpointsTimed: Int64 = 0, checkpointsRequested: Int64 = 0
    /// Transactions since the oldest snapshot a session holds (`age(backend_xmin)`): what vacuum
    /// cannot clean up behind. nil when no session holds one.
    public var oldestXminAge: Int64?
    /// All databases' size, asked every half minute only (it walks the data directory).
    public var databaseBytes: Int64?

    /// Replication (10+). A standby: how far its replay is behind, in time since the last
    /// replayed transaction and in WAL received but not replayed.
    public var inRecovery = false
    public var replayLag: Double?
    public var replayBytes: Int64?
    /// A primary: its streaming standbys.
    public var standbys: [Standby] = []
    /// Replication slots and the WAL each keeps on disk.
    public var slots: [Slot] = []

    public struct Standby: Sendable, Equatable {
        public var name: String, state: String
        /// WAL not yet written, flushed, replayed there (bytes, `lagBytes` is the replay), and
        /// `write_lag`, `flush_lag`, `replay_lag` (seconds).
        public var lagBytes: Int64?, writeBytes: Int64?, flushBytes: Int64?
        public var writeLag: Double?, flushLag: Double?, replayLag: Double?
        public init(name: String, state: String, lagBytes: Int64?, writeBytes: Int64? = nil, flushBytes: Int64? = nil,
                    writeLag: Double? = nil, flushLag: Double? = nil, replayLag: Double?) {
            self.name = name; self.state = state; self.lagBytes = lagBytes
            self.writeBytes = writeBytes; self.flushBytes = flushBytes
            self.writeLag = writeLag; self.flushLag = flushLag; self.replayLag = replayLag
        }
    }

    public struct Slot: Sendable, Equatable {
        public var name: String, active: Bool, retainedBytes: Int64?
        public init(name: String, active: Bool, retainedBytes: Int64?) {
            self.name = name; self.active = active; self.retainedBytes = retainedBytes
        }
    }

    public init(at: Double) { self.at = at }
}

/// Rates between two samples, per second, and what happened in between.
public struct ServerRates: Sendable, Equatable {
    public var seconds: Double
    public var transactions: Double
    public var rowsRead: Double, rowsInserted: Double, rowsUpdated: Double, rowsDeleted: Double
    /// Blocks found in shared buffers over blocks asked for, in the interval; nil when none asked.
    public var cacheHit: Double?
    public var tempFiles: Double, tempBytes: Double
    public var deadlocks: Int64, checkpoints: Int64, checkpointsRequested: Int64

    /// nil when the samples cannot be compared: no time between them, or counters that went
    /// back (a stats reset, a server restart).
    public init?(from a: ServerStats, to b: ServerStats) {
        let dt = b.at - a.at
        guard dt > 0.01 else { return nil }
        let pairs: [(Int64, Int64)] = [(a.commits, b.commits), (a.rollbacks, b.rollbacks), (a.rowsRead, b.rowsRead),
                                       (a.rowsInserted, b.rowsInserted), (a.rowsUpdated, b.rowsUpdated),
                                       (a.rowsDeleted, b.rowsDeleted), (a.blocksRead, b.blocksRead), (a.blocksHit, b.blocksHit),
                                       (a.tempFiles, b.tempFiles), (a.tempBytes, b.tempBytes), (a.deadlocks, b.deadlocks),
                                       (a.checkpointsTimed, b.checkpointsTimed), (a.checkpointsRequested, b.checkpointsRequested)]
        guard pairs.allSatisfy({ $0.1 >= $0.0 }) else { return nil }
        func rate(_ x: Int64, _ y: Int64) -> Double { Double(y - x) / dt }
        seconds = dt
        transactions = rate(a.commits + a.rollbacks, b.commits + b.rollbacks)
        rowsRead = rate(a.rowsRead, b.rowsRead)
        rowsInserted = rate(a.rowsInserted, b.rowsInserted)
        rowsUpdated = rate(a.rowsUpdated, b.rowsUpdated)
        rowsDeleted = rate(a.rowsDeleted, b.rowsDeleted)
        let hit = b.blocksHit - a.blocksHit, read = b.blocksRead - a.blocksRead
        cacheHit = hit + read > 0 ? Double(hit) / Double(hit + read) : nil
        tempFiles = rate(a.tempFiles, b.tempFiles)
        tempBytes = rate(a.tempBytes, b.tempBytes)
        deadlocks = b.deadlocks - a.deadlocks
        checkpoints = (b.checkpointsTimed + b.checkpointsRequested) - (a.checkpointsTimed + a.checkpointsRequested)
        checkpointsRequested = b.checkpointsRequested - a.checkpointsRequested
    }
}
