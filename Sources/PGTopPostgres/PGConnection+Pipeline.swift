import CLibPQ
import PGTopCore

/// A statement sent after the limits in libpq's pipeline mode: Parse/Bind/Execute of the
/// limits statement, the same of the statement, one Sync. The server runs both in one
/// implicit transaction (nothing commits before the Sync), so `set_config(..., true)` holds
/// for the statement and is undone with it; behind PgBouncer the two cannot be split across
/// server connections, in any pool mode (the server connection is released only at the
/// ReadyForQuery after the Sync). Results come as: the limits' row, NULL, the statement's
/// result(s), NULL, PGRES_PIPELINE_SYNC.
struct Pipeline {
    /// 0 while the limits' results come, 1 for the statement's, 2 once both are in.
    var statement = 0
    var result: QueryResult?
    var error: PGError?
}

extension PGConnection {
    /// Enters pipeline mode and sends the limits, the statement and a Sync. A pipeline half
    /// sent leaves the connection in no state to go on: it is closed.
    func sendPipelined(_ conn: OpaquePointer, limits: (sql: String, parameters: [String?]),
                       _ sql: String, _ parameters: [String?]) throws(PGError) {
        guard PQenterPipelineMode(conn) == 1 else { throw failure(.queryFailed) }
        guard PGConnection.sendParams(conn, limits.sql, limits.parameters), PGConnection.sendParams(conn, sql, parameters),
              PQpipelineSync(conn) == 1 else {
            var error = failure(.connectionLost)
            error.kind = .connectionLost
            close()
            throw error
        }
        pipeline = Pipeline()
    }

    /// Reads the pipeline's results as far as they arrived; the statement's result (or its
    /// error) once the Sync's came, nil before.
    func pollPipeline(_ conn: OpaquePointer) throws(PGError) -> QueryResult? {
        guard var p = pipeline else { return nil }
        defer { if pipeline != nil { pipeline = p } }
        while PQisBusy(conn) == 0 {
            guard let res = PQgetResult(conn) else {
                p.statement += 1  // the end of one statement's results
                if p.statement > 2 { break }  // nothing more will come: the connection failed
                continue
            }
            let status = PQresultStatus(res)
            switch status {
            case PGRES_PIPELINE_SYNC:
                PQclear(res)
                pipeline = nil
                PQexitPipelineMode(conn)
                if let error = p.error { throw error }
                return p.result ?? QueryResult(columns: [], rows: [])
            case PGRES_TUPLES_OK where p.statement == 0:
                servedBy = PGConnection.servingBackend(res)
            case PGRES_TUPLES_OK:
                p.result = QueryResult(ServerResult(res))  // keeps res; freed with the result
                continue
            case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                if p.statement == 1 { p.result = p.result ?? QueryResult(columns: [], rows: []) }
            case PGRES_PIPELINE_ABORTED:
                break  // skipped after an earlier error, which is the one to report
            case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
                p.error = p.error ?? PGError(.queryFailed, "COPY is not supported")
            default:
                p.error = p.error ?? PGConnection.error(from: res)
            }
            PQclear(res)
        }
        if PQstatus(conn) == CONNECTION_BAD {
            pipeline = nil
            var lost = p.error ?? failure(.connectionLost)
            lost.kind = .connectionLost
            throw lost
        }
        return nil
    }

    /// `served_pid`, `served_start_us` of the limits statement's row.
    private static func servingBackend(_ res: OpaquePointer) -> BackendID? {
        guard PQntuples(res) == 1 else { return nil }
        let pidColumn = PQfnumber(res, "served_pid"), startColumn = PQfnumber(res, "served_start_us")
        guard pidColumn >= 0, startColumn >= 0,
              let pid = Int32(string(PQgetvalue(res, 0, pidColumn))),
              let start = Int64(string(PQgetvalue(res, 0, startColumn))) else { return nil }
        return BackendID(pid: pid, start: start)
    }
}
