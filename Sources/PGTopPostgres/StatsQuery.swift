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
        return s
    }
}
