import Testing
@testable import PGTopPostgres

/// `pgtop record` waits for a server it cannot reach, and refuses at once what waiting never fixes.
@Suite struct UnreachableTests {
    static func failure(_ reason: String) -> PGError {
        PGError.fromConnection("connection to server at \"db1\" (10.0.0.5), port 5432 failed: \(reason)\n")
    }

    @Test func waitingMayFixThese() {
        for reason in ["Connection refused", "timeout expired", "FATAL:  the database system is starting up",
                       "FATAL:  the database system is shutting down", "No route to host", "Network is unreachable",
                       "FATAL:  sorry, too many clients already"] {
            #expect(Self.failure(reason).isUnreachable, "\(reason)")
        }
        #expect(PGError.fromConnection("could not translate host name \"db9\" to address: Name or service not known\n").isUnreachable)
        #expect(PGError.fromConnection("connection to server on socket \"/tmp/.s.PGSQL.5999\" failed: No such file or directory\n").isUnreachable)
    }

    @Test func waitingNeverFixesThese() {
        for reason in ["FATAL:  password authentication failed for user \"app\"", "FATAL:  role \"nobody\" does not exist",
                       "FATAL:  database \"nope\" does not exist", "FATAL:  no pg_hba.conf entry for host \"10.0.0.9\"",
                       "FATAL:  permission denied for database \"shop\""] {
            #expect(!Self.failure(reason).isUnreachable, "\(reason)")
        }
        #expect(!PGError.fromConnection("invalid connection option \"colour\"\n").isUnreachable)
    }
}
