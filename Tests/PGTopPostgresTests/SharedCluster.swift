import Foundation
import PGTopCluster
import PGTopCore
import PGTopPostgres

/// One real PostgreSQL for this test process, started lazily by the first test that needs it,
/// stopped at exit (atexit), and by its watcher process should this process be killed.
/// Tests run in parallel on it: each names its own sessions (`unique`) and finds only those.
enum Shared {
    static let cluster: ThrowawayCluster = {
        do {
            let c = try ThrowawayCluster.start(ClusterOptions(
                settings: ["max_connections": "60", "track_activity_query_size": "102400"], stopsWithProcess: true))
            atexit { Shared.cluster.stop() }
            return c
        } catch {
            fatalError("could not start the test cluster: \(error)")
        }
    }()

    static func parameters(user: String = "postgres", application: String = "pgtop-test") -> ConnectionParameters {
        ConnectionParameters(conninfo: cluster.conninfo(user: user), host: nil, port: nil, user: nil, database: nil,
                             applicationName: application)
    }

    static func connect(user: String = "postgres", application: String = "pgtop-test") throws -> PGConnection {
        try PGConnection.connect(parameters(user: user, application: application), timeout: 10)
    }

    /// Runs the activity query the way pgtop does (sent, then polled) and decodes it: every
    /// row, or with `keys` (a delta refresh) only what changed.
    static func activity(on c: PGConnection) throws -> [Backend] {
        try answer(on: c).backends
    }

    static func answer(on c: PGConnection, keys: [DeltaRefresh.Key] = [], withLocks: Bool = false) throws -> ActivityAnswer {
        try c.send(ActivityQuery.sql(serverVersion: c.serverVersion, withLocks: withLocks), ActivityQuery.parameters(keys))
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let r = try c.poll() { return ActivityQuery.decode(r) }
            var p = pollfd(fd: c.socket, events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, 1000)
        }
        throw PGError(.timeout, "the activity query did not answer in 10s")
    }

    static func signal(_ kind: SignalKind, _ targets: [BackendID], on c: PGConnection, pidOnly: Bool = false) throws -> SignalReport {
        let r = try c.execute(SignalQuery.sql(kind, serverVersion: c.serverVersion, pidOnly: pidOnly), SignalQuery.parameters(targets))
        return SignalQuery.decode(r, kind: kind, targets: targets)
    }

    /// Polls until `condition` holds or `timeout` passes.
    static func eventually(timeout: Double = 5, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return false
    }

    /// A new plain login role (no superuser, no pg_read_all_stats): its name.
    static func makeRole() throws -> String {
        let role = "plain_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try connect()
        defer { admin.close() }
        try admin.execute("CREATE ROLE \(role) LOGIN")
        return role
    }

    static func dropRole(_ role: String, admin: PGConnection) throws {
        try admin.execute("DROP ROLE \(role)")
    }

    /// A new connection whose backend gets `pid`, which must be free: the kernel's next pid is
    /// set with /proc/sys/kernel/ns_last_pid (root in this pid namespace) just before the
    /// postmaster forks. Retried, as other tests fork too; nil (and a line saying why) when the
    /// kernel does not let it be set.
    static func connect(reusingPid pid: Int32, user: String = "postgres", application: String = "pgtop-test") throws -> PGConnection? {
        for _ in 0..<50 {
            guard let file = fopen("/proc/sys/kernel/ns_last_pid", "w") else {
                print("SignalQueryTests: pid reuse skipped: /proc/sys/kernel/ns_last_pid cannot be written (\(String(cString: strerror(errno))))")
                return nil
            }
            fputs("\(pid - 1)", file)
            fclose(file)
            let c = try connect(user: user, application: application)
            if c.backendPid == pid { return c }
            c.close()
        }
        print("SignalQueryTests: pid reuse skipped: pid \(pid) was not given to a new backend in 50 tries")
        return nil
    }

    /// A unique name so tests running in parallel find their own sessions.
    static func unique(_ prefix: String) -> String { "\(prefix)-\(UInt32.random(in: 0...UInt32.max))" }
}
