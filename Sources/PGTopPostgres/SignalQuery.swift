import PGTopCore

/// Cancel or terminate, in one statement that
/// - signals only a backend whose pid AND backend_start still match what the screen showed
///   (a pid reused by a new backend is reported gone, never signalled),
/// - re-reads that backend's pid, role and backend_start afresh right before signalling it
///   (not from the statement's snapshot of pg_stat_activity, which is taken once),
/// - refuses a target whose backend_start pgtop could not see (start 0: another role's session
///   without pg_read_all_stats), unless asked for by pid only (`--allow-pid-only`),
/// - never signals pgtop's own backend,
/// - applies the server's privilege rule itself BEFORE calling the function, so that one
///   refusal (an error inside pg_terminate_backend) does not abort the others.
///
///     let targets = [BackendID(pid: 4211, start: 1_732_400_000_123_456)]
///     try c.send(SignalQuery.sql(.terminate, serverVersion: c.serverVersion), SignalQuery.parameters(targets))
///     // ... result arrives:
///     SignalQuery.decode(result, kind: .terminate, targets: targets).summary   // "1 terminated"
///
/// What is left: the re-read and the kill() inside pg_terminate_backend/pg_cancel_backend are
/// two steps. A pid that ends and is given to a new backend between them (microseconds, the
/// server's own code: BackendPidGetProc, the role check, kill) is signalled; PostgreSQL offers
/// no way to signal "this pid only if it started at T". README, "Audit log".
public enum SignalQuery {
    /// The statement for `kind` on a server of `serverVersion`. `$1`: pids as int4[],
    /// `$2`: backend_start in microseconds since the epoch as int8[], same order (0: not
    /// known). `pidOnly`: a target with an unknown start is signalled by its pid alone;
    /// otherwise it is refused.
    public static func sql(_ kind: SignalKind, serverVersion: Int = 150000, pidOnly: Bool = false) -> String {
        let function = kind == .terminate ? "pg_terminate_backend" : "pg_cancel_backend"
        let verb = kind == .terminate ? "terminate" : "cancel"
        let hidden = pidOnly
            ? "-- pid only: a target whose backend_start is hidden (0) is matched by its pid alone."
            : "WHEN t.start_us = 0 THEN 'denied:\(startHidden(kind, serverVersion: serverVersion))'"
        return """
            -- pgtop \(verb): $1 pids, $2 backend_start in microseconds since the epoch.
            -- \(privilegeNote(serverVersion))
            -- The last WHEN before the signal re-reads the target afresh: pg_stat_clear_snapshot()
            -- drops the statement's snapshot of the backends' status, pg_stat_get_activity(pid)
            -- reads shared memory again (on 15+ stats_fetch_consistency does not apply to it).
            -- Left open: the moment between that read and the kill() inside \(function).
            SELECT t.pid,
                   CASE
                     WHEN t.pid = pg_backend_pid() THEN 'denied:pgtop does not \(verb) its own session'
                     WHEN a.pid IS NULL THEN 'gone'
                     WHEN NOT me.is_super AND r.oid IS NULL
                       THEN 'denied:must be a superuser to \(verb) a background process'
                     WHEN NOT me.is_super AND r.rolsuper
                       THEN 'denied:must be a superuser to \(verb) superuser process'
                     WHEN NOT me.is_super AND NOT \(mayUse(serverVersion))
                       THEN 'denied:\(permissionDenied(serverVersion))'
                     \(hidden)
                     WHEN NOT EXISTS (SELECT 1
                                      FROM pg_stat_get_activity((SELECT t.pid FROM pg_stat_clear_snapshot())) f
                                      WHERE f.usesysid IS NOT DISTINCT FROM a.usesysid
                                        AND \(startMicros("f")) = t.start_us)
                       THEN 'gone'
                     WHEN \(function)(a.pid) THEN 'signalled'
                     ELSE 'failed'
                   END AS outcome
            FROM (SELECT ($1::int4[])[i] AS pid, ($2::int8[])[i] AS start_us
                  FROM generate_subscripts($1::int4[], 1) AS i) t
            LEFT JOIN pg_stat_activity a
                   ON a.pid = t.pid
                  AND \(startMicros("a")) = t.start_us
            LEFT JOIN pg_roles r ON r.oid = a.usesysid
            CROSS JOIN (SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS is_super) me
            ORDER BY t.pid
            """
    }

    /// backend_start of `alias` in microseconds since the epoch, 0 when hidden.
    static func startMicros(_ alias: String) -> String {
        "coalesce((extract(epoch FROM \(alias).backend_start) * 1000000)::int8, 0)"
    }

    /// The refusal of a target whose backend_start pgtop could not see (`HiddenStart`).
    public static func startHidden(_ kind: SignalKind, serverVersion: Int) -> String {
        HiddenStart.refusal(kind, serverVersion: serverVersion)
    }

    /// What changed in the rule, for the statement's first comment.
    static func privilegeNote(_ serverVersion: Int) -> String {
        serverVersion >= 90600
            ? "9.6+: superuser sessions and background processes need a superuser; others need the role's privileges or pg_signal_backend (NEW in 9.6)."
            : "Before 9.6: a superuser, or the same role."
    }

    /// SQL true when the current user may signal the target's role (`r`), superusers aside.
    static func mayUse(_ serverVersion: Int) -> String {
        serverVersion >= 90600
            ? "(pg_has_role(current_user, r.oid, 'USAGE') OR pg_has_role(current_user, 'pg_signal_backend', 'USAGE'))"
            : "(r.rolname = current_user)"
    }

    /// SQL text (a quoted literal concatenated with the role name) for a refusal by role.
    static func permissionDenied(_ serverVersion: Int) -> String {
        serverVersion >= 90600
            ? "permission denied (needs pg_signal_backend or membership in role ' || quote_ident(r.rolname) || ')"
            : "permission denied (needs superuser or role ' || quote_ident(r.rolname) || ')"
    }

    /// `$1` and `$2` as PostgreSQL array literals: `{4211,4212}`, `{1732400000123456,...}`.
    public static func parameters(_ targets: [BackendID]) -> [String?] {
        ["{" + targets.map { String($0.pid) }.joined(separator: ",") + "}",
         "{" + targets.map { String($0.start) }.joined(separator: ",") + "}"]
    }

    /// One outcome per target, in the targets' order; a target the result does not name is
    /// reported gone.
    public static func decode(_ result: QueryResult, kind: SignalKind, targets: [BackendID]) -> SignalReport {
        var byPid: [Int32: SignalOutcome] = [:]
        for row in result.rows where row.count > 1 {
            guard let pid = row[0].flatMap({ Int32($0) }) else { continue }
            let text = row[1] ?? "failed"
            if text == "signalled" { byPid[pid] = .signalled }
            else if text == "gone" { byPid[pid] = .gone }
            else if text.hasPrefix("denied:") { byPid[pid] = .denied(String(text.dropFirst(7))) }
            else { byPid[pid] = .failed("the server could not signal it") }
        }
        return SignalReport(kind: kind, outcomes: targets.map { ($0, byPid[$0.pid] ?? .gone) })
    }
}
