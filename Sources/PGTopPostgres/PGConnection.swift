import CLibPQ
import Glibc

/// One libpq connection. Connecting and querying never block longer than a deadline: the
/// connection is made with `PQconnectPoll`, queries are sent with `PQsendQueryParams` and
/// their results read with `poll()` when the socket says so.
///
///     let c = try PGConnection.connect(parameters, timeout: 10)
///     try c.send("SELECT 1")
///     // ... when c.socket is readable:
///     if let result = try c.poll() { print(result.rows) }
public final class PGConnection {
    private var conn: OpaquePointer?
    public let backendPid: Int32
    /// `server_version_num`: 150018.
    public let serverVersion: Int

    private init(_ conn: OpaquePointer) {
        self.conn = conn
        backendPid = PQbackendPID(conn)
        serverVersion = Int(PQserverVersion(conn))
    }

    deinit { close() }

    /// Connects without ever waiting longer than `timeout` seconds.
    public static func connect(_ parameters: ConnectionParameters, timeout: Double) throws(PGError) -> PGConnection {
        let pairs = parameters.keywords
        var keys = pairs.map { strdup($0.0) } + [nil]
        var values = pairs.map { strdup($0.1) } + [nil]
        defer { for p in keys + values { free(p) } }
        let conn: OpaquePointer? = keys.withUnsafeMutableBufferPointer { k in
            values.withUnsafeMutableBufferPointer { v in
                k.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: k.count) { kp in
                    v.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: v.count) { vp in
                        PQconnectStartParams(kp, vp, 1)
                    }
                }
            }
        }
        guard let conn else { throw PGError(.connectionFailed, "out of memory starting a connection") }
        let deadline = Deadline(after: timeout)
        var status = PGRES_POLLING_WRITING
        while PQstatus(conn) != CONNECTION_BAD {
            if status == PGRES_POLLING_OK { break }
            if status == PGRES_POLLING_FAILED { break }
            let events = status == PGRES_POLLING_READING ? Int16(POLLIN) : Int16(POLLOUT)
            let ready = Deadline.wait(fd: PQsocket(conn), events: events, until: deadline)
            if ready == .timedOut {
                let host = String(cString: PQhost(conn))
                PQfinish(conn)
                throw PGError(.timeout, "timed out after \(Int(timeout.rounded()))s connecting to \(host.isEmpty ? "the server" : host)")
            }
            status = PQconnectPoll(conn)
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            var error = PGError.fromConnection(String(cString: PQerrorMessage(conn)))
            error.needsPassword = PQconnectionNeedsPassword(conn) == 1
            PQfinish(conn)
            throw error
        }
        PQsetnonblocking(conn, 1)
        return PGConnection(conn)
    }

    /// The libpq socket to poll() for readability while a query is under way.
    public var socket: Int32 { conn.map { PQsocket($0) } ?? -1 }

    /// False once the server closed the connection or it was lost.
    public var isAlive: Bool { conn.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// Where the connection goes, for the header: `/tmp:5432/postgres`.
    public var endpoint: String {
        guard let conn else { return "" }
        return "\(String(cString: PQhost(conn))):\(String(cString: PQport(conn)))/\(String(cString: PQdb(conn)))"
    }

    /// The role the server logged in.
    public var user: String { conn.map { String(cString: PQuser($0)) } ?? "" }

    /// Sends a query (text parameters, `nil` for NULL) and returns at once.
    public func send(_ sql: String, _ parameters: [String?] = []) throws(PGError) {
        guard let conn, isAlive else { throw PGError(.connectionLost, "not connected") }
        var cParams = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for p in cParams { free(p) } }
        let sent = cParams.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress.map {
                $0.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buf.count) {
                    PQsendQueryParams(conn, sql, Int32(parameters.count), nil, $0, nil, nil, 0)
                }
            } ?? PQsendQueryParams(conn, sql, 0, nil, nil, nil, nil, 0)
        }
        guard sent == 1 else { throw lostOr(.queryFailed) }
        let deadline = Deadline(after: 5)
        while true {
            let r = PQflush(conn)
            if r == 0 { return }
            if r < 0 { throw lostOr(.queryFailed) }
            if Deadline.wait(fd: PQsocket(conn), events: Int16(POLLOUT), until: deadline) == .timedOut {
                throw PGError(.timeout, "timed out sending a query to the server")
            }
        }
    }

    /// True while a query sent is not finished.
    public var isBusy: Bool { conn.map { PQisBusy($0) == 1 } ?? false }

    /// Reads what arrived. Returns the result once the query is finished, nil while it is
    /// still running. Throws the server's error, or `connectionLost`.
    public func poll() throws(PGError) -> QueryResult? {
        guard let conn else { throw PGError(.connectionLost, "not connected") }
        if PQconsumeInput(conn) == 0 { throw lostOr(.connectionLost) }
        if PQisBusy(conn) == 1 { return nil }
        var result: QueryResult?
        var failure: PGError?
        while let res = PQgetResult(conn) {
            defer { PQclear(res) }
            switch PQresultStatus(res) {
            case PGRES_TUPLES_OK: result = PGConnection.read(res)
            case PGRES_COMMAND_OK: result = result ?? QueryResult(columns: [], rows: [])
            default:
                if failure == nil { failure = PGConnection.error(from: res) }
            }
        }
        if let failure { throw failure }
        if PQstatus(conn) == CONNECTION_BAD { throw lostOr(.connectionLost) }
        return result ?? QueryResult(columns: [], rows: [])
    }

    /// Sends a query and waits for its result, at most `timeout` seconds: for set-up, tests and
    /// the demo, never for the screen's refresh.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = [], timeout: Double = 30) throws(PGError) -> QueryResult {
        try send(sql, parameters)
        let deadline = Deadline(after: timeout)
        while true {
            if let result = try poll() { return result }
            if Deadline.wait(fd: socket, events: Int16(POLLIN), until: deadline) == .timedOut {
                cancelQuery()
                throw PGError(.timeout, "query timed out after \(Int(timeout.rounded()))s")
            }
        }
    }

    /// Asks the server to cancel the query under way (best effort).
    public func cancelQuery() {
        guard let conn, let cancel = PQgetCancel(conn) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        PQcancel(cancel, &buffer, Int32(buffer.count))
        PQfreeCancel(cancel)
    }

    /// Closes the connection; idempotent.
    public func close() {
        if let conn { PQfinish(conn) }
        conn = nil
    }

    private func lostOr(_ kind: PGError.Kind) -> PGError {
        let message = conn.map { String(cString: PQerrorMessage($0)) } ?? "not connected"
        let lost = conn.map { PQstatus($0) == CONNECTION_BAD } ?? true
        return PGError(lost ? .connectionLost : kind, message.isEmpty ? "connection lost" : message)
    }

    private static func read(_ res: OpaquePointer) -> QueryResult {
        let nFields = Int(PQnfields(res)), nRows = Int(PQntuples(res))
        let columns = (0..<nFields).map { String(cString: PQfname(res, Int32($0))) }
        var rows: [[String?]] = []
        rows.reserveCapacity(nRows)
        for r in 0..<Int32(nRows) {
            var row: [String?] = []
            row.reserveCapacity(nFields)
            for f in 0..<Int32(nFields) {
                row.append(PQgetisnull(res, r, f) == 1 ? nil : String(cString: PQgetvalue(res, r, f)))
            }
            rows.append(row)
        }
        return QueryResult(columns: columns, rows: rows)
    }

    private static func error(from res: OpaquePointer) -> PGError {
        let state = PQresultErrorField(res, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        let primary = PQresultErrorField(res, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
        let message = primary ?? String(cString: PQresultErrorMessage(res))
        return PGError(state == "57014" ? .timeout : .queryFailed, message, sqlState: state)
    }
}
