import PGTopCore

/// `SampleFigures` to and from a row of `samples`: the one place that knows the columns'
/// order, for the writer's INSERT and the reader's SELECT.
enum SampleRow {
    static let columns = [
        "t_us", "backends", "clients", "slots_used", "slots_max", "superuser_reserved", "reserved", "slots_free",
        "active", "idle", "idle_in_txn", "waiting", "hidden", "stuck", "longest_xact_s",
        "stats_at", "commits", "rollbacks", "rows_read", "rows_inserted", "rows_updated", "rows_deleted",
        "blocks_read", "blocks_hit", "temp_files", "temp_bytes", "deadlocks", "checkpoints_timed",
        "checkpoints_requested", "oldest_xmin_age", "database_bytes", "in_recovery", "replay_lag_s", "replay_bytes",
        "standbys", "replication_slots",
    ]

    static let insert = "INSERT INTO samples(\(columns.joined(separator: ", "))) VALUES ("
        + (1...columns.count).map { "?\($0)" }.joined(separator: ", ") + ")"

    static let select = "SELECT \(columns.joined(separator: ", ")) FROM samples"

    /// The counters in `stats`, in column order from `stats_at` to `replay_bytes`.
    private static func counters(_ s: ServerStats) -> [Int64?] {
        [s.commits, s.rollbacks, s.rowsRead, s.rowsInserted, s.rowsUpdated, s.rowsDeleted, s.blocksRead, s.blocksHit,
         s.tempFiles, s.tempBytes, s.deadlocks, s.checkpointsTimed, s.checkpointsRequested, s.oldestXminAge,
         s.databaseBytes]
    }

    static func bind(_ s: Statement, _ f: SampleFigures, at t: Int64) {
        s.bind(1, t)
        let counts: [Int?] = [f.backends, f.clients, f.slots?.used, f.slots?.max, f.slots?.superuserReserved,
                              f.slots?.reserved, f.slots?.freeForOrdinary, f.active, f.idle, f.idleInTransaction,
                              f.waiting, f.hidden, f.stuck]
        for (i, v) in counts.enumerated() { s.bind(Int32(2 + i), v) }
        s.bind(15, f.longestTransaction)
        guard let stats = f.stats else { return }  // the rest stays NULL
        s.bind(16, stats.at)
        for (i, v) in counters(stats).enumerated() { s.bind(Int32(17 + i), v) }
        s.bind(32, stats.inRecovery)
        s.bind(33, stats.replayLag)
        s.bind(34, stats.replayBytes)
        s.bind(35, stats.standbys.isEmpty ? nil : ReplicationText.standbys(stats.standbys))
        s.bind(36, stats.slots.isEmpty ? nil : ReplicationText.slots(stats.slots))
    }

    /// The sample's time and figures from a row of `select`.
    static func read(_ s: Statement) -> (t: Int64, figures: SampleFigures) {
        var f = SampleFigures()
        func n(_ i: Int32) -> Int { s.int(i) ?? 0 }
        f.backends = n(1); f.clients = n(2)
        if let used = s.int(3), let max = s.int(4) {
            f.slots = SlotBudget(used: used, max: max, superuserReserved: n(5), reserved: n(6))
        }
        f.active = n(8); f.idle = n(9); f.idleInTransaction = n(10); f.waiting = n(11); f.hidden = n(12); f.stuck = n(13)
        f.longestTransaction = s.double(14)
        if let at = s.double(15) {
            var st = ServerStats(at: at)
            let c = (16...30).map { s.int64(Int32($0)) }
            st.commits = c[0] ?? 0; st.rollbacks = c[1] ?? 0; st.rowsRead = c[2] ?? 0; st.rowsInserted = c[3] ?? 0
            st.rowsUpdated = c[4] ?? 0; st.rowsDeleted = c[5] ?? 0; st.blocksRead = c[6] ?? 0; st.blocksHit = c[7] ?? 0
            st.tempFiles = c[8] ?? 0; st.tempBytes = c[9] ?? 0; st.deadlocks = c[10] ?? 0
            st.checkpointsTimed = c[11] ?? 0; st.checkpointsRequested = c[12] ?? 0
            st.oldestXminAge = c[13]; st.databaseBytes = c[14]
            st.inRecovery = s.bool(31) ?? false
            st.replayLag = s.double(32)
            st.replayBytes = s.int64(33)
            st.standbys = s.text(34).map(ReplicationText.standbys) ?? []
            st.slots = s.text(35).map(ReplicationText.slots) ?? []
            f.stats = st
        }
        return (s.int64(0) ?? 0, f)
    }
}
