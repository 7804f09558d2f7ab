import Glibc
import Synchronization

/// A Patroni cluster in a temporary directory, for the tests: one etcd member (Debian's
/// etcd-server) as its store, and N PostgreSQL members (3 by default), each run by its own
/// `patroni` (PyPI's, in a virtualenv cached across runs: `PatroniInstall`), all on free
/// loopback ports, all files in one `/tmp/pgtop-patroni-*` directory; gone after `stop()`,
/// and should this process die first, its `ExitWatcher` stops everything. As root everything
/// runs as the OS user `postgres`, like `ThrowawayCluster`.
///
///     guard let ha = try ThrowawayPatroni.startIfInstalled(members: 3) else {
///         print(ThrowawayPatroni.skipped("HA tests")); return   // "HA tests skipped: etcd not installed (apt-get install etcd-server)"
///     }
///     defer { ha.stop() }
///     try ha.leader().name              // "node2"
///     ha.conninfo(member: "node1")      // "host=/tmp/pgtop-patroni-Ab12Cd port=41873 user=postgres dbname=postgres"
///     try ha.switchover(to: "node1")    // the new leader, once /cluster says so
public final class ThrowawayPatroni: @unchecked Sendable {
    /// The `mkdtemp` directory: etcd's data and log, each member's YAML, log, pidfile and data
    /// directory, and the members' Unix sockets.
    public let directory: String
    public var socketDirectory: String { directory }
    /// etcd's client port (its peer port is private to it).
    public let etcdPort: Int
    /// The PostgreSQL programs Patroni runs (`bin_dir`).
    public let binDirectory: String
    /// "patroni 4.1.5".
    public let patroniVersion: String
    /// The members' names, in order: "node1", "node2", ...
    public var memberNames: [String] { nodes.map(\.name) }
    /// The Patroni scope (the cluster's name in etcd and in `patronictl list`).
    public var scope: String { PatroniConfig.scope }
    public var etcdLogPath: String { directory + "/etcd.log" }

    let nodes: [PatroniNode]
    let install: PatroniInstall
    let owner: ServerOwner
    /// The children this process started and must reap, by member name ("etcd" for etcd).
    let children = Mutex<[String: pid_t]>([:])
    /// Members whose patroni `stopMember` stopped: not expected in `/cluster`.
    let stoppedMembers = Mutex<Set<String>>([])
    private let watcher: ExitWatcher
    private let stopped = Mutex(false)

    private init(directory: String, etcdPort: Int, binDirectory: String, nodes: [PatroniNode], install: PatroniInstall,
                 owner: ServerOwner, watcher: ExitWatcher) {
        self.directory = directory
        self.etcdPort = etcdPort
        self.binDirectory = binDirectory
        self.patroniVersion = install.version
        self.nodes = nodes
        self.install = install
        self.owner = owner
        self.watcher = watcher
    }

    deinit { stop() }

    /// Why a Patroni cluster cannot be had here ("etcd not installed (apt-get install
    /// etcd-server)", "patroni not installed: pip install ... failed: ..."); nil when it can.
    /// The first call may make the virtualenv (pip, ~10 s).
    public static var missing: String? {
        if case .failure(let why) = PatroniInstall.found { return why.description }
        return nil
    }

    /// The one line a test prints when it cannot run for want of etcd or Patroni.
    public static func skipped(_ what: String) -> String { "\(what) skipped: \(missing ?? "patroni not installed")" }

    /// `start`, or nil when etcd or Patroni cannot be had (the caller prints `skipped`).
    public static func startIfInstalled(members: Int = 3, binDirectory: String? = nil,
                                        timeout: Double = 120) throws(ClusterError) -> ThrowawayPatroni? {
        guard missing == nil else { return nil }
        return try start(members: members, binDirectory: binDirectory, timeout: timeout)
    }

    /// Starts etcd, then every member's patroni at once (one of them bootstraps, the others
    /// clone it), and returns once `GET /cluster` shows one leader and every other member
    /// streaming from it. On failure (or after `timeout` seconds) nothing is left behind and
    /// the error has the tails of the logs.
    public static func start(members: Int = 3, binDirectory: String? = nil, timeout: Double = 120) throws(ClusterError) -> ThrowawayPatroni {
        guard members >= 1 && members <= 9 else { throw ClusterError("a throwaway Patroni cluster has 1 to 9 members, not \(members)") }
        let install = try PatroniInstall.found.get()
        let bin = try ServerBinaries.locate(binDirectory)
        let owner = try ServerOwner.current()
        var template = Array("/tmp/pgtop-patroni-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ClusterError("cannot create a temporary directory in /tmp: \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: made)
        let watcher: ExitWatcher
        do {
            watcher = try ExitWatcher.start(directory: directory, script: ExitWatcher.patroniScript)
        } catch {
            _ = Subprocess.run(["rm", "-rf", directory])
            throw error
        }
        var ports: [Int] = []
        while ports.count < 2 + 2 * members {
            let port = FreePort.find()
            if !ports.contains(port) { ports.append(port) }
        }
        let nodes = (1...members).map { n in
            PatroniNode(name: "node\(n)", restPort: ports[2 * n], pgPort: ports[2 * n + 1], directory: directory)
        }
        let patroni = ThrowawayPatroni(directory: directory, etcdPort: ports[0], binDirectory: bin, nodes: nodes,
                                       install: install, owner: owner, watcher: watcher)
        do {
            try owner.give(directory)
            let config = PatroniConfig(directory: directory, binDirectory: bin, etcdClientPort: ports[0],
                                       etcdPeerPort: ports[1], nodes: nodes)
            for node in nodes { try owner.write(config.yaml(for: node), to: node.configPath) }
            try patroni.startEtcd(config)
            for node in nodes { try patroni.spawn(node) }
            try patroni.waitUntilSettled(timeout: timeout)
            return patroni
        } catch {
            patroni.stop()
            throw error
        }
    }

    /// etcd as a daemon; returns once it says it is healthy (within 30 s).
    private func startEtcd(_ config: PatroniConfig) throws(ClusterError) {
        let child = try owner.daemon([install.etcd] + config.etcdArguments(), pidfile: directory + "/etcd.pid",
                                     log: etcdLogPath, in: directory)
        children.withLock { $0["etcd"] = child }
        for _ in 0..<300 {
            if let r = LoopbackHTTP.request(port: etcdPort, path: "/health", timeout: 1), r.status == 200, r.body.contains("true") {
                return
            }
            usleep(100_000)
        }
        throw ClusterError("etcd did not become healthy in 30 s: \(logTails())")
    }

    /// Starts `node`'s patroni as a daemon (its log `nodeN.log`, its pid in `nodeN.pid`).
    func spawn(_ node: PatroniNode) throws(ClusterError) {
        unlink(node.pidPath)  // a stopped member's old pid is no sign of the new one
        let child = try owner.daemon([install.patroni, node.configPath], pidfile: node.pidPath, log: node.logPath,
                                     in: directory, environment: ["PYTHONUNBUFFERED": "1"])
        children.withLock { $0[node.name] = child }
    }

    func node(_ name: String) throws(ClusterError) -> PatroniNode {
        guard let node = nodes.first(where: { $0.name == name }) else {
            throw ClusterError("no member \(name) (members: \(memberNames.joined(separator: ", ")))")
        }
        return node
    }

    /// Patroni's REST API of `member`: "http://127.0.0.1:41012" (`/cluster`, `/patroni`, `/health` ...).
    public func restURL(member: String) -> String {
        "http://127.0.0.1:\(restPort(member: member))"
    }

    public func restPort(member: String) -> Int {
        nodes.first { $0.name == member }?.restPort ?? 0
    }

    /// Where `member`'s PostgreSQL listens, on 127.0.0.1 and in its socket directory.
    public func port(member: String) -> Int {
        nodes.first { $0.name == member }?.pgPort ?? 0
    }

    /// libpq conninfo of `member`'s PostgreSQL over the Unix socket (trust authentication).
    public func conninfo(member: String, user: String = "postgres", database: String = "postgres") -> String {
        "host=\(socketDirectory) port=\(port(member: member)) user=\(user) dbname=\(database)"
    }

    /// `member`'s patroni log (its PostgreSQL's messages are in it too).
    public func logPath(member: String) -> String { "\(directory)/\(member).log" }

    /// Stops every patroni (SIGTERM: each stops its PostgreSQL; SIGKILL after 30 s), any
    /// PostgreSQL still running (immediate shutdown), then etcd, and removes the directory.
    /// Idempotent.
    public func stop() {
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        terminate(nodes.compactMap { readPid($0.pidPath) }, seconds: 30)
        terminate(nodes.compactMap { readPid($0.dataDirectory + "/postmaster.pid") }.filter(isRunning), signal: SIGQUIT, seconds: 10)
        terminate(readPid(directory + "/etcd.pid").map { [$0] } ?? [], seconds: 10)
        for child in children.withLock({ Array($0.values) }) { Subprocess.wait(for: child) }
        if directory.hasPrefix("/tmp/pgtop-patroni-") && !directory.contains("/../") {
            _ = Subprocess.run(["rm", "-rf", directory])
        }
        watcher.release()
    }

    /// The last lines of etcd's log and of each member's, for an error.
    func logTails(lines: Int = 3) -> String {
        ([("etcd.log", etcdLogPath)] + nodes.map { ("\($0.name).log", $0.logPath) })
            .map { "\($0.0): \(ClusterError.tail(ThrowawayCluster.readFile($0.1), lines: lines))" }
            .joined(separator: "; ")
    }
}
