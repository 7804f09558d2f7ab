/// Limits pgtop puts on each of its own statements, so that a monitoring query can never run
/// long nor queue behind a lock (and so block others queued behind it).
///
///     try PGConnection.connect(parameters, timeout: 10, limits: .monitoring)   // 5s, 1s
///     try PGConnection.connect(parameters, timeout: 10)                        // none: a workload
///
/// They are transaction-local, never the session's: behind a pooler in transaction or
/// statement mode the server connection goes to an application after each of pgtop's
/// statements, and a session setting would go with it. Each statement is sent in a pipeline
/// after `statement(serverVersion:)`, both in the one implicit transaction before a Sync
/// (`PGConnection.send`), so the values hold for that statement and end with it.
public struct SessionLimits: Sendable, Equatable {
    /// `statement_timeout`, e.g. `"5s"`; nil leaves the server's setting.
    public var statementTimeout: String?
    /// `lock_timeout` (9.3+), e.g. `"1s"`; nil leaves the server's setting.
    public var lockTimeout: String?

    public init(statementTimeout: String? = "5s", lockTimeout: String? = "1s") {
        self.statementTimeout = statementTimeout
        self.lockTimeout = lockTimeout
    }

    /// pgtop's own statements: each ends after 5 s, its lock waits after 1 s.
    public static let monitoring = SessionLimits()
    /// Whatever the server and the role say.
    public static let unlimited = SessionLimits(statementTimeout: nil, lockTimeout: nil)

    /// The statement sent before each of pgtop's own: `set_config(..., true)` (local to the
    /// transaction; the values travel as parameters), and the server backend that runs it, so
    /// that pgtop knows the pooled server connections that served it (`PGConnection.servedBy`).
    /// nil when there is nothing to set.
    ///
    /// statement_timeout is armed when a protocol message starts; since PostgreSQL 11 it is
    /// re-armed for each Execute, so the value set here holds for the next statement. On 9.2
    /// to 10 it is armed once per transaction, before this runs: there lock_timeout bounds the
    /// statement's lock waits, and pgtop's own cancel request (`Session.cancelAfter`) its run.
    func statement(serverVersion: Int) -> (sql: String, parameters: [String?])? {
        var calls: [String] = [], parameters: [String?] = []
        if let statementTimeout {
            parameters.append(statementTimeout)
            calls.append("set_config('statement_timeout', $\(parameters.count), true)")
        }
        // lock_timeout is NEW in 9.3.
        if let lockTimeout, serverVersion >= 90300 {
            parameters.append(lockTimeout)
            calls.append("set_config('lock_timeout', $\(parameters.count), true)")
        }
        guard !calls.isEmpty else { return nil }
        let served = "pg_backend_pid() AS served_pid, "
            + "(SELECT coalesce((extract(epoch FROM s.backend_start) * 1000000)::int8, 0) "
            + "FROM pg_stat_get_activity(pg_backend_pid()) s) AS served_start_us"
        return ("-- pgtop limits, for the next statement only\nSELECT " + calls.joined(separator: ", ") + ", " + served,
                parameters)
    }
}
