import Foundation
import Testing
@testable import PGTopPostgres

/// Connecting, querying and failing, against the suite's real server.
@Suite struct ConnectionTests {
    @Test func connectsAndSaysWhere() throws {
        let c = try Shared.connect()
        #expect(c.isAlive)
        #expect(c.backendPid > 0)
        #expect(c.serverVersion == Shared.cluster.versionNumber)
        #expect(c.host == Shared.cluster.socketDirectory)
        #expect(c.port == "\(Shared.cluster.port)")
        #expect(c.database == "postgres")
        #expect(c.user == "postgres")
        #expect(c.endpoint == "\(Shared.cluster.socketDirectory):\(Shared.cluster.port)/postgres")
        #expect(c.socket >= 0)
        let info = try c.serverInfo()
        #expect(info.ownPid == c.backendPid)
        #expect(info.versionNumber == c.serverVersion)
        c.close()
        c.close()  // idempotent
        #expect(!c.isAlive)
        #expect(c.socket == -1)
        #expect(throws: PGError.self) { try c.send("SELECT 1") }
    }

    @Test func overLoopbackTCP() throws {
        let c = try PGConnection.connect(
            ConnectionParameters(conninfo: nil, host: "127.0.0.1", port: "\(Shared.cluster.port)", user: "postgres",
                                 database: "postgres"), timeout: 10)
        #expect(c.endpoint == "127.0.0.1:\(Shared.cluster.port)/postgres")
        let client = try c.execute("SELECT host(client_addr) FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        #expect(client.rows[0][0] == "127.0.0.1")
        c.close()
    }

    @Test func namesItselfPgtopWhateverTheConninfoSays() throws {
        let c = try PGConnection.connect(
            ConnectionParameters(conninfo: Shared.cluster.conninfo() + " application_name=other", host: nil, port: nil,
                                 user: nil, database: nil), timeout: 10)
        #expect(try c.execute("SHOW application_name").rows[0][0] == "pgtop")
        c.close()
    }

    @Test func flagsOverrideTheConninfoLikePsql() {
        let p = ConnectionParameters(conninfo: "postgresql://a@h1/db1", host: "h2", port: "5433", user: "u", database: "db2")
        let pairs = p.keywords
        #expect(pairs.first { $0.0 == "dbname" }?.1 == "postgresql://a@h1/db1")
        #expect(pairs.last { $0.0 == "dbname" }?.1 == "db2")
        #expect(pairs.last?.0 == "application_name")
        #expect(pairs.last?.1 == "pgtop")
        let order = pairs.map(\.0)
        #expect(order.firstIndex(of: "host")! > order.firstIndex(of: "dbname")!)
        #expect(order.firstIndex(of: "user")! > order.firstIndex(of: "port")!)
    }

    @Test func defaultConnectTimeoutOnlyWhenNoneNamed() {
        let plain = ConnectionParameters(conninfo: "app", host: nil, port: nil, user: nil, database: nil).keywords
        if ProcessInfo.processInfo.environment["PGCONNECT_TIMEOUT"] == nil {
            #expect(plain.first?.0 == "connect_timeout" && plain.first?.1 == "10")
        }
        let named = ConnectionParameters(conninfo: "host=db connect_timeout=3", host: nil, port: nil, user: nil,
                                         database: nil).keywords
        #expect(!named.contains { $0.0 == "connect_timeout" })
        let none = ConnectionParameters(conninfo: nil, host: nil, port: nil, user: nil, database: nil).keywords
        #expect(!none.contains { $0.0 == "dbname" })
    }

    /// The flags win over the conninfo on a real connection: a wrong user in the conninfo,
    /// the right one as a flag.
    @Test func flagsWinOnARealConnection() throws {
        let p = ConnectionParameters(conninfo: Shared.cluster.conninfo(user: "no_such_role"), host: nil, port: nil,
                                     user: "postgres", database: "template1")
        let c = try PGConnection.connect(p, timeout: 10)
        #expect(c.user == "postgres")
        #expect(c.database == "template1")
        c.close()
    }

    @Test func sessionLimits() throws {
        // Each statement runs under the limits, in its own transaction: the session keeps the
        // server's settings.
        let monitored = try PGConnection.connect(Shared.parameters(), timeout: 10, limits: .monitoring)
        #expect(try monitored.execute("SHOW statement_timeout").rows[0][0] == "5s")
        #expect(try monitored.execute("SHOW lock_timeout").rows[0][0] == "1s")
        #expect(try monitored.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'").rows[0][0] == "5000")
        monitored.close()
        // On a server before 9.3 there is no lock_timeout to set.
        #expect(SessionLimits.monitoring.statement(serverVersion: 90200).map { !$0.sql.contains("lock_timeout") } == true)
        #expect(SessionLimits.monitoring.statement(serverVersion: 90300)?.parameters == ["5s", "1s"])
        #expect(SessionLimits.unlimited.statement(serverVersion: 150000) == nil)
        let plain = try Shared.connect()
        #expect(try plain.execute("SHOW statement_timeout").rows[0][0] == "0")
        plain.close()
        let custom = try PGConnection.connect(Shared.parameters(), timeout: 10,
                                              limits: SessionLimits(statementTimeout: "150ms", lockTimeout: nil))
        #expect {
            _ = try custom.execute("SELECT pg_sleep(2)")
        } throws: { error in
            let e = error as! PGError
            return e.kind == .timeout && e.sqlState == "57014" && e.message == "canceling statement due to statement timeout"
        }
        #expect(try custom.execute("SELECT 1").rows[0][0] == "1")
        custom.close()
    }

    @Test func unreachablePortFailsFastInOneLine() throws {
        let start = Date()
        #expect {
            _ = try PGConnection.connect(ConnectionParameters(conninfo: nil, host: "127.0.0.1", port: "1", user: "x",
                                                              database: "x"), timeout: 5)
        } throws: { error in
            let e = error as! PGError
            return e.kind == .connectionFailed && e.message == "127.0.0.1:1: Connection refused"
        }
        #expect(Date().timeIntervalSince(start) < 5)
    }

    /// A server that never answers (a listening socket nobody accepts on) is given up on at
    /// the deadline.
    @Test func silentServerTimesOut() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        listen(fd, 5)
        let port = UInt16(bigEndian: addr.sin_port)
        let start = Date()
        #expect {
            _ = try PGConnection.connect(ConnectionParameters(conninfo: nil, host: "127.0.0.1", port: "\(port)", user: "x",
                                                              database: "x"), timeout: 1)
        } throws: { error in
            let e = error as! PGError
            return e.kind == .timeout && e.message == "timed out after 1s connecting to 127.0.0.1, port \(port)"
        }
        #expect(Date().timeIntervalSince(start) < 3)
    }

    /// Trust authentication lets any existing role in: an unknown role is the authentication
    /// failure a test can cause.
    @Test func unknownRole() throws {
        #expect {
            _ = try Shared.connect(user: "no_such_role")
        } throws: { error in
            let e = error as! PGError
            return e.kind == .authenticationFailed && e.sqlState == "28000" && !e.needsPassword
                && e.message == "\(Shared.cluster.socketDirectory)/.s.PGSQL.\(Shared.cluster.port): role \"no_such_role\" does not exist"
        }
    }

    @Test func unknownDatabase() throws {
        #expect {
            _ = try PGConnection.connect(ConnectionParameters(conninfo: Shared.cluster.conninfo(), host: nil, port: nil,
                                                              user: nil, database: "no_such_db"), timeout: 10)
        } throws: { error in
            let e = error as! PGError
            return e.kind == .connectionFailed && e.message.hasSuffix("database \"no_such_db\" does not exist")
        }
    }

    @Test func badConninfoSyntax() throws {
        #expect {
            _ = try PGConnection.connect(ConnectionParameters(conninfo: "host=x port", host: nil, port: nil, user: nil,
                                                              database: nil), timeout: 10)
        } throws: { error in
            let e = error as! PGError
            return e.kind == .connectionFailed && e.message.contains("\"port\"") && !e.message.contains("\n")
        }
    }

    @Test func serverErrorsAreOneLineWithSQLState() throws {
        let c = try Shared.connect()
        #expect {
            _ = try c.execute("SELECT * FROM no_such_table")
        } throws: { error in
            let e = error as! PGError
            return e.kind == .queryFailed && e.sqlState == "42P01" && e.message == "relation \"no_such_table\" does not exist"
        }
        #expect(try c.execute("SELECT 1").rows[0][0] == "1")  // still usable
        c.close()
    }

    /// The way pgtop queries: send, then poll() whenever the socket is readable.
    @Test func asynchronousQuery() throws {
        let c = try Shared.connect()
        try c.send("SELECT $1::int + 1 AS n, $2::text AS nothing, pg_sleep(0.2)", ["41", nil])
        #expect(c.isBusy)
        #expect(try c.poll() == nil)  // nothing yet
        var result: QueryResult?
        let deadline = Date().addingTimeInterval(5)
        while result == nil && Date() < deadline {
            var p = pollfd(fd: c.socket, events: Int16(POLLIN), revents: 0)
            _ = Glibc.poll(&p, 1, 1000)
            result = try c.poll()
        }
        let r = try #require(result)
        #expect(r.columns == ["n", "nothing", "pg_sleep"])
        #expect(r[0, "n"] == "42")
        #expect(r[0, "nothing"] == nil)
        #expect(r[1, "n"] == nil)
        #expect(!c.isBusy)
        #expect(try c.flush())
        c.close()
    }

    /// execute() gives up at its timeout, cancels, and leaves the connection usable.
    @Test func executeTimesOutAndRecovers() throws {
        let c = try Shared.connect()
        let start = Date()
        #expect {
            _ = try c.execute("SELECT pg_sleep(10)", timeout: 0.3)
        } throws: { ($0 as! PGError).kind == .timeout }
        #expect(Date().timeIntervalSince(start) < 3)
        #expect(try c.execute("SELECT 2").rows[0][0] == "2")
        c.close()
    }

    /// The server's WARNINGs and NOTICEs are dropped (libpq would print them over the screen)
    /// and do not disturb the result.
    @Test func noticesDoNotDisturbResults() throws {
        let c = try Shared.connect()
        let r = try c.execute("DO $$ BEGIN RAISE WARNING 'careful'; END $$")
        #expect(r.columns.isEmpty)
        #expect(try c.execute("SELECT pg_cancel_backend(0)").rows[0][0] == "f")  // WARNING: not a backend
        c.close()
    }
}
