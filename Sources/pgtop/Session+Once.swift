import PGTopCore
import PGTopPostgres

/// `--once`: one query at a time on the idle connection, waited for.
extension Session {
    /// One refresh, waited for (`--once`, each of `--iterations`): the rows now (through the
    /// session's delta refresh, so an aborted transaction keeps the start an earlier snapshot
    /// saw), when the server took them (seconds since the epoch), or the server's error.
    /// `withLocks`: what each lock waiter waits for (the blocking tree).
    func fetchOnce(withLocks: Bool = false, timeout: Double = 10) throws -> (backends: [Backend], sampledAt: Double) {
        guard let connection = idleConnection else { throw Failure("not connected to the server") }
        do {
            let sql = ActivityQuery.sql(serverVersion: server.versionNumber, withLocks: withLocks)
            let answer = ActivityQuery.decode(try connection.execute(sql, ActivityQuery.parameters(delta.request()), timeout: timeout))
            return (delta.receive(answer), answer.clock.map { Double($0) / 1000 } ?? Clock.wall())
        } catch {
            throw Failure("the activity query failed: \(error.description)")
        }
    }

    /// One cancel/terminate, waited for (`--once --terminate`). An answer that does not come
    /// in time (or a connection that breaks, or a statement the server timed out) leaves every
    /// target `unknown`: the statement may have run.
    func signalOnce(_ kind: SignalKind, _ targets: [BackendID], pidOnly: Bool = false,
                    timeout: Double = Session.answerTimeout) throws -> SignalReport {
        guard let connection = idleConnection else { throw Failure("not connected to the server") }
        do {
            let r = try connection.execute(SignalQuery.sql(kind, serverVersion: server.versionNumber, pidOnly: pidOnly),
                                           SignalQuery.parameters(targets), timeout: timeout)
            return SignalQuery.decode(r, kind: kind, targets: targets)
        } catch where error.kind == .timeout || error.kind == .connectionLost || !connection.isAlive {
            let why = error.kind == .timeout && error.sqlState == nil
                ? "no answer in \(Int(timeout))s; it may have been sent"
                : "\(error.description); it may have been sent"
            return SignalReport(kind: kind, outcomes: targets.map { ($0, .unknown(why)) })
        } catch {
            throw Failure("\(kind.verb) failed: \(error.description)")
        }
    }
}
