import CLibPQ
import Glibc
import PGTopCore

/// One libpq connection. Connecting and querying never block longer than a deadline: the
/// connection is made with `PQconnectPoll`, queries are sent with `PQsendQueryParams` and
/// their results read with `poll()` when the socket says so (see PGConnection+Query.swift).
///
///     let c = try PGConnection.connect(parameters, timeout: 10, limits: .monitoring)
///     try c.send(ActivityQuery.sql(serverVersion: c.serverVersion))
///     // ... when c.socket is readable:
///     if let result = try c.poll() { let backends = ActivityQuery.decode(result) }
public final class PGConnection {
    var conn: OpaquePointer?
    /// The server process serving this connection (`pg_backend_pid()`).
    public let backendPid: Int32
    /// `server_version_num`: 150018.
    public let serverVersion: Int
    /// Where the connection went, as libpq resolved it (PQhost, PQport, PQdb, PQuser): kept
    /// after `close()`.
    public let host: String
    public let port: String
    public let database: String
    public let user: String
    /// What bounds each statement sent (see `SessionLimits`): set in the statement's own
    /// transaction, never on the session.
    public let limits: SessionLimits
    /// The server backend that ran the last statement sent with limits (pid and backend
    /// start): behind a pooler it changes from one statement to the next.
    public internal(set) var servedBy: BackendID?
    /// The limits statement for this server, built once.
    let limitStatement: (sql: String, parameters: [String?])?
    /// The statement under way when it was sent in a pipeline after the limits.
    var pipeline: Pipeline?
    /// What the server said on its own while no statement was under way (libpq hands it to
    /// the notice processor): the reason it closed the connection, `terminating connection due
    /// to administrator command`.
    let notices = NoticeBox()

    private init(_ conn: OpaquePointer, limits: SessionLimits) {
        self.conn = conn
        self.limits = limits
        backendPid = PQbackendPID(conn)
        serverVersion = Int(PQserverVersion(conn))
        host = PGConnection.string(PQhost(conn))
        port = PGConnection.string(PQport(conn))
        database = PGConnection.string(PQdb(conn))
        user = PGConnection.string(PQuser(conn))
        limitStatement = limits.statement(serverVersion: Int(PQserverVersion(conn)))
        PQsetNoticeReceiver(conn, { context, res in
            guard let context, let res else { return }
            func field(_ code: Character) -> String? {
                PQresultErrorField(res, Int32(code.asciiValue!)).map { String(cString: $0) }
            }
            // The severity as the server spells it whatever lc_messages says (9.6+), else as sent.
            let severity = field("V") ?? field("S") ?? ""
            Unmanaged<NoticeBox>.fromOpaque(context).takeUnretainedValue().last =
                (severity: severity, sqlState: field("C") ?? "", message: field("M") ?? "")
        }, Unmanaged.passUnretained(notices).toOpaque())
    }

    deinit { close() }

    /// Connects without ever waiting longer than `timeout` seconds in all. Every statement
    /// then sent runs under `limits`, in its own transaction. A server that asks for a password
    /// when none was given fails with `needsPassword` set.
    public static func connect(_ parameters: ConnectionParameters, timeout: Double,
                               limits: SessionLimits = .unlimited) throws(PGError) -> PGConnection {
        let deadline = Deadline(after: timeout)
        let attempt = try Attempt(parameters, limits: limits)
        var connection: PGConnection?
        while connection == nil {
            if attempt.socket >= 0,
               Deadline.wait(fd: attempt.socket, events: attempt.wantsWrite ? Int16(POLLOUT) : Int16(POLLIN), until: deadline) == .timedOut {
                throw attempt.timedOut(after: timeout)
            }
            connection = try attempt.advance()
        }
        guard let connection else { throw PGError(.connectionFailed, "no connection") }
        return connection
    }

    /// A connection being made without blocking (PQconnectStartParams, PQconnectPoll): poll
    /// `socket` for writing when `wantsWrite`, else for reading, then call `advance()`, until
    /// it returns the connection or throws. Dropping it abandons the attempt.
    ///
    ///     let attempt = try PGConnection.Attempt(parameters, limits: .monitoring)
    ///     // poll(attempt.socket, attempt.wantsWrite ? POLLOUT : POLLIN) ...
    ///     if let connection = try attempt.advance() { ... }
    public final class Attempt {
        private var conn: OpaquePointer?
        private var status = PGRES_POLLING_WRITING  // as if PQconnectPoll had said so (libpq's docs)
        private let limits: SessionLimits
        /// Masked in libpq's messages, which may quote a piece of the conninfo.
        private let secrets: [String]

        public init(_ parameters: ConnectionParameters, limits: SessionLimits = .unlimited) throws(PGError) {
            self.limits = limits
            secrets = parameters.secrets
            conn = try PGConnection.start(parameters)
        }

        deinit { if let conn { PQfinish(conn) } }

        /// The socket to wait on; it can change between steps (libpq tries each host in turn).
        public var socket: Int32 { conn.map { PQsocket($0) } ?? -1 }
        public var wantsWrite: Bool { status != PGRES_POLLING_READING }

        /// One step of the handshake; the connection once it is made, nil while under way.
        public func advance() throws(PGError) -> PGConnection? {
            guard let conn else { throw PGError(.connectionFailed, "connection attempt already finished") }
            if PQstatus(conn) != CONNECTION_BAD && status != PGRES_POLLING_OK && status != PGRES_POLLING_FAILED {
                status = PQconnectPoll(conn)
            }
            if PQstatus(conn) == CONNECTION_OK && status == PGRES_POLLING_OK {
                self.conn = nil
                PQsetnonblocking(conn, 1)
                return PGConnection(conn, limits: limits)
            }
            if PQstatus(conn) == CONNECTION_BAD || status == PGRES_POLLING_FAILED {
                var error = PGError.fromConnection(Redaction.redact(string(PQerrorMessage(conn)), secrets: secrets))
                error.needsPassword = PQconnectionNeedsPassword(conn) == 1
                error.attempted = PGConnection.target(conn)
                PQfinish(conn)
                self.conn = nil
                throw error
            }
            return nil
        }

        /// The error for an attempt that took too long; ends the attempt.
        public func timedOut(after timeout: Double) -> PGError {
            let target = conn.map(PGConnection.target)
            if let conn { PQfinish(conn) }
            conn = nil
            let place = target.map { $0.host.isEmpty ? "the server" : "\($0.host), port \($0.port)" } ?? "the server"
            var error = PGError(.timeout, "timed out after \(seconds(timeout)) connecting to \(place)")
            error.attempted = target
            return error
        }
    }

    /// Where a connection (made or failed) went, as libpq resolved it: for the command line a
    /// refusal suggests.
    fileprivate static func target(_ conn: OpaquePointer) -> Refusal.Target {
        Refusal.Target(host: string(PQhost(conn)), port: string(PQport(conn)), database: string(PQdb(conn)), user: string(PQuser(conn)))
    }

    /// PQconnectStartParams with the keyword/value arrays, and notices silenced: libpq would
    /// print the server's WARNINGs to stderr, over the screen.
    fileprivate static func start(_ parameters: ConnectionParameters) throws(PGError) -> OpaquePointer {
        let pairs = parameters.keywords
        let keys = pairs.map { strdup($0.0) } + [nil]
        let values = pairs.map { strdup($0.1) } + [nil]
        defer { for p in keys + values { free(p) } }
        let constKeys = keys.map { UnsafePointer<CChar>($0) }, constValues = values.map { UnsafePointer<CChar>($0) }
        guard let conn = PQconnectStartParams(constKeys, constValues, 1) else {
            throw PGError(.connectionFailed, "out of memory starting a connection")
        }
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        return conn
    }

    /// Runs the server info query (once per connection) and decodes it.
    public func serverInfo(timeout: Double = 10) throws(PGError) -> ServerInfo {
        ServerInfoQuery.decode(try execute(ServerInfoQuery.sql, timeout: timeout), endpoint: endpoint)
    }

    /// The libpq socket to poll() for readability while a query is under way; -1 once closed.
    public var socket: Int32 { conn.map { PQsocket($0) } ?? -1 }

    /// False once closed, or once libpq noticed the connection broke.
    public var isAlive: Bool { conn.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// Where the connection goes, for the header: `/tmp:5432/postgres`, `db.example:5432/app`.
    public var endpoint: String { "\(host):\(port)/\(database)" }

    /// Asks the server to cancel the query under way (best effort; blocks for one round trip
    /// on a new connection, as PQcancel does).
    public func cancelQuery() {
        guard let conn, let cancel = PQgetCancel(conn) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        PQcancel(cancel, &buffer, Int32(buffer.count))
        PQfreeCancel(cancel)
    }

    /// Closes the connection (PQfinish); idempotent.
    public func close() {
        if let conn { PQfinish(conn) }
        conn = nil
        pipeline = nil
    }

    /// The last notice, kept by the notice receiver (nothing is printed: libpq would print the
    /// server's WARNINGs to stderr, over the screen).
    final class NoticeBox {
        var last: (severity: String, sqlState: String, message: String)?
    }

    static func string(_ p: UnsafePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }
    static func string(_ p: UnsafeMutablePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }

    /// `10s`, `0.5s`.
    static func seconds(_ t: Double) -> String {
        t == t.rounded() ? "\(Int(t))s" : "\(t)s"
    }
}
