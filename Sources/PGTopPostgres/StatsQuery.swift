import PGTopCore

/// The server's cumulative counters, one row, cheap (a sum over `pg_stat_database`, one
/// `pg_stat_activity` aggregate); the databases' size only when asked (`withSize`: it walks
/// the data directory, so every half minute).
public enum StatsQuery {
    public static func sql(serverVersion: Int, withSize: Bool) -> String {
        // Checkpoint counters moved from pg_stat_bgwriter to pg_stat_checkpointer in 17.
        let checkpoints = serverVersion >= 170000
            ? "(SELECT num_timed FROM pg_stat_checkpointer) AS checkpoints_timed, (SELECT num_requested FROM pg_stat_checkpointer) AS checkpoints_req"
            : "(SELECT checkpoints_timed FROM pg_stat_bgwriter) AS checkpoints_timed, (SELECT checkpoints_req FROM pg_stat_bgwriter) AS checkpoints_req"
        // backend_xmin is 9.4+.
        let xmin = serverVersion >= 90400
            ? "(SELECT max(age(backend_xmin)) FROM pg_stat_activity WHERE backend_xmin IS NOT NULL)"
            : "NULL::int"
        // Replication, 10+ (the wal/lsn names). A standby has no current WAL position: the
        // reference is what it replayed. Fields are split by chr(31), records by chr(30).
        let here = "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END"
        let replication = serverVersion >= 100000 ? """
            pg_is_in_recovery() AS in_recovery,
                   CASE WHEN pg_is_in_recovery()
                        THEN date_part('epoch', clock_timestamp() - pg_last_xact_replay_timestamp()) END AS replay_lag,
                   CASE WHEN pg_is_in_recovery()
                        THEN pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::int8 END AS replay_bytes,
                   (SELECT string_agg(coalesce(application_name, '') || chr(31) || coalesce(state, '') || chr(31)
                                      || coalesce(pg_wal_lsn_diff(\(here), replay_lsn)::int8::text, '') || chr(31)
                                      || coalesce(pg_wal_lsn_diff(\(here), write_lsn)::int8::text, '') || chr(31)
                                      || coalesce(pg_wal_lsn_diff(\(here), flush_lsn)::int8::text, '') || chr(31)
                                      || coalesce(date_part('epoch', write_lag)::text, '') || chr(31)
                                      || coalesce(date_part('epoch', flush_lag)::text, '') || chr(31)
                                      || coalesce(date_part('epoch', replay_lag)::text, ''), chr(30) ORDER BY application_name)
                    FROM pg_stat_replication) AS standbys,
                   (SELECT string_agg(slot_name || chr(31) || active::text || chr(31)
                                      || coalesce(pg_wal_lsn_diff(\(here), restart_lsn)::int8::text, ''), chr(30) ORDER BY slot_name)
                    FROM pg_replication_slots) AS slots,
            """ : "false AS in_recovery, NULL AS replay_lag, NULL AS replay_bytes, NULL AS standbys, NULL AS slots,"
        let size = withSize ? "(SELECT sum(pg_database_size(oid)) FROM pg_database WHERE datallowconn)::int8" : "NULL::int8"
        return """
            -- pgtop server figures
            SELECT date_part('epoch', clock_timestamp()) AS at,
                   sum(xact_commit)::int8 AS commits, sum(xact_rollback)::int8 AS rollbacks,
                   sum(tup_returned)::int8 AS rows_read, sum(tup_inserted)::int8 AS rows_inserted,
                   sum(tup_updated)::int8 AS rows_updated, sum(tup_deleted)::int8 AS rows_deleted,
                   sum(blks_read)::int8 AS blocks_read, sum(blks_hit)::int8 AS blocks_hit,
                   sum(temp_files)::int8 AS temp_files, sum(temp_bytes)::int8 AS temp_bytes,
                   sum(deadlocks)::int8 AS deadlocks,
                   \(checkpoints),
                   \(xmin) AS oldest_xmin_age,
                   \(replication)
                   \(size) AS database_bytes
            FROM pg_stat_database
            """
    }

    public static func decode(_ result: QueryResult) -> ServerStats? {
        guard result.rowCount == 1, let at = result[0, "at"].flatMap(Double.init) else { return nil }
        func int(_ name: String) -> Int64 { result[0, name].flatMap { Int64($0) } ?? 0 }
        var s = ServerStats(at: at)
        s.commits = int("commits"); s.rollbacks = int("rollbacks")
        s.rowsRead = int("rows_read"); s.rowsInserted = int("rows_inserted")
        s.rowsUpdated = int("rows_updated"); s.rowsDeleted = int("rows_deleted")
        s.blocksRead = int("blocks_read"); s.blocksHit = int("blocks_hit")
        s.tempFiles = int("temp_files"); s.tempBytes = int("temp_bytes"); s.deadlocks = int("deadlocks")
        s.checkpointsTimed = int("checkpoints_timed"); s.checkpointsRequested = int("checkpoints_req")
        s.oldestXminAge = result[0, "oldest_xmin_age"].flatMap { Int64($0) }
        s.databaseBytes = result[0, "database_bytes"].flatMap { Int64($0) }
        s.inRecovery = result[0, "in_recovery"] == "t"
        s.replayLag = result[0, "replay_lag"].flatMap(Double.init)
        s.replayBytes = result[0, "replay_bytes"].flatMap { Int64($0) }
        for r in records(result[0, "standbys"]) where r.count == 8 {
            s.standbys.append(ServerStats.Standby(name: r[0], state: r[1], lagBytes: Int64(r[2]), writeBytes: Int64(r[3]),
                                                  flushBytes: Int64(r[4]), writeLag: Double(r[5]), flushLag: Double(r[6]),
                                                  replayLag: Double(r[7])))
        }
        for record in records(result[0, "slots"]) where record.count == 3 {
            s.slots.append(ServerStats.Slot(name: record[0], active: record[1] == "true", retainedBytes: Int64(record[2])))
        }
        return s
    }

    /// Records split by chr(30), fields by chr(31); empty fields kept.
    static func records(_ text: String?) -> [[String]] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: "\u{1E}", omittingEmptySubsequences: false).map {
            $0.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        }
    }
}
