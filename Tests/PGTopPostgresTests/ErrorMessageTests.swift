import Testing
@testable import PGTopPostgres

/// libpq's connection messages, as libpq 14+ and older write them, made one line.
@Suite struct ErrorMessageTests {
    @Test func refusedAtEveryAddressOfAHostIsSaidOnce() {
        let e = PGError.fromConnection("""
            connection to server at "localhost" (::1), port 1 failed: Connection refused
            \tIs the server running on that host and accepting TCP/IP connections?
            connection to server at "localhost" (127.0.0.1), port 1 failed: Connection refused
            \tIs the server running on that host and accepting TCP/IP connections?

            """)
        #expect(e.kind == .connectionFailed)
        #expect(e.message == "localhost:1: Connection refused")
    }

    @Test func differentReasonsAreAllKept() {
        let e = PGError.fromConnection("""
            connection to server at "db1" (10.0.0.1), port 5432 failed: timeout expired
            connection to server at "db2" (10.0.0.2), port 5432 failed: FATAL:  the database system is starting up

            """)
        #expect(e.message == "db1:5432: timeout expired; db2:5432: the database system is starting up")
    }

    @Test func authenticationOverASocket() {
        let e = PGError.fromConnection("""
            connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  password authentication failed for user "app"

            """)
        #expect(e.kind == .authenticationFailed)
        #expect(e.sqlState == "28P01")
        #expect(e.message == "/var/run/postgresql/.s.PGSQL.5432: password authentication failed for user \"app\"")
    }

    @Test func slotsExhausted() {
        let e = PGError.fromConnection("""
            connection to server at "db" (10.0.0.1), port 5432 failed: FATAL:  remaining connection slots are reserved for roles with the SUPERUSER attribute

            """)
        #expect(e.kind == .tooManyConnections)
        #expect(e.sqlState == "53300")
        #expect(e.message == "db:5432: remaining connection slots are reserved for roles with the SUPERUSER attribute")
        #expect(PGError.fromConnection("FATAL:  sorry, too many clients already\n").kind == .tooManyConnections)
    }

    @Test func hbaAndPasswords() {
        #expect(PGError.fromConnection("""
            connection to server at "db" (10.0.0.1), port 5432 failed: FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "x", database "y", no encryption
            """).kind == .authenticationFailed)
        let e = PGError.fromConnection("connection to server at \"db\" (10.0.0.1), port 5432 failed: fe_sendauth: no password supplied\n")
        #expect(e.kind == .authenticationFailed)
        #expect(e.message == "db:5432: fe_sendauth: no password supplied")
    }

    /// libpq 13 and older: no per-address prefix, the hint on tab-indented lines.
    @Test func olderLibpq() {
        let e = PGError.fromConnection("""
            could not connect to server: Connection refused
            \tIs the server running on host "127.0.0.1" and accepting
            \tTCP/IP connections on port 1?

            """)
        #expect(e.message == "could not connect to server: Connection refused")
        #expect(PGError.fromConnection("could not translate host name \"nohost\" to address: Name or service not known\n").message
                == "could not translate host name \"nohost\" to address: Name or service not known")
        #expect(PGError.fromConnection("timeout expired\n").kind == .timeout)
    }

    @Test func serverErrorsByState() {
        #expect(PGError.fromServer(sqlState: "57014", message: "canceling statement due to user request").kind == .queryFailed)
        #expect(PGError.fromServer(sqlState: "57014", message: "canceling statement due to statement timeout").kind == .timeout)
        #expect(PGError.fromServer(sqlState: "55P03", message: "canceling statement due to lock timeout").kind == .timeout)
        #expect(PGError.fromServer(sqlState: "57P01", message: "terminating connection due to administrator command").kind
                == .connectionLost)
        #expect(PGError.fromServer(sqlState: "53300", message: "too many").kind == .tooManyConnections)
        #expect(PGError.fromServer(sqlState: nil, message: "x").kind == .queryFailed)
    }

    @Test func oneLineAndNoControlCharacters() {
        #expect(PGError.oneLine("a\n\tb  c\u{1B}[31m\n") == "a b c?[31m")
        #expect(PGError(.queryFailed, "ERROR:  x\nDETAIL:  y\n").message == "ERROR: x DETAIL: y")
    }
}
