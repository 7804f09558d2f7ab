/// What to tell the user when the server will not let pgtop in, from the one-line reason the
/// connection failed with (`db1:5432: remaining connection slots are reserved ...`) and where it
/// went (`Target`), so that the advice is a command line that works as given.
///
///     Refusal.explain("/tmp:5432: sorry, too many clients already")
///     // "cannot connect: every connection slot is taken, ..." (one line)
///     Refusal.explain("... remaining connection slots are reserved ...", target: Refusal.Target(host: "db1", port: "5433", database: "app"))
///     // "... for example:  pgtop -h db1 -p 5433 -d app -U postgres"
///
/// A refusal because the ordinary slots are exhausted, the moment pgtop exists for, gets a
/// paragraph: what happened, that the rest is reserved, and how to get in anyway. Everything
/// else gets one line: the server's reason and what usually fixes it.
public enum Refusal {
    /// Where the refused connection went, as libpq resolved it (empty: not known).
    public struct Target: Sendable, Equatable {
        public var host: String
        public var port: String
        public var database: String
        public var user: String

        public init(host: String = "", port: String = "", database: String = "", user: String = "") {
            self.host = host
            self.port = port
            self.database = database
            self.user = user
        }

        /// `pgtop -h db1 -p 5433 -d app -U postgres`: the same place, another role or database;
        /// each value shell-quoted when it needs to be, empty ones left out.
        public func command(user: String? = nil, database: String? = nil) -> String {
            var words = ["pgtop"]
            for (flag, value) in [("-h", host), ("-p", port), ("-d", database ?? self.database), ("-U", user ?? self.user)]
            where !value.isEmpty {
                words += [flag, Refusal.shellQuoted(value)]
            }
            return words.joined(separator: " ")
        }
    }

    public static func explain(_ reason: String, target: Target = Target()) -> String {
        let m = reason.lowercased()
        if m.contains("remaining connection slots are reserved") {
            return """
                cannot connect: every connection slot open to ordinary roles is taken.
                  The server said: \(reason)
                  The remaining slots are reserved: superuser_reserved_connections for superusers and,
                  on PostgreSQL 16 and later, reserved_connections for roles granted
                  pg_use_reserved_connections. Connect as one of those to see who holds the slots and
                  free them, for example:  \(target.command(user: "postgres"))
                """
        }
        if m.contains("too many clients already") {
            return "cannot connect: every connection slot is taken, reserved ones included (\(reason)); "
                + "even a superuser cannot get in: end sessions on the database host (kill -TERM a backend's pid) "
                + "or raise max_connections"
        }
        if m.contains("too many connections for role") {
            return "cannot connect: the role has reached its CONNECTION LIMIT (\(reason)); "
                + "connect as another role, e.g. \(target.command(user: "postgres"))"
        }
        if m.contains("too many connections for database") {
            return "cannot connect: the database has reached its CONNECTION LIMIT (\(reason)); "
                + "connect to another database (\(target.command(database: "postgres"))) or as a superuser"
        }
        if m.contains("is not currently accepting connections") {
            return "cannot connect: the database does not accept connections (\(reason)); "
                + "connect to another database, e.g. \(target.command(database: "postgres"))"
        }
        if m.contains("the database system is starting up") || m.contains("the database system is shutting down")
            || m.contains("the database system is in recovery mode") || m.contains("not yet accepting connections") {
            return "cannot connect: the server is not ready (\(reason)); try again in a moment"
        }
        if m.contains("password authentication failed") {
            return "login refused: \(reason) (check the password, PGPASSWORD or ~/.pgpass)"
        }
        if m.contains("no password supplied") {
            return "login refused: \(reason) (give one in PGPASSWORD or ~/.pgpass, or run pgtop on a terminal to be asked)"
        }
        if m.contains("no pg_hba.conf entry") {
            return "login refused: \(reason) (the server's pg_hba.conf has no line for this host, role and database)"
        }
        if m.contains("role \"") && m.contains("does not exist") {
            return "login refused: \(reason) (name an existing role with -U)"
        }
        if m.contains("database \"") && m.contains("does not exist") {
            return "cannot connect: \(reason) (name an existing database with -d)"
        }
        return "cannot connect: \(reason)" + advice(for: m, target: target)
    }

    /// What to check for a connection that failed before the server said why.
    static func advice(for m: String, target: Target) -> String {
        let port = target.port.isEmpty ? "5432" : target.port
        let host = target.host.isEmpty ? "localhost" : target.host
        if m.contains(".s.pgsql.") && m.contains("no such file or directory") {
            return " (is the server running on this host, port \(port)? check -h (the socket directory) and -p)"
        }
        if m.contains("connection refused") {
            return " (is the server running on \(host), port \(port), and accepting TCP connections (listen_addresses)? check -h and -p)"
        }
        if m.contains("could not translate host name") || m.contains("name or service not known")
            || m.contains("temporary failure in name resolution") {
            return " (check the host name given with -h or in the connection string)"
        }
        if m.contains("timed out") || m.contains("timeout expired") {
            return " (is \(host) reachable on port \(port)? check -h and -p, the network and firewalls)"
        }
        if m.contains("permission denied") {
            return " (this OS user may not open the server's socket: check the socket directory's permissions, or connect over TCP with -h 127.0.0.1)"
        }
        if m.contains("invalid percent-encoded token") || m.contains("invalid connection option") || m.contains("missing \"=\"")
            || m.contains("invalid uri") || m.contains("unterminated quoted string") || m.contains("invalid integer value") {
            return " (check the connection string: key=value pairs or a postgresql:// URI, as psql takes)"
        }
        if m.contains("server closed the connection unexpectedly") {
            return " (the server, or a pooler in front of it, ended the connection at once: check its log)"
        }
        if m.contains("ssl") {
            return " (check sslmode and the server's SSL settings)"
        }
        return " (check -h, -p, -U and -d)"
    }

    /// A word the shell reads back as `value`: as it is when it is made of safe characters,
    /// else in single quotes (`'it'\''s'`); control characters as `$'\x1b'`.
    public static func shellQuoted(_ value: String) -> String {
        let safe = value.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "/._-+:,@%=".unicodeScalars.contains($0)
        }
        if safe && !value.isEmpty { return value }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            var out = "$'"
            for scalar in value.unicodeScalars {
                switch scalar {
                case "'": out += "\\'"
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "'"
        }
        var out = "'"
        for c in value { out += c == "'" ? "'\\''" : String(c) }
        return out + "'"
    }
}
