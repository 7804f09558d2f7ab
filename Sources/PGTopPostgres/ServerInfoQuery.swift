import PGTopCore

/// Read once per connection: the figures that only change with a restart, and who pgtop is.
///
///     let info = ServerInfoQuery.decode(try c.execute(ServerInfoQuery.sql), endpoint: c.endpoint)
///     // or simply: try c.serverInfo()
public enum ServerInfoQuery {
    /// What is read: one row.
    static let columns = """
        current_setting('server_version') AS server_version,
               current_setting('server_version_num')::int AS server_version_num,
               current_setting('max_connections')::int AS max_connections,
               current_setting('superuser_reserved_connections')::int AS superuser_reserved,
               coalesce((SELECT setting::int FROM pg_settings WHERE name = 'reserved_connections'), 0) AS reserved,
               current_user AS role,
               coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS is_superuser,
               pg_backend_pid() AS pid,
               (date_part('epoch', pg_postmaster_start_time()) * 1000000)::int8 AS postmaster_start_us
        """

    public static let sql = "-- pgtop server info: reserved_connections is NEW in PostgreSQL 16 (0 before);\n"
        + "-- pg_postmaster_start_time() is there from 8.1 on (date_part is float8 on every version)\nSELECT " + columns

    public static func decode(_ result: QueryResult, endpoint: String) -> ServerInfo {
        func text(_ name: String) -> String { result[0, name] ?? "" }
        return ServerInfo(
            versionNumber: Int(text("server_version_num")) ?? 0,
            version: text("server_version"),
            endpoint: endpoint,
            maxConnections: Int(text("max_connections")) ?? 0,
            superuserReserved: Int(text("superuser_reserved")) ?? 0,
            reserved: Int(text("reserved")) ?? 0,
            role: text("role"),
            isSuperuser: text("is_superuser") == "t",
            ownPid: Int32(text("pid")) ?? 0,
            postmasterStart: Int64(text("postmaster_start_us"))
        )
    }
}
