import Glibc
import PGTopCore

/// How to reach the server, psql-style: a database name, conninfo string or URI, and the
/// `-h -p -U -d` flags. libpq does all the parsing (PGHOST, PGSERVICE, .pgpass, sslmode...).
///
///     ConnectionParameters(conninfo: "postgresql://admin@db1/app", host: nil, port: "5433",
///                          user: nil, database: nil)
public struct ConnectionParameters: Sendable {
    public var conninfo: String?
    public var host: String?
    public var port: String?
    public var user: String?
    public var database: String?
    public var password: String?
    /// How pgtop names itself to the server; the demo's workload uses other names.
    public var applicationName: String

    public init(conninfo: String?, host: String?, port: String?, user: String?, database: String?,
                password: String? = nil, applicationName: String = "pgtop") {
        self.conninfo = conninfo
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.password = password
        self.applicationName = applicationName
    }

    /// The passwords these parameters carry (in the conninfo, as written and decoded; the one
    /// typed at the prompt), to be masked in any message that might quote them (`Redaction`).
    public var secrets: [String] {
        (conninfo.map(Redaction.secrets(in:)) ?? []) + (password.map { [$0] } ?? [])
    }

    /// Keyword/value pairs for `PQconnectStartParams` with `expand_dbname`, in the order that
    /// makes later values win: a default connect timeout (unless PGCONNECT_TIMEOUT or the
    /// conninfo names one), the conninfo as the first `dbname` (libpq expands it when it is a
    /// `key=value` string or a URI, and only the first), the flags, the password, and the
    /// application name last so it always holds.
    ///
    ///     [("connect_timeout", "10"), ("dbname", "postgresql://admin@db1/app"), ("port", "5433"),
    ///      ("application_name", "pgtop")]
    public var keywords: [(String, String)] {
        var pairs: [(String, String)] = []
        let conninfoNamesTimeout = conninfo?.contains("connect_timeout") ?? false
        if getenv("PGCONNECT_TIMEOUT") == nil && !conninfoNamesTimeout {
            pairs.append(("connect_timeout", "10"))
        }
        if let conninfo, !conninfo.isEmpty { pairs.append(("dbname", conninfo)) }
        if let host { pairs.append(("host", host)) }
        if let port { pairs.append(("port", port)) }
        if let user { pairs.append(("user", user)) }
        if let database { pairs.append(("dbname", database)) }
        if let password { pairs.append(("password", password)) }
        pairs.append(("application_name", applicationName))
        return pairs
    }
}
