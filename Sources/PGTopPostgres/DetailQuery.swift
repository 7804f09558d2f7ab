import PGTopCore

/// One backend in full, asked when its detail view opens: `$1` its pid, `$2` its backend_start
/// in microseconds (the same backend or nothing, as for cancel and terminate). One statement,
/// rows of (part, name, value): 1 every column of `pg_stat_activity` in the server's order,
/// 2 the ages of its xid and xmin, 3 its locks.
///
///     try c.send(DetailQuery.sql(serverVersion: v), DetailQuery.parameters(id))
///     let detail = DetailQuery.decode(result, id: id)   // nil: the backend has ended
public enum DetailQuery {
    public static func sql(serverVersion: Int) -> String {
        // json_each_text ... WITH ORDINALITY and backend_xid/backend_xmin are 9.4+; before,
        // the view shows what the refresh had and the locks.
        let fields = serverVersion >= 90400 ? """
            SELECT 1 AS part, j.n AS ord, j.key AS name, j.value
            FROM a, json_each_text(row_to_json(a)) WITH ORDINALITY AS j(key, value, n)
            UNION ALL
            SELECT 2, 1, 'xid_age', age(a.backend_xid)::text FROM a WHERE a.backend_xid IS NOT NULL
            UNION ALL
            SELECT 2, 2, 'xmin_age', age(a.backend_xmin)::text FROM a WHERE a.backend_xmin IS NOT NULL
            UNION ALL

            """ : ""
        return """
            -- pgtop detail of one backend
            WITH a AS (SELECT * FROM pg_stat_activity
                       WHERE pid = $1::int
                         AND coalesce((extract(epoch FROM backend_start) * 1000000)::int8, 0) = $2::int8)
            \(fields)SELECT 3, row_number() OVER (ORDER BY l.granted, l.locktype, l.mode), l.mode,
                   CASE WHEN l.granted THEN 'holds ' ELSE 'WAITS for ' END || l.mode || ' on ' || l.locktype
                   || coalesce(' ' || l.relation::regclass::text, '')
                   || coalesce(' ' || l.transactionid::text, '') || coalesce(' ' || l.virtualxid, '')
                   || CASE WHEN l.locktype = 'tuple' THEN ' (' || l.page || ',' || l.tuple || ')' ELSE '' END
            FROM pg_locks l, a WHERE l.pid = a.pid
            UNION ALL
            SELECT 0, 0, 'found', '' FROM a
            ORDER BY 1, 2
            """
    }

    public static func parameters(_ id: BackendID) -> [String?] { [String(id.pid), String(id.start)] }

    /// nil when the backend was not found (it ended, or a new one has its pid).
    public static func decode(_ result: QueryResult, id: BackendID) -> BackendDetail? {
        guard result.rowCount > 0 else { return nil }
        var detail = BackendDetail(id: id, fields: [])
        for r in 0..<result.rowCount {
            let part = result.value(r, 0) ?? "", name = result.value(r, 2) ?? "", value = result.value(r, 3) ?? ""
            switch part {
            case "1": detail.fields.append(BackendDetail.Field(name, value))
            case "2":
                if name == "xid_age" { detail.xidAge = Int(value) } else { detail.xminAge = Int(value) }
            case "3": detail.locks.append(value)
            default: break
            }
        }
        return detail
    }
}
