/// How PgBouncer hands server connections to its clients (`pool_mode`).
public enum PoolMode: String, Sendable, CaseIterable {
    /// A server connection per client, for the client's whole session.
    case session
    /// A server connection per transaction: back to the pool at each commit (or after each
    /// statement outside a transaction).
    case transaction
    /// A server connection per statement: transactions of several statements are refused.
    case statement
}

/// What a throwaway PgBouncer looks like.
///
///     PoolerOptions()                                        // transaction pooling, 2 server connections
///     PoolerOptions(poolMode: .session, poolSize: 1, users: ["app"])
public struct PoolerOptions: Sendable {
    public var poolMode: PoolMode
    /// `default_pool_size`: server connections per database and user. 1 makes every client
    /// share one server connection, the way a leak from one client to the next shows.
    public var poolSize: Int
    /// Roles that may log in through the pooler besides `postgres` (and the console's
    /// `pgbouncer`): they are written to its auth_file. Each must exist on the server.
    public var users: [String]
    /// Extra `[pgbouncer]` settings, as written: `["server_reset_query": "DISCARD ALL"]`.
    public var settings: [String: String]
    /// Also stop PgBouncer and remove its directory when this process ends without calling
    /// `stop()`, even killed: a small watcher process does it (as `ClusterOptions`').
    public var stopsWithProcess: Bool

    public init(poolMode: PoolMode = .transaction, poolSize: Int = 2, users: [String] = [],
                settings: [String: String] = [:], stopsWithProcess: Bool = false) {
        self.poolMode = poolMode
        self.poolSize = poolSize
        self.users = users
        self.settings = settings
        self.stopsWithProcess = stopsWithProcess
    }

    /// The console's user: PgBouncer's admin console is the database `pgbouncer`.
    public static let adminUser = "pgbouncer"

    /// `pgbouncer.ini`: every database of the cluster behind it (`*`), logged in as the client's
    /// own user; trust authentication against `auth_file`; the socket, log and pidfile in the
    /// pooler's directory.
    func configuration(port: Int, directory: String, serverSocket: String, serverPort: Int) -> String {
        var all: [String: String] = [
            "listen_addr": "127.0.0.1",
            "listen_port": "\(port)",
            "unix_socket_dir": directory,
            "auth_type": "trust",
            "auth_file": directory + "/userlist.txt",
            "admin_users": Self.adminUser + ", postgres",
            "stats_users": Self.adminUser,
            "pool_mode": poolMode.rawValue,
            "default_pool_size": "\(poolSize)",
            "max_client_conn": "200",
            "logfile": directory + "/pgbouncer.log",
            "pidfile": directory + "/pgbouncer.pid",
            "ignore_startup_parameters": "extra_float_digits",
        ]
        for (name, value) in settings { all[name] = value }
        let lines = all.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }
        return """
            ; written by pgtop's ThrowawayPooler
            [databases]
            * = host=\(serverSocket) port=\(serverPort)

            [pgbouncer]
            \(lines.joined(separator: "\n"))

            """
    }

    /// `userlist.txt`: every user with an empty password (trust does not check it).
    func userList() -> String {
        var names = ["postgres", Self.adminUser]
        for user in users where !names.contains(user) { names.append(user) }
        return names.map { "\"\($0.replacingQuotes())\" \"\"" }.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// A name inside a userlist.txt double-quoted field: `"` doubled.
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for c in self { out += c == "\"" ? "\"\"" : String(c) }
        return out
    }
}
