import PGTopCore

/// The refresh: one statement, one round trip, everything the screen shows about every
/// backend but pgtop's own. Costs are per row at thousands of rows: ages come as whole
/// milliseconds, the clock's minus the start's (`date_part`, float8; `extract` is numeric from
/// 14 on, several times slower; 7 bytes instead of 17), superusers from one array read once rather than a join,
/// `pg_blocking_pids()` only for lock waiters. It is a delta refresh: given the keys of the rows
/// pgtop already has (`DeltaRefresh`), the server leaves out those still unchanged, names the
/// ones that ended, and adds one row with its clock. The text is chosen by
/// `server_version_num`; each variant says what its version changed (in its first line,
/// `-- pgtop activity: PostgreSQL 13: NEW ...`).
///
///     try c.send(ActivityQuery.sql(serverVersion: c.serverVersion), ActivityQuery.parameters(delta.request()))
///     // ... when c.poll() returns the result:
///     let backends = delta.receive(ActivityQuery.decode(result))   // [Backend]
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

    /// The longest query text shipped per row: what a screen's QUERY column can show, never
    /// megabytes. It is most of the bytes per refresh (pgtop-bench: 1024 cost 620 KB a refresh
    /// at 2,000 backends, 256 about 360 KB); the whole text is for a detail view to fetch.
    public static let queryTextLimit = 256

    static func variant(for serverVersion: Int) -> Variant {
        variants.first { serverVersion >= $0.minimumVersion } ?? variants[variants.count - 1]
    }

    /// What each lock waiter waits for, from one scan of `pg_locks` (the whole lock table is
    /// copied for it, so only the blocking-tree view and the recorder ask): the mode and the
    /// relation (`orders`, `orders row` for a tuple lock; a relation of another database shows
    /// as its OID) or the kind of object (`transactionid`), one waiter a row.
    static let waiters = """
        SELECT DISTINCT ON (l.pid) l.pid, l.mode,
               CASE WHEN l.relation IS NOT NULL
                    THEN l.relation::regclass::text || CASE WHEN l.locktype = 'tuple' THEN ' row' ELSE '' END
                    ELSE l.locktype END AS target
        FROM pg_catalog.pg_locks l WHERE NOT l.granted ORDER BY l.pid
        """

    /// The waiters as three arrays in the one row of `c` (9.5+, `array_position`): each row of
    /// activity picks its own out, and the rows keep `pg_stat_activity`'s order. (A join with
    /// the waiters was planned as a hash of the activity and gave its rows in hash order: every
    /// refresh then sorted 2,000 rows from scratch, 0.15 ms more at each.)
    static let waiterArrays = """
        (SELECT array_agg(w.pid) AS pids, array_agg(w.mode) AS modes, array_agg(w.target) AS targets
                 FROM (\(waiters)) w) l
        """

    /// Before 9.5: the waiters joined (in whatever order the plan gives).
    static let waitedLocks = """
        LEFT JOIN (\(waiters)) w ON w.pid = a.pid
        """

    /// A time as whole milliseconds since the epoch. Ages are the clock's milliseconds minus
    /// the start's: a start the server keeps gives the same `clock - age` at every refresh.
    /// (`round(now - start)` did not: against `round(now)` it moved by a millisecond at random,
    /// and a recording took every such move for a new state.)
    static func milliseconds(_ time: String) -> String {
        "(date_part('epoch', \(time)) * 1000)::int8"
    }

    /// The statement for a server of `serverVersion` (`server_version_num`); `withLocks` adds
    /// the lock each waiter waits for (`lock_mode`, `lock_target`). Its parameters
    /// (`parameters`) are the keys of the rows pgtop has: `$1` pids, `$2` backend_start and `$3`
    /// state_change in microseconds since the epoch, `$4` superuser; empty arrays ask for every row.
    public static func sql(serverVersion: Int, withLocks: Bool = false) -> String {
        let v = variant(for: serverVersion)
        let start = "coalesce((extract(epoch FROM a.backend_start) * 1000000)::int8, 0)"
        let change = "(date_part('epoch', a.state_change) * 1000000)::int8"
        let waiting = "coalesce(\(v.waiting), false)"
        let superuser = "coalesce(a.usesysid = ANY (c.superusers), false)"
        var columns = [
            "coalesce(a.pid, k.pid) AS pid",
            "a.pid IS NULL AS ended",
            "\(start) AS backend_start_us",
            "coalesce(a.datname, '') AS datname",
            "coalesce(a.usename, '') AS usename",
            "CASE WHEN a.client_port = -1 THEN 'local' ELSE coalesce(host(a.client_addr), '') END AS client",
            "coalesce(a.application_name, '') AS application_name",
            "coalesce(a.state, '') AS state",
            "coalesce(\(v.waitEventType), '') AS wait_event_type",
            "coalesce(\(v.waitEvent), '') AS wait_event",
            "\(waiting) AS waiting",
            "\(v.blockedBy) AS blocked_by",
            "coalesce(\(v.backendType), '') AS backend_type",
            "c.now_ms - \(milliseconds("a.query_start")) AS query_age_ms",
            "c.now_ms - \(milliseconds("a.xact_start")) AS xact_age_ms",
            "c.now_ms - \(milliseconds("a.backend_start")) AS backend_age_ms",
            "left(a.query, \(queryTextLimit)) AS query",
            "\(v.leaderPid) AS leader_pid",
            "\(superuser) AS superuser",
            "\(change) AS state_change_us",
        ]
        let lockArrays = withLocks && serverVersion >= 90500
        if lockArrays {
            columns += ["c.lock_modes[array_position(c.lock_pids, a.pid)] AS lock_mode",
                        "c.lock_targets[array_position(c.lock_pids, a.pid)] AS lock_target"]
        } else if withLocks {
            columns += ["w.mode AS lock_mode", "w.target AS lock_target"]
        }
        let waiterColumns = lockArrays ? ",\n                  l.pids AS lock_pids, l.modes AS lock_modes, l.targets AS lock_targets" : ""
        let waiterSource = lockArrays ? ",\n                 " + waiterArrays : ""
        return """
            -- pgtop activity: \(v.note)
            WITH c AS (SELECT \(milliseconds("n.now")) AS now_ms,
                              ARRAY(SELECT oid FROM pg_catalog.pg_roles WHERE rolsuper) AS superusers\(waiterColumns)
                       FROM (SELECT clock_timestamp() AS now) n\(waiterSource)),

                 k AS (SELECT unnest($1::int4[]) AS pid, unnest($2::int8[]) AS start_us,
                              unnest($3::int8[]) AS change_us, unnest($4::bool[]) AS superuser)
            SELECT \(columns.joined(separator: ",\n       ")),
                   NULL::int8 AS clock_ms
            FROM (SELECT * FROM pg_catalog.pg_stat_activity WHERE pid <> pg_backend_pid()) a
            FULL JOIN k ON k.pid = a.pid
            CROSS JOIN c
            \(withLocks && !lockArrays ? waitedLocks + "\n" : "")-- Left out: keyed rows still idle (in transaction), not waiting, unchanged.
            WHERE (k.pid IS NOT NULL
                   AND a.state IN ('idle', 'idle in transaction', 'idle in transaction (aborted)')
                   AND k.change_us = \(change)
                   AND k.start_us = \(start)
                   AND NOT \(waiting)
                   AND k.superuser = \(superuser)) IS NOT TRUE
            UNION ALL
            -- The clock: no backend, the server's time of the ages above.
            SELECT \(Array(repeating: "NULL", count: columns.count).joined(separator: ", ")),
                   c.now_ms
            FROM c
            """
    }

    /// The keys (`DeltaRefresh.request()`) as the statement's four array parameters:
    /// `{4211,4212}`, `{1732400000123456,...}`, `{1732400000234567,...}`, `{f,t}`.
    public static func parameters(_ keys: [DeltaRefresh.Key]) -> [String?] {
        [ArrayLiteral.integers(keys.map { Int64($0.pid) }),
         ArrayLiteral.integers(keys.map(\.start)),
         ArrayLiteral.integers(keys.map(\.stateChange)),
         ArrayLiteral.booleans(keys.map(\.superuser))]
    }

    /// Rows to backends, ended pids and the server's clock. Odd values never crash: a field
    /// that does not parse is left empty.
    public static func decode(_ result: QueryResult) -> ActivityAnswer {
        let col = Dictionary(result.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        func index(_ name: String) -> Int { col[name] ?? -1 }
        let pid = index("pid"), start = index("backend_start_us"), db = index("datname"), user = index("usename")
        let client = index("client"), app = index("application_name"), state = index("state")
        let wet = index("wait_event_type"), we = index("wait_event"), waiting = index("waiting")
        let blocked = index("blocked_by"), type = index("backend_type"), qa = index("query_age_ms")
        let xa = index("xact_age_ms"), ba = index("backend_age_ms"), query = index("query"), leader = index("leader_pid")
        let superuser = index("superuser"), lockMode = index("lock_mode"), lockTarget = index("lock_target")
        let ended = index("ended"), change = index("state_change_us"), clock = index("clock_ms")
        var answer = ActivityAnswer(backends: [])
        answer.backends.reserveCapacity(result.rowCount)
        // Neighbouring rows mostly share a database, role, application, wait event: a value
        // equal to the one above it is the same String, not a new one.
        var above = [Interned](repeating: Interned(), count: result.columns.count + 1)
        for r in 0..<Int32(result.rowCount) {
            // Straight from libpq's buffer: numbers are parsed in place, only text becomes a
            // String. NULL reads as empty: nil for numbers, "" for text.
            func text(_ i: Int) -> String {
                let (p, n) = result.field(r, i)
                return i >= 0 ? above[i].string(p, n) : ""
            }
            func integer(_ i: Int) -> Int64? { let (p, n) = result.field(r, i); return Parse.integer(p, n) }
            func seconds(_ i: Int) -> Double? { integer(i).map { Double($0) / 1000 } }  // from milliseconds
            func flag(_ i: Int) -> Bool { let (p, n) = result.field(r, i); return n == 1 && p[0] == 0x74 }  // "t"
            guard let p = integer(pid), let p32 = Int32(exactly: p) else {
                if let now = integer(clock) { answer.clock = now }
                continue
            }
            if flag(ended) {
                answer.ended.append(p32)
                continue
            }
            let type = text(type)
            let (stateBytes, stateCount) = result.field(r, state)
            let (blockedBytes, blockedCount) = result.field(r, blocked)
            answer.backends.append(Backend(
                id: BackendID(pid: p32, start: integer(start) ?? 0),
                database: text(db), user: text(user), client: text(client), application: text(app),
                state: Parse.state(stateBytes, stateCount),
                waitEventType: text(wet), waitEvent: text(we),
                waiting: flag(waiting),
                blockedBy: Parse.pids(blockedBytes, blockedCount),
                backendType: type.isEmpty ? "client backend" : type,
                queryAge: seconds(qa), transactionAge: seconds(xa), backendAge: seconds(ba),
                query: text(query), leaderPid: integer(leader).flatMap { Int32(exactly: $0) }, superuser: flag(superuser),
                lockMode: text(lockMode), lockTarget: text(lockTarget), stateChange: integer(change)
            ))
        }
        return answer
    }
}
