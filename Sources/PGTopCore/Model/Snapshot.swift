/// Figures about the server that change rarely; read once per connection.
public struct ServerInfo: Sendable, Equatable {
    /// `server_version_num`, e.g. 150018.
    public var versionNumber: Int
    /// `server_version`, e.g. `15.18 (Debian 15.18-0+deb12u1)`.
    public var version: String
    /// Where pgtop is connected, as the user would write it: `/tmp:5432/postgres`.
    public var endpoint: String
    public var maxConnections: Int
    public var superuserReserved: Int
    /// `reserved_connections` (16+), 0 before.
    public var reserved: Int
    /// The role pgtop is logged in as, and whether it is a superuser.
    public var role: String
    public var isSuperuser: Bool
    /// pgtop's own backend, never listed.
    public var ownPid: Int32
    /// When the server started (`pg_postmaster_start_time()`, µs since the epoch): another
    /// value after a reconnection means the server restarted (the recorder marks an outage).
    public var postmasterStart: Int64?

    public init(
        versionNumber: Int, version: String, endpoint: String, maxConnections: Int,
        superuserReserved: Int = 3, reserved: Int = 0, role: String = "",
        isSuperuser: Bool = false, ownPid: Int32 = 0, postmasterStart: Int64? = nil
    ) {
        self.versionNumber = versionNumber
        self.version = version
        self.endpoint = endpoint
        self.maxConnections = maxConnections
        self.superuserReserved = superuserReserved
        self.reserved = reserved
        self.role = role
        self.isSuperuser = isSuperuser
        self.ownPid = ownPid
        self.postmasterStart = postmasterStart
    }

    /// `15.18` from `15.18 (Debian ...)`.
    public var shortVersion: String {
        String(version.split(separator: " ").first ?? Substring(version))
    }
}

/// Everything one refresh returned: every backend but pgtop's own.
public struct Snapshot: Sendable, Equatable {
    public var backends: [Backend]
    /// Monotonic time (seconds) at which the snapshot arrived.
    public var takenAt: Double
    /// The server's clock when it computed the rows' ages, microseconds since the Unix epoch
    /// (a recording's sample time); nil when the server did not say.
    public var serverTime: Int64?

    public init(backends: [Backend], takenAt: Double = 0, serverTime: Int64? = nil) {
        self.serverTime = serverTime
        self.backends = backends
        self.takenAt = takenAt
    }
}
