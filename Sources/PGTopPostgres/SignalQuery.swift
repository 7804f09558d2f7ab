import PGTopCore

/// Cancel or terminate, in one statement that signals only a backend whose pid AND
/// backend_start still match what the screen showed (a pid reused by a new backend is
/// reported gone, never signalled), never pgtop's own, and checks the server's privilege rule
/// first so that one refusal does not abort the others.
public enum SignalQuery {
    public static func sql(_ kind: SignalKind, serverVersion: Int = 150000) -> String {
        let function = kind == .terminate ? "pg_terminate_backend" : "pg_cancel_backend"
        let verb = kind == .terminate ? "terminate" : "cancel"
        // pg_signal_backend is NEW in 9.6.
        let signalRole = serverVersion >= 90600 ? "pg_has_role(current_user, 'pg_signal_backend', 'USAGE')" : "false"
        return """
            -- pgtop \(verb): $1 pids, $2 backend_start in microseconds since the epoch
            SELECT t.pid,
                   CASE
                     WHEN t.pid = pg_backend_pid() THEN 'denied:pgtop does not \(verb) its own session'
                     WHEN a.pid IS NULL THEN 'gone'
                     WHEN NOT me.is_super AND coalesce(r.rolsuper, true)
                       THEN 'denied:must be a superuser to \(verb) ' ||
                            CASE WHEN r.rolsuper THEN 'a superuser''s session' ELSE 'a background process' END
                     WHEN NOT me.is_super AND NOT me.signal_backend AND NOT pg_has_role(current_user, a.usesysid, 'USAGE')
                       THEN 'denied:permission denied to \(verb) ' || a.usename || '''s session (needs pg_signal_backend)'
                     WHEN \(function)(a.pid) THEN 'signalled'
                     ELSE 'failed'
                   END AS outcome
            FROM (SELECT ($1::int4[])[i] AS pid, ($2::int8[])[i] AS start_us
                  FROM generate_subscripts($1::int4[], 1) AS i) t
            LEFT JOIN pg_stat_activity a
                   ON a.pid = t.pid
                  AND coalesce((extract(epoch FROM a.backend_start) * 1000000)::int8, 0) = t.start_us
            LEFT JOIN pg_roles r ON r.oid = a.usesysid
            CROSS JOIN (SELECT rolsuper AS is_super, \(signalRole) AS signal_backend
                        FROM pg_roles WHERE rolname = current_user) me
            ORDER BY t.pid
            """
    }

    /// `$1` and `$2` as PostgreSQL array literals.
    public static func parameters(_ targets: [BackendID]) -> [String?] {
        ["{" + targets.map { String($0.pid) }.joined(separator: ",") + "}",
         "{" + targets.map { String($0.start) }.joined(separator: ",") + "}"]
    }

    public static func decode(_ result: QueryResult, kind: SignalKind, targets: [BackendID]) -> SignalReport {
        var byPid: [Int32: SignalOutcome] = [:]
        for row in result.rows {
            guard let pid = row.first.flatMap({ $0 }).flatMap({ Int32($0) }), row.count > 1 else { continue }
            let text = row[1] ?? "failed"
            if text == "signalled" { byPid[pid] = .signalled }
            else if text == "gone" { byPid[pid] = .gone }
            else if text.hasPrefix("denied:") { byPid[pid] = .denied(String(text.dropFirst(7))) }
            else { byPid[pid] = .failed("the server did not signal it") }
        }
        return SignalReport(kind: kind, outcomes: targets.map { ($0, byPid[$0.pid] ?? .gone) })
    }
}
