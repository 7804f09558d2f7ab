import Glibc
import Synchronization

/// A PostgreSQL cluster in a temporary directory, on a private port and socket, for the demo,
/// the tests and the benchmark; gone after `stop()`. PostgreSQL refuses to run as root: as
/// root the server runs as the OS user `postgres`.
///
///     let cluster = try ThrowawayCluster.start(ClusterOptions(settings: ["max_connections": "20"]))
///     defer { cluster.stop() }
///     cluster.conninfo()   // "host=/tmp/pgtop-cluster-Ab12Cd port=41873 user=postgres dbname=postgres"
public final class ThrowawayCluster: @unchecked Sendable {
    /// The `mkdtemp` directory holding `data/`, the socket and the log.
    public let directory: String
    public let socketDirectory: String
    public let port: Int
    /// Where `initdb`, `pg_ctl` and `postgres` were found.
    public let binDirectory: String
    /// Like `server_version_num`: 150018.
    public let versionNumber: Int
    public var superuser: String { "postgres" }
    public var logPath: String { directory + "/server.log" }
    public var dataDirectory: String { directory + "/data" }

    private let watcher: ExitWatcher?
    private let stopped = Mutex(false)

    private init(directory: String, port: Int, binDirectory: String, versionNumber: Int, watcher: ExitWatcher?) {
        self.directory = directory
        self.socketDirectory = directory
        self.port = port
        self.binDirectory = binDirectory
        self.versionNumber = versionNumber
        self.watcher = watcher
    }

    deinit { stop() }

    /// libpq conninfo over the Unix socket.
    public func conninfo(user: String = "postgres", database: String = "postgres") -> String {
        "host=\(socketDirectory) port=\(port) user=\(user) dbname=\(database)"
    }

    /// initdb (trust authentication, superuser `postgres`, UTF8, no fsync) and start on a free
    /// port; returns once the server accepts connections. On failure nothing is left behind.
    public static func start(_ options: ClusterOptions = ClusterOptions()) throws(ClusterError) -> ThrowawayCluster {
        try make(options) { bin, version, directory, owner throws(ClusterError) in
            try initdb(bin: bin, version: version, directory: directory, owner: owner)
        }
    }

    /// A streaming standby of this cluster (12+), in its own directory on its own port and
    /// socket: `pg_basebackup` of it over its socket (the defaults since 10 serve: `wal_level`
    /// replica, `max_wal_senders` 10, and initdb's `local replication all trust` line), then
    /// started with `standby.signal`, `hot_standby` on and `primary_conninfo` naming it
    /// `application_name` (as `pg_stat_replication` shows it). Same binaries. `promote()` makes
    /// it a primary; `stop()` removes it.
    ///
    ///     let standby = try primary.startStandby(named: "replica1", ClusterOptions(stopsWithProcess: true))
    public func startStandby(named application: String, _ options: ClusterOptions = ClusterOptions()) throws(ClusterError) -> ThrowawayCluster {
        guard versionNumber >= 120000 else { throw ClusterError("a throwaway standby needs PostgreSQL 12 or later (standby.signal)") }
        var options = options
        options.binDirectory = binDirectory
        options.settings["hot_standby"] = options.settings["hot_standby"] ?? "on"
        options.settings["primary_conninfo"] = "host=\(socketDirectory) port=\(port) user=postgres application_name=\(application)"
        let primary = self
        return try ThrowawayCluster.make(options) { bin, _, directory, owner throws(ClusterError) in
            let result = owner.run([bin + "/pg_basebackup", "-D", directory + "/data", "-h", primary.socketDirectory,
                                    "-p", "\(primary.port)", "-U", "postgres", "-X", "stream", "--no-sync"], in: directory)
            guard result.status == 0 else {
                throw ClusterError("pg_basebackup failed (exit \(result.status)): \(ClusterError.tail(result.output))")
            }
            try owner.write("", to: directory + "/data/standby.signal")
        }
    }

    private static func make(_ options: ClusterOptions,
                             prepare: (String, Int, String, ServerOwner) throws(ClusterError) -> Void) throws(ClusterError) -> ThrowawayCluster {
        let bin = try ServerBinaries.locate(options.binDirectory)
        let owner = try ServerOwner.current()
        let version = ServerBinaries.version(bin)
        var template = Array("/tmp/pgtop-cluster-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ClusterError("cannot create a temporary directory in /tmp: \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: made)
        var watcher: ExitWatcher?
        do {
            // From here on nothing may outlive this process, not even a half-made directory.
            watcher = options.stopsWithProcess ? try ExitWatcher.start(directory: directory) : nil
            try owner.give(directory)
            try prepare(bin, version, directory, owner)
            let port = try startServer(bin: bin, directory: directory, options: options, owner: owner)
            return ThrowawayCluster(directory: directory, port: port, binDirectory: bin, versionNumber: version, watcher: watcher)
        } catch {
            ThrowawayCluster.stop(directory: directory, bin: bin)
            watcher?.release()
            throw error
        }
    }

    private static func initdb(bin: String, version: Int, directory: String, owner: ServerOwner) throws(ClusterError) {
        // --no-sync is 10+; 9.3 to 9.6 spell it --nosync.
        let noSync = version >= 100000 ? ["--no-sync"] : version >= 90300 ? ["--nosync"] : []
        let result = owner.run([bin + "/initdb", "-D", directory + "/data", "--username=postgres", "--auth=trust",
                                "--encoding=UTF8", "--locale=C"] + noSync, in: directory)
        guard result.status == 0 else {
            throw ClusterError("initdb failed (exit \(result.status)): \(ClusterError.tail(result.output))")
        }
    }

    /// Starts the server on a free port, trying another port when the one found was taken in
    /// the meantime. Returns the port.
    private static func startServer(bin: String, directory: String, options: ClusterOptions,
                                    owner: ServerOwner) throws(ClusterError) -> Int {
        let log = directory + "/server.log"
        for attempt in 1...5 {
            let port = FreePort.find()
            try owner.write(options.configuration(port: port, socketDirectory: directory),
                            to: directory + "/data/postgresql.auto.conf")
            let result = owner.run([bin + "/pg_ctl", "-D", directory + "/data", "-l", log, "-w", "-t", "60", "start"],
                                   in: directory)
            if result.status == 0 { return port }
            let serverLog = ClusterError.tail(readFile(log), lines: 3)
            let portTaken = serverLog.contains("could not bind") || serverLog.contains("already in use")
            if !portTaken || attempt == 5 {
                throw ClusterError("pg_ctl start failed (exit \(result.status)): \(ClusterError.tail(result.output, lines: 2)); server log: \(serverLog)")
            }
            _ = owner.run([bin + "/pg_ctl", "-D", directory + "/data", "-m", "immediate", "-w", "-t", "10", "stop"], in: directory)
        }
        throw ClusterError("no free port found")
    }

    /// Stops the server (fast, then immediate) and removes the directory. Idempotent.
    public func stop() {
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        ThrowawayCluster.stop(directory: directory, bin: binDirectory)
        watcher?.release()
    }

    /// Stops the cluster living in `directory` and removes the directory: for a process that
    /// knows only the directory (the demo's guard process). Only removes pgtop's own
    /// `/tmp/pgtop-cluster-*` directories.
    public static func stop(directory: String, bin: String? = nil) {
        let data = directory + "/data"
        if access(data + "/postmaster.pid", F_OK) == 0 {
            let pgctl = (bin ?? (try? ServerBinaries.locate(nil)) ?? "/usr/lib/postgresql/15/bin") + "/pg_ctl"
            let owner = (try? ServerOwner.current()) ?? ServerOwner(user: nil)
            let fast = owner.run([pgctl, "-D", data, "-m", "fast", "-w", "-t", "10", "stop"], in: "/")
            if fast.status != 0 {
                _ = owner.run([pgctl, "-D", data, "-m", "immediate", "-w", "-t", "10", "stop"], in: "/")
            }
        }
        if directory.hasPrefix("/tmp/pgtop-cluster-") && !directory.contains("/../") {
            _ = Subprocess.run(["rm", "-rf", directory])
        }
    }

    /// A small text file's contents; empty when it cannot be read.
    static func readFile(_ path: String) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 { bytes.append(contentsOf: buffer[0..<n]); continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
