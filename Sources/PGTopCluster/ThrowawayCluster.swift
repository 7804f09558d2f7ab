import Glibc

/// What a throwaway cluster looks like.
public struct ClusterOptions: Sendable {
    /// Where `initdb`, `pg_ctl` and `postgres` are; nil: on PATH, else the newest
    /// `/usr/lib/postgresql/*/bin`.
    public var binDirectory: String?
    /// Extra postgresql.conf settings: `["max_connections": "20"]`.
    public var settings: [String: String]
    /// Also listen on 127.0.0.1 (the Unix socket is always there).
    public var listenOnLoopback: Bool

    public init(binDirectory: String? = nil, settings: [String: String] = [:], listenOnLoopback: Bool = true) {
        self.binDirectory = binDirectory
        self.settings = settings
        self.listenOnLoopback = listenOnLoopback
    }
}

public struct ClusterError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A PostgreSQL cluster in a temporary directory, on a private port and socket, for the demo,
/// the tests and the benchmark. PostgreSQL refuses to run as root: as root the server runs
/// as the OS user `postgres`.
///
///     let cluster = try ThrowawayCluster.start(ClusterOptions(settings: ["max_connections": "20"]))
///     defer { cluster.stop() }
///     // connect with cluster.conninfo()
public final class ThrowawayCluster: @unchecked Sendable {
    public let directory: String
    public let socketDirectory: String
    public let port: Int
    public let binDirectory: String
    /// `server_version_num` style: 150018.
    public let versionNumber: Int
    public var superuser: String { "postgres" }
    public var logPath: String { directory + "/server.log" }
    public var dataDirectory: String { directory + "/data" }
    private var stopped = false

    private init(directory: String, port: Int, binDirectory: String, versionNumber: Int) {
        self.directory = directory
        self.socketDirectory = directory
        self.port = port
        self.binDirectory = binDirectory
        self.versionNumber = versionNumber
    }

    deinit { stop() }

    /// libpq conninfo over the Unix socket.
    public func conninfo(user: String = "postgres", database: String = "postgres") -> String {
        "host=\(socketDirectory) port=\(port) user=\(user) dbname=\(database)"
    }

    public static func start(_ options: ClusterOptions = ClusterOptions()) throws -> ThrowawayCluster {
        let bin = try ServerBinaries.locate(options.binDirectory)
        let owner = try ServerOwner.current()
        var template = Array("/tmp/pgtop-cluster-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ClusterError("cannot create a temporary directory in /tmp") }
        let directory = String(cString: made)
        do {
            try owner.give(directory)
            let version = ServerBinaries.version(bin)
            let initdb = owner.run([bin + "/initdb", "-D", directory + "/data", "--username=postgres", "--auth=trust",
                                    "--encoding=UTF8", "--locale=C", "--no-sync"])
            guard initdb.status == 0 else { throw ClusterError("initdb failed: \(Self.tail(initdb.output))") }
            for attempt in 0..<5 {
                let port = FreePort.find()
                var settings: [String: String] = [
                    "port": "\(port)",
                    "unix_socket_directories": "'\(directory)'",
                    "listen_addresses": options.listenOnLoopback ? "'127.0.0.1'" : "''",
                    "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                    "logging_collector": "off",
                ]
                for (k, v) in options.settings { settings[k] = v.hasPrefix("'") || Int(v) != nil ? v : "'\(v)'" }
                let conf = settings.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: "\n") + "\n"
                try owner.write(conf, to: directory + "/data/postgresql.auto.conf")
                let start = owner.run([bin + "/pg_ctl", "-D", directory + "/data", "-l", directory + "/server.log",
                                       "-w", "-t", "60", "start"])
                if start.status == 0 {
                    return ThrowawayCluster(directory: directory, port: port, binDirectory: bin, versionNumber: version)
                }
                if attempt == 4 {
                    let log = Subprocess.run(["tail", "-n", "5", directory + "/server.log"]).output
                    throw ClusterError("pg_ctl start failed: \(Self.tail(start.output)) \(Self.tail(log))")
                }
            }
            throw ClusterError("no free port found")
        } catch {
            ThrowawayCluster.stop(directory: directory)
            throw error
        }
    }

    /// Stops the server (fast, then immediate) and removes the directory. Idempotent.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        ThrowawayCluster.stop(directory: directory, bin: binDirectory)
    }

    /// Stops the cluster living in `directory` and removes it: for a process that knows only
    /// the directory (the demo's guard process).
    public static func stop(directory: String, bin: String? = nil) {
        let pgctl = (bin ?? (try? ServerBinaries.locate(nil)) ?? "/usr/lib/postgresql/15/bin") + "/pg_ctl"
        let owner = (try? ServerOwner.current()) ?? ServerOwner(user: nil)
        if access(directory + "/data/postmaster.pid", F_OK) == 0 {
            let fast = owner.run([pgctl, "-D", directory + "/data", "-m", "fast", "-w", "-t", "10", "stop"])
            if fast.status != 0 {
                _ = owner.run([pgctl, "-D", directory + "/data", "-m", "immediate", "-w", "-t", "10", "stop"])
            }
        }
        if directory.hasPrefix("/tmp/pgtop-cluster-") {
            _ = Subprocess.run(["rm", "-rf", directory])
        }
    }

    static func tail(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | ")
    }
}
