import CLibPQ
import Glibc

extension PGConnection {
    /// Sends a query (text parameters, `nil` for NULL: `$1`, `$2` ... in `sql`) and returns
    /// without waiting for the result. One statement only (extended protocol). With limits,
    /// it goes in a pipeline after the limits statement, both before one Sync: one implicit
    /// transaction, one round trip (see `SessionLimits`, PGConnection+Pipeline.swift).
    public func send(_ sql: String, _ parameters: [String?] = []) throws(PGError) {
        guard let conn, isAlive, pipeline == nil else {
            throw PGError(.connectionLost, pipeline == nil ? "not connected" : "a statement is still under way")
        }
        try noticeClosing(conn)
        if let limits = limitStatement {
            try sendPipelined(conn, limits: limits, sql, parameters)
        } else {
            guard PGConnection.sendParams(conn, sql, parameters) else { throw failure(.queryFailed) }
        }
        // A query fits the socket's buffer at once; a long one is pushed out here, bounded.
        let deadline = Deadline(after: 5)
        while try !flush() {
            if Deadline.wait(fd: PQsocket(conn), events: Int16(POLLIN | POLLOUT), until: deadline) == .timedOut {
                throw PGError(.timeout, "timed out sending a query to the server")
            }
        }
    }

    /// Pushes out what libpq still holds of a query sent; true once all of it went. Never
    /// waits (reads what the server sent meanwhile, as libpq asks).
    @discardableResult
    public func flush() throws(PGError) -> Bool {
        guard let conn else { throw PGError(.connectionLost, "not connected") }
        switch PQflush(conn) {
        case 0: return true
        case 1:
            if PQconsumeInput(conn) == 0 { throw failure(.connectionLost) }
            return false
        default: throw failure(.connectionLost)
        }
    }

    /// True while a query sent has not finished arriving.
    public var isBusy: Bool { conn.map { PQisBusy($0) == 1 } ?? false }

    /// Reads what arrived; call it when the socket is readable. Returns the result once the
    /// query is finished (the last statement's rows, or no columns for a command), nil while
    /// it is still running. Throws the server's error, or `connectionLost`.
    public func poll() throws(PGError) -> QueryResult? {
        guard let conn else { throw PGError(.connectionLost, "not connected") }
        if PQconsumeInput(conn) == 0 {
            pipeline = nil
            throw failure(.connectionLost)
        }
        if pipeline != nil { return try pollPipeline(conn) }
        if PQisBusy(conn) == 1 { return nil }
        var result: QueryResult?
        var error: PGError?
        while let res = PQgetResult(conn) {
            let status = PQresultStatus(res)
            switch status {
            case PGRES_TUPLES_OK:
                result = QueryResult(ServerResult(res))  // keeps res; freed with the result
                continue
            case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY: result = result ?? QueryResult(columns: [], rows: [])
            case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
                // Not pgtop's business; PQgetResult would hand out the COPY state forever.
                PQclear(res)
                if status == PGRES_COPY_IN { PQputCopyEnd(conn, "pgtop does not COPY") }
                error = error ?? PGError(.queryFailed, "COPY is not supported")
                if status != PGRES_COPY_IN { throw error! }
                continue
            default:
                error = error ?? PGConnection.error(from: res)
            }
            PQclear(res)
        }
        if PQstatus(conn) == CONNECTION_BAD {
            // E.g. pg_terminate_backend: the server says why (57P01), then hangs up.
            var lost = error ?? failure(.connectionLost)
            lost.kind = .connectionLost
            throw lost
        }
        if let error { throw error }
        return result ?? QueryResult(columns: [], rows: [])
    }

    /// Sends a query and waits for its result, at most `timeout` seconds (then cancels it):
    /// for set-up, tests and the demo, never for the screen's refresh.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = [], timeout: Double = 30) throws(PGError) -> QueryResult {
        try send(sql, parameters)
        let deadline = Deadline(after: timeout)
        while true {
            if let result = try poll() { return result }
            if Deadline.wait(fd: socket, events: Int16(POLLIN), until: deadline) == .timedOut {
                cancelQuery()
                discardResult(until: Deadline(after: 5))
                throw PGError(.timeout, "query timed out after \(PGConnection.seconds(timeout))")
            }
        }
    }

    /// Reads and drops the result of a query cancelled, so that the connection can take the
    /// next one.
    private func discardResult(until deadline: Deadline) {
        while true {
            do {
                if try poll() != nil { return }
            } catch {
                return  // the cancel's error: the results are consumed
            }
            if Deadline.wait(fd: socket, events: Int16(POLLIN), until: deadline) == .timedOut { return }
        }
    }

    /// Reads what the server sent while nothing was asked: when it closed the connection
    /// meanwhile (pgtop's backend terminated), its reason, as the connection lost.
    private func noticeClosing(_ conn: OpaquePointer) throws(PGError) {
        var p = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
        guard Glibc.poll(&p, 1, 0) > 0 else { return }
        notices.last = nil
        if PQconsumeInput(conn) == 1 { _ = PQisBusy(conn) }  // parses it: an error arrives as a notice
        let fatal = notices.last.flatMap { ["FATAL", "PANIC"].contains($0.severity) ? $0 : nil }
        guard fatal != nil || PQstatus(conn) == CONNECTION_BAD else { return }
        close()
        throw PGError(.connectionLost, fatal?.message ?? "the server closed the connection")
    }

    /// PQsendQueryParams with text parameters; false when libpq refused it.
    static func sendParams(_ conn: OpaquePointer, _ sql: String, _ parameters: [String?]) -> Bool {
        let values = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for p in values { free(p) } }
        let constValues = values.map { UnsafePointer<CChar>($0) }
        return PQsendQueryParams(conn, sql, Int32(parameters.count), nil, constValues, nil, nil, 0) == 1
    }

    /// libpq's last error, as `connectionLost` when the connection is gone, else as `kind`.
    func failure(_ kind: PGError.Kind) -> PGError {
        let message = conn.map { PGConnection.string(PQerrorMessage($0)) } ?? ""
        let lost = conn.map { PQstatus($0) == CONNECTION_BAD } ?? true
        return PGError(lost ? .connectionLost : kind, message.isEmpty ? "connection lost" : message)
    }

    static func error(from res: OpaquePointer) -> PGError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(res, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let message = field("M") ?? string(PQresultErrorMessage(res))
        return PGError.fromServer(sqlState: field("C"), message: message.isEmpty ? "query failed" : message)
    }
}
