/// What a throwaway cluster looks like.
///
///     ClusterOptions()                                             // newest server found, TCP on 127.0.0.1 too
///     ClusterOptions(settings: ["max_connections": "20"], listenOnLoopback: false)
///     ClusterOptions(binDirectory: "/usr/lib/postgresql/13/bin")
public struct ClusterOptions: Sendable {
    /// Where `initdb`, `pg_ctl` and `postgres` are; nil: found on PATH, else the newest
    /// `/usr/lib/postgresql/*/bin`.
    public var binDirectory: String?
    /// Extra postgresql.conf settings, unquoted: `["max_connections": "20", "log_min_messages": "debug1"]`.
    /// They win over pgtop's defaults (fsync off and the like).
    public var settings: [String: String]
    /// Also listen on 127.0.0.1 at the cluster's port; the Unix socket is always there.
    public var listenOnLoopback: Bool
    /// Also stop the server and remove the directory when this process ends without calling
    /// `stop()`, even killed or crashed (when `atexit` handlers do not run): a small watcher
    /// process does it. For test suites and benchmarks.
    public var stopsWithProcess: Bool

    public init(binDirectory: String? = nil, settings: [String: String] = [:], listenOnLoopback: Bool = true,
                stopsWithProcess: Bool = false) {
        self.binDirectory = binDirectory
        self.settings = settings
        self.listenOnLoopback = listenOnLoopback
        self.stopsWithProcess = stopsWithProcess
    }

    /// The lines for `postgresql.auto.conf`: a private port and socket, durability off (the
    /// cluster is thrown away), then the caller's settings.
    func configuration(port: Int, socketDirectory: String) -> String {
        var all: [String: String] = [
            "port": "\(port)",
            "unix_socket_directories": socketDirectory,
            "listen_addresses": listenOnLoopback ? "127.0.0.1" : "",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "logging_collector": "off",
        ]
        for (name, value) in settings { all[name] = value }
        let lines = all.sorted { $0.key < $1.key }.map { "\($0.key) = \(Self.quote($0.value))" }
        return "# written by pgtop's ThrowawayCluster\n" + lines.joined(separator: "\n") + "\n"
    }

    /// A postgresql.conf value: quoted, so any type and any text is fine (`'20'`, `'it''s'`).
    /// A value already in single quotes is kept as it is.
    static func quote(_ value: String) -> String {
        if value.count >= 2 && value.hasPrefix("'") && value.hasSuffix("'") { return value }
        var out = "'"
        for c in value {
            switch c {
            case "'": out += "''"
            case "\\": out += "\\\\"
            default: out.append(c)
            }
        }
        return out + "'"
    }
}
