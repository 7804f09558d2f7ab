/// What to tell the user when the server will not let pgtop in, from the one-line reason the
/// connection failed with (`db1:5432: remaining connection slots are reserved ...`).
///
///     Refusal.explain("/tmp:5432: sorry, too many clients already")
///     // "cannot connect: every connection slot is taken, ..." (one line)
///
/// A refusal because the ordinary slots are exhausted, the moment pgtop exists for, gets a
/// paragraph: what happened, that the rest is reserved, and how to get in anyway. Everything
/// else gets one line: the server's reason and what usually fixes it.
public enum Refusal {
    public static func explain(_ reason: String) -> String {
        let m = reason.lowercased()
        if m.contains("remaining connection slots are reserved") {
            return """
                cannot connect: every connection slot open to ordinary roles is taken.
                  The server said: \(reason)
                  The remaining slots are reserved: superuser_reserved_connections for superusers and,
                  on PostgreSQL 16 and later, reserved_connections for roles granted
                  pg_use_reserved_connections. Connect as one of those to see who holds the slots and
                  free them, for example:  pgtop -U postgres
                """
        }
        if m.contains("too many clients already") {
            return "cannot connect: every connection slot is taken, reserved ones included (\(reason)); "
                + "even a superuser cannot get in: end sessions on the database host (kill -TERM a backend's pid) "
                + "or raise max_connections"
        }
        if m.contains("too many connections for role") {
            return "cannot connect: the role has reached its CONNECTION LIMIT (\(reason)); "
                + "connect as another role, e.g. pgtop -U postgres"
        }
        if m.contains("too many connections for database") {
            return "cannot connect: the database has reached its CONNECTION LIMIT (\(reason)); "
                + "connect to another database (pgtop -d postgres) or as a superuser"
        }
        if m.contains("is not currently accepting connections") {
            return "cannot connect: the database does not accept connections (\(reason)); "
                + "connect to another database, e.g. pgtop -d postgres"
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
        return "cannot connect: \(reason)"
    }
}
