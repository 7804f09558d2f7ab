import Foundation
import PGTopCluster
import PGTopPostgres

/// One throwaway Patroni cluster (etcd and three PostgreSQL members) for this test process,
/// started by the first test that asks, stopped at exit (atexit), and by its watcher should this
/// process be killed. Nil when etcd or Patroni cannot be had: each test then prints its line.
enum SharedPatroni {
    static let started: Result<ThrowawayPatroni?, ClusterError> = {
        do throws(ClusterError) {
            let clock = ContinuousClock(), start = clock.now
            guard let patroni = try ThrowawayPatroni.startIfInstalled(members: 3) else { return .success(nil) }
            print("ThrowawayPatroni: \(patroni.patroniVersion), 3 members settled in \(seconds(clock.now - start)) s")
            atexit { if case .success(let p?) = SharedPatroni.started { p.stop() } }
            return .success(patroni)
        } catch {
            return .failure(error)
        }
    }()

    /// The shared cluster; nil (and the skip line printed) when it cannot be had.
    static func cluster(for test: String) throws -> ThrowawayPatroni? {
        let patroni = try started.get()
        if patroni == nil { print(ThrowawayPatroni.skipped(test)) }
        return patroni
    }

    static func connect(_ patroni: ThrowawayPatroni, member: String) throws -> PGConnection {
        try PGConnection.connect(ConnectionParameters(conninfo: patroni.conninfo(member: member), host: nil, port: nil, user: nil,
                                                      database: nil, applicationName: "patroni-fixture"), timeout: 10)
    }

    /// "3.4": a duration in seconds with one decimal, for the lines the tests print.
    static func seconds(_ d: Duration) -> String {
        let tenths = (d.components.seconds * 10) + d.components.attoseconds / 100_000_000_000_000_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
