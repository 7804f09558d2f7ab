/// Limits a session puts on itself right after connecting, so that a monitoring query can
/// never run long nor queue behind a lock (and so block others queued behind it).
///
///     try PGConnection.connect(parameters, timeout: 10, limits: .monitoring)   // 5s, 1s
///     try PGConnection.connect(parameters, timeout: 10)                        // none: a workload
public struct SessionLimits: Sendable, Equatable {
    /// `statement_timeout`, e.g. `"5s"`; nil leaves the server's setting.
    public var statementTimeout: String?
    /// `lock_timeout` (9.3+), e.g. `"1s"`; nil leaves the server's setting.
    public var lockTimeout: String?

    public init(statementTimeout: String? = "5s", lockTimeout: String? = "1s") {
        self.statementTimeout = statementTimeout
        self.lockTimeout = lockTimeout
    }

    /// pgtop's own session: statements end after 5 s, lock waits after 1 s.
    public static let monitoring = SessionLimits()
    /// Whatever the server and the role say.
    public static let unlimited = SessionLimits(statementTimeout: nil, lockTimeout: nil)

    /// One statement setting them (set_config, so that the values travel as parameters), or
    /// nil when there is nothing to set.
    func statement(serverVersion: Int) -> (sql: String, parameters: [String?])? {
        var calls: [String] = [], parameters: [String?] = []
        if let statementTimeout {
            parameters.append(statementTimeout)
            calls.append("set_config('statement_timeout', $\(parameters.count), false)")
        }
        // lock_timeout is NEW in 9.3.
        if let lockTimeout, serverVersion >= 90300 {
            parameters.append(lockTimeout)
            calls.append("set_config('lock_timeout', $\(parameters.count), false)")
        }
        return calls.isEmpty ? nil : ("SELECT " + calls.joined(separator: ", "), parameters)
    }
}
