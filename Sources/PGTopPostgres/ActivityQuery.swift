import PGTopCore

/// The refresh: one statement, one round trip, everything the screen shows about every
/// backend but pgtop's own. The text is chosen by `server_version_num`; each variant says
/// what its version changed (in its first line, `-- pgtop activity: PostgreSQL 13: NEW ...`).
///
///     try c.send(ActivityQuery.sql(serverVersion: c.serverVersion))
///     // ... when c.poll() returns the result:
///     let backends = ActivityQuery.decode(result)   // [Backend]
public enum ActivityQuery {
    /// The columns a version can give; the rest of the statement is the same for all.
    struct Variant {
        let minimumVersion: Int
        let note: String
        let waitEventType: String
        let waitEvent: String
        let waiting: String
        let blockedBy: String
        let backendType: String
        let leaderPid: String
    }

    static let variants: [Variant] = [
        Variant(minimumVersion: 130000,
                note: "PostgreSQL 13: NEW leader_pid (parallel workers name their leader)",
                waitEventType: "a.wait_event_type", waitEvent: "a.wait_event",
                waiting: "a.wait_event_type = 'Lock'", blockedBy: blockingPids,
                backendType: hiddenAwareBackendType, leaderPid: "a.leader_pid"),
        Variant(minimumVersion: 100000,
                note: "PostgreSQL 10: NEW backend_type (background processes are listed too)",
                waitEventType: "a.wait_event_type", waitEvent: "a.wait_event",
                waiting: "a.wait_event_type = 'Lock'", blockedBy: blockingPids,
                backendType: hiddenAwareBackendType, leaderPid: "NULL::int"),
        Variant(minimumVersion: 90600,
                note: "PostgreSQL 9.6: NEW wait_event_type, wait_event, pg_blocking_pids(); GONE waiting",
                waitEventType: "a.wait_event_type", waitEvent: "a.wait_event",
                waiting: "a.wait_event_type = 'Lock'", blockedBy: blockingPids,
                backendType: "'client backend'", leaderPid: "NULL::int"),
        Variant(minimumVersion: 90200,
                note: "PostgreSQL 9.2: state, query and the boolean waiting; blockers from pg_locks",
                waitEventType: "''", waitEvent: "''",
                waiting: "a.waiting", blockedBy: lockJoinBlockers,
                backendType: "'client backend'", leaderPid: "NULL::int"),
    ]

    /// Without pg_read_all_stats, other roles' rows have no backend_type: a row with a database
    /// and a role is a session, anything else a background process.
    static let hiddenAwareBackendType = """
        coalesce(a.backend_type, CASE WHEN a.datid IS NOT NULL AND a.usesysid IS NOT NULL
                                      THEN 'client backend' ELSE 'background' END)
        """

    /// pg_blocking_pids() is costly at thousands of backends: asked only for lock waiters.
    static let blockingPids = """
        CASE WHEN a.wait_event_type = 'Lock' THEN array_to_string(pg_blocking_pids(a.pid), ',') END
        """

    /// Before 9.6: the holders of a granted lock on the same object as the ungranted one.
    static let lockJoinBlockers = """
        CASE WHEN a.waiting THEN (
                 SELECT string_agg(DISTINCT h.pid::text, ',')
                 FROM pg_locks w
                 JOIN pg_locks h ON h.granted AND h.pid <> w.pid AND h.locktype = w.locktype
                      AND h.database IS NOT DISTINCT FROM w.database
                      AND h.relation IS NOT DISTINCT FROM w.relation
                      AND h.page IS NOT DISTINCT FROM w.page
                      AND h.tuple IS NOT DISTINCT FROM w.tuple
                      AND h.virtualxid IS NOT DISTINCT FROM w.virtualxid
                      AND h.transactionid IS NOT DISTINCT FROM w.transactionid
                      AND h.classid IS NOT DISTINCT FROM w.classid
                      AND h.objid IS NOT DISTINCT FROM w.objid
                      AND h.objsubid IS NOT DISTINCT FROM w.objsubid
                 WHERE w.pid = a.pid AND NOT w.granted) END
        """

    /// The longest query text shipped per row: what a screen can show, never megabytes.
    public static let queryTextLimit = 1024

    static func variant(for serverVersion: Int) -> Variant {
        variants.first { serverVersion >= $0.minimumVersion } ?? variants[variants.count - 1]
    }

    /// The statement for a server of `serverVersion` (`server_version_num`).
    public static func sql(serverVersion: Int) -> String {
        let v = variant(for: serverVersion)
        return """
            -- pgtop activity: \(v.note)
            SELECT a.pid,
                   coalesce((extract(epoch FROM a.backend_start) * 1000000)::int8, 0) AS backend_start_us,
                   coalesce(a.datname, '') AS datname,
                   coalesce(a.usename, '') AS usename,
                   CASE WHEN a.client_port = -1 THEN 'local'
                        ELSE coalesce(host(a.client_addr), '') END AS client,
                   coalesce(a.application_name, '') AS application_name,
                   coalesce(a.state, '') AS state,
                   coalesce(\(v.waitEventType), '') AS wait_event_type,
                   coalesce(\(v.waitEvent), '') AS wait_event,
                   coalesce(\(v.waiting), false) AS waiting,
                   \(v.blockedBy) AS blocked_by,
                   coalesce(\(v.backendType), '') AS backend_type,
                   extract(epoch FROM (c.now - a.query_start))::float8 AS query_age,
                   extract(epoch FROM (c.now - a.xact_start))::float8 AS xact_age,
                   extract(epoch FROM (c.now - a.backend_start))::float8 AS backend_age,
                   left(a.query, \(queryTextLimit)) AS query,
                   \(v.leaderPid) AS leader_pid,
                   coalesce(r.rolsuper, false) AS superuser
            FROM pg_stat_activity a
            CROSS JOIN (SELECT clock_timestamp() AS now) c
            LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.usesysid
            WHERE a.pid <> pg_backend_pid()
            """
    }

    /// Rows to backends. Odd values never crash: a field that does not parse is left empty.
    public static func decode(_ result: QueryResult) -> [Backend] {
        let col = Dictionary(uniqueKeysWithValues: result.columns.enumerated().map { ($1, $0) })
        func index(_ name: String) -> Int { col[name] ?? -1 }
        let pid = index("pid"), start = index("backend_start_us"), db = index("datname"), user = index("usename")
        let client = index("client"), app = index("application_name"), state = index("state")
        let wet = index("wait_event_type"), we = index("wait_event"), waiting = index("waiting")
        let blocked = index("blocked_by"), type = index("backend_type"), qa = index("query_age")
        let xa = index("xact_age"), ba = index("backend_age"), query = index("query"), leader = index("leader_pid")
        let superuser = index("superuser")
        var backends: [Backend] = []
        backends.reserveCapacity(result.rows.count)
        for row in result.rows {
            func text(_ i: Int) -> String { i >= 0 && i < row.count ? row[i] ?? "" : "" }
            func number(_ i: Int) -> Double? {
                guard i >= 0 && i < row.count, let value = row[i].flatMap(Double.init), value.isFinite else { return nil }
                return value
            }
            guard let p = Int32(text(pid)) else { continue }
            let type = text(type)
            backends.append(Backend(
                id: BackendID(pid: p, start: Int64(text(start)) ?? 0),
                database: text(db), user: text(user), client: text(client), application: text(app),
                state: BackendState(serverText: text(state)), waitEventType: text(wet), waitEvent: text(we),
                waiting: text(waiting) == "t",
                blockedBy: text(blocked).split(separator: ",").compactMap { Int32($0) },
                backendType: type.isEmpty ? "client backend" : type,
                queryAge: number(qa), transactionAge: number(xa), backendAge: number(ba),
                query: text(query), leaderPid: Int32(text(leader)), superuser: text(superuser) == "t"
            ))
        }
        return backends
    }
}
