import PGTopCore
import PGTopPostgres

/// `--once`: one query at a time on the idle connection, waited for.
extension Session {
    /// One refresh, waited for (`--once`): the rows now, or the server's error.
    func fetchOnce(timeout: Double = 10) throws -> [Backend] {
        guard let connection = idleConnection else { throw Failure("not connected to the server") }
        do {
            let sql = ActivityQuery.sql(serverVersion: server.versionNumber)
            let rows = ActivityQuery.decode(try connection.execute(sql, ActivityQuery.parameters([]), timeout: timeout)).backends
            ownServers.served(connection.servedBy)
            return ownServers.filter(rows)
        } catch {
            throw Failure("the activity query failed: \(error.description)")
        }
    }

    /// One cancel/terminate, waited for (`--once --terminate`).
    func signalOnce(_ kind: SignalKind, _ targets: [BackendID], timeout: Double = 10) throws -> SignalReport {
        guard let connection = idleConnection else { throw Failure("not connected to the server") }
        do {
            let r = try connection.execute(SignalQuery.sql(kind, serverVersion: server.versionNumber), SignalQuery.parameters(targets, own: ownServers.pids),
                                           timeout: timeout)
            return SignalQuery.decode(r, kind: kind, targets: targets)
        } catch {
            throw Failure("\(kind.verb) failed: \(error.description)")
        }
    }
}
