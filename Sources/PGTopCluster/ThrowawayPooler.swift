import Glibc
import Synchronization

/// A PgBouncer in a temporary directory, on a free port, in front of a `ThrowawayCluster`, for
/// the tests: its own auth (trust, an auth_file), its Unix socket, pidfile and log in its
/// directory; gone after `stop()`. As root it runs as the OS user `postgres`, like the cluster.
///
///     guard let pooler = try ThrowawayPooler.startIfInstalled(in: cluster, PoolerOptions(poolMode: .transaction)) else {
///         print(ThrowawayPooler.skipped("pooler tests")); return   // "pooler tests skipped: pgbouncer not installed"
///     }
///     defer { pooler.stop() }
///     pooler.conninfo()        // "host=/tmp/pgtop-pooler-Ab12Cd port=41874 user=postgres dbname=postgres"
///     pooler.adminConninfo()   // "... user=pgbouncer dbname=pgbouncer": SHOW POOLS, simple protocol only
public final class ThrowawayPooler: @unchecked Sendable {
    /// The `mkdtemp` directory holding pgbouncer.ini, userlist.txt, the socket, pidfile and log.
    public let directory: String
    public var socketDirectory: String { directory }
    public let port: Int
    public let poolMode: PoolMode
    /// The `pgbouncer` program that runs.
    public let program: String
    public var logPath: String { directory + "/pgbouncer.log" }
    public var configPath: String { directory + "/pgbouncer.ini" }

    private let watcher: ExitWatcher?
    private let stopped = Mutex(false)

    private init(directory: String, port: Int, poolMode: PoolMode, program: String, watcher: ExitWatcher?) {
        self.directory = directory
        self.port = port
        self.poolMode = poolMode
        self.program = program
        self.watcher = watcher
    }

    deinit { stop() }

    /// Where `pgbouncer` is (PATH, then Debian's /usr/sbin); nil when it is not installed.
    public static func locate(searchPath: String? = getenv("PATH").map { String(cString: $0) }) -> String? {
        let dirs = (searchPath ?? "").split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin"]
        return dirs.lazy.map { $0 + "/pgbouncer" }.first { access($0, X_OK) == 0 }
    }

    /// The one line a test prints when it cannot run for want of PgBouncer.
    public static func skipped(_ what: String) -> String { "\(what) skipped: pgbouncer not installed" }

    /// libpq conninfo of a pooled database, over the pooler's Unix socket.
    public func conninfo(user: String = "postgres", database: String = "postgres") -> String {
        "host=\(socketDirectory) port=\(port) user=\(user) dbname=\(database)"
    }

    /// libpq conninfo of the admin console (the database `pgbouncer`; SHOW POOLS, SHOW SERVERS ...
    /// over the simple query protocol only).
    public func adminConninfo(user: String = PoolerOptions.adminUser) -> String {
        conninfo(user: user, database: "pgbouncer")
    }

    /// PgBouncer's pid, from its pidfile; nil when it is not running.
    public var pid: pid_t? {
        ThrowawayCluster.readFile(directory + "/pgbouncer.pid").split(separator: "\n").first.flatMap { pid_t($0) }
    }

    /// `start`, or nil when pgbouncer is not installed (the caller prints `skipped`).
    public static func startIfInstalled(in cluster: ThrowawayCluster,
                                        _ options: PoolerOptions = PoolerOptions()) throws(ClusterError) -> ThrowawayPooler? {
        guard locate() != nil else { return nil }
        return try start(in: cluster, options)
    }

    /// Writes the configuration and starts PgBouncer as a daemon on a free port in front of
    /// `cluster`; returns once it listens. On failure nothing is left behind.
    public static func start(in cluster: ThrowawayCluster, _ options: PoolerOptions = PoolerOptions()) throws(ClusterError) -> ThrowawayPooler {
        guard let program = locate() else { throw ClusterError("pgbouncer not installed (apt-get install pgbouncer)") }
        let owner = try ServerOwner.current()
        var template = Array("/tmp/pgtop-pooler-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ClusterError("cannot create a temporary directory in /tmp: \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: made)
        var watcher: ExitWatcher?
        do {
            watcher = options.stopsWithProcess ? try ExitWatcher.start(directory: directory, script: ExitWatcher.poolerScript) : nil
            try owner.give(directory)
            try owner.write(options.userList(), to: directory + "/userlist.txt")
            let port = try listen(program: program, directory: directory, options: options, cluster: cluster, owner: owner)
            return ThrowawayPooler(directory: directory, port: port, poolMode: options.poolMode, program: program, watcher: watcher)
        } catch {
            ThrowawayPooler.stop(directory: directory)
            watcher?.release()
            throw error
        }
    }

    /// Starts the daemon on a free port, another one when that was taken meanwhile; the port.
    private static func listen(program: String, directory: String, options: PoolerOptions, cluster: ThrowawayCluster,
                               owner: ServerOwner) throws(ClusterError) -> Int {
        let config = directory + "/pgbouncer.ini", log = directory + "/pgbouncer.log"
        for attempt in 1...5 {
            let port = FreePort.find()
            try owner.write(options.configuration(port: port, directory: directory, serverSocket: cluster.socketDirectory,
                                                  serverPort: cluster.port), to: config)
            let result = owner.run([program, "-d", config], in: directory)
            if result.status == 0, waitListening(directory: directory, port: port) { return port }
            let said = ClusterError.tail(ThrowawayCluster.readFile(log) + "\n" + result.output, lines: 3)
            stopDaemon(directory: directory)
            let portTaken = said.contains("Address already in use") || said.contains("bind")
            if !portTaken || attempt == 5 {
                throw ClusterError("pgbouncer did not start (exit \(result.status)): \(said)")
            }
        }
        throw ClusterError("no free port found for pgbouncer")
    }

    /// True once the socket file exists and the daemon is alive, within 10 s.
    private static func waitListening(directory: String, port: Int) -> Bool {
        for _ in 0..<100 {
            let pid = ThrowawayCluster.readFile(directory + "/pgbouncer.pid").split(separator: "\n").first.flatMap { pid_t($0) }
            if let pid, kill(pid, 0) != 0 { return false }
            if pid != nil, access(directory + "/.s.PGSQL.\(port)", F_OK) == 0 { return true }
            usleep(100_000)
        }
        return false
    }

    /// Stops PgBouncer (SIGTERM: immediate shutdown, SIGKILL after 5 s) and removes the
    /// directory. Idempotent.
    public func stop() {
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        ThrowawayPooler.stop(directory: directory)
        watcher?.release()
    }

    static func stop(directory: String) {
        stopDaemon(directory: directory)
        if directory.hasPrefix("/tmp/pgtop-pooler-") && !directory.contains("/../") {
            _ = Subprocess.run(["rm", "-rf", directory])
        }
    }

    private static func stopDaemon(directory: String) {
        let text = ThrowawayCluster.readFile(directory + "/pgbouncer.pid")
        guard let pid = text.split(separator: "\n").first.flatMap({ pid_t($0) }), pid > 1 else { return }
        kill(pid, SIGTERM)
        for _ in 0..<50 where kill(pid, 0) == 0 { usleep(100_000) }
        if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        unlink(directory + "/pgbouncer.pid")
    }
}
