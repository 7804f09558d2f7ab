import Glibc
import PGTopCluster
import PGTopPostgres

/// `pgtop --demo`: a throwaway cluster with the incident running in it, removed on exit.
///
/// The workload runs in a child process (`pgtop --demo-workload CONNINFO --demo-dir DIR`)
/// that also guards the cluster: when pgtop ends in any way, even killed, the child notices
/// (its parent changes) and stops the cluster and removes its directory.
final class Demo {
    let cluster: ThrowawayCluster
    private let workload: pid_t

    static let settings = [
        "max_connections": "40",
        "superuser_reserved_connections": "3",
    ]

    private init(cluster: ThrowawayCluster, workload: pid_t) {
        self.cluster = cluster
        self.workload = workload
    }

    /// Starts the cluster and the workload; waits until the incident is in place.
    static func start(binDirectory: String?) throws -> Demo {
        Console.error("pgtop: starting a throwaway PostgreSQL cluster for the demo...")
        let cluster: ThrowawayCluster
        do {
            cluster = try ThrowawayCluster.start(ClusterOptions(binDirectory: binDirectory, settings: settings, listenOnLoopback: false))
        } catch {
            throw Failure("--demo could not start PostgreSQL: \(error)")
        }
        do {
            let admin = try PGConnection.connect(
                ConnectionParameters(conninfo: cluster.conninfo(), host: nil, port: nil, user: nil, database: nil), timeout: 10)
            for statement in DemoWorkload.setup { _ = try admin.execute(statement) }
            admin.close()
        } catch {
            cluster.stop()
            throw Failure("--demo could not prepare the cluster: \(error)")
        }
        let child = spawnWorkload(conninfo: cluster.conninfo(user: "app"), directory: cluster.directory)
        guard child > 0 else {
            cluster.stop()
            throw Failure("--demo could not start its workload process")
        }
        let demo = Demo(cluster: cluster, workload: child)
        demo.waitForWorkload()
        Console.error("pgtop: the demo's cluster is in \(cluster.directory) (removed on exit)")
        return demo
    }

    private static func spawnWorkload(conninfo: String, directory: String) -> pid_t {
        var pid: pid_t = 0
        let argv = ["pgtop", "--demo-workload", conninfo, "--demo-dir", directory]
        var cargs = argv.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let rc = posix_spawn(&pid, "/proc/self/exe", &actions, nil, &cargs, environ)
        return rc == 0 ? pid : -1
    }

    private func waitForWorkload() {
        guard let c = try? PGConnection.connect(
            ConnectionParameters(conninfo: cluster.conninfo(), host: nil, port: nil, user: nil, database: nil), timeout: 5)
        else { return }
        defer { c.close() }
        let expected = DemoWorkload.roles().filter { $0.opensAfter <= DemoWorkload.readyAfter }.count
        for _ in 0..<150 {
            let r = try? c.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = 'app'")
            if let n = r?.rows.first?[0].flatMap({ Int($0) }), n >= expected { return }
            usleep(100_000)
        }
    }

    /// Stops the workload, which stops the cluster and removes its directory; waits for it.
    func stop() {
        kill(workload, SIGTERM)
        var status: Int32 = 0
        waitpid(workload, &status, 0)
        cluster.stop()  // in case the workload was killed before it could
    }

    /// The child's side: run the workload until pgtop goes away or says stop, then clean up.
    /// SIGTERM and SIGHUP are blocked and polled, so no work happens in a signal handler.
    static func runWorkload(conninfo: String, directory: String) -> Never {
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGHUP)
        sigprocmask(SIG_BLOCK, &stopSignals, nil)
        signal(SIGINT, SIG_IGN)  // Ctrl-C in pgtop's terminal is pgtop's to handle
        let parent = getppid()
        let stop = {
            if getppid() != parent { return true }  // pgtop ended without a word: killed, crashed
            var pending = sigset_t()
            sigpending(&pending)
            return sigismember(&pending, SIGTERM) == 1 || sigismember(&pending, SIGHUP) == 1
        }
        DemoWorkload(conninfo: conninfo).run(until: stop)
        ThrowawayCluster.stop(directory: directory)
        _exit(0)
    }
}
