import Foundation
import Testing
import PGTopCluster
import PGTopPostgres

extension EndToEnd {
    /// The incident pgtop exists for, reproduced: max_connections=20, 3 slots reserved for
    /// superusers, an ordinary role holding every other slot, most of them idle after
    /// `START TRANSACTION;`, two busy with a long query.
    @Suite(.serialized, .timeLimit(.minutes(3))) struct IncidentTests {
        @Test func slotsExhaustedThenClearedWith3AKY() throws {
            let cluster = try ThrowawayCluster.start(ClusterOptions(
                settings: ["max_connections": "20", "superuser_reserved_connections": "3"], stopsWithProcess: true))
            defer { cluster.stop() }
            func connect(_ user: String, _ application: String) throws -> PGConnection {
                try PGConnection.connect(ConnectionParameters(conninfo: cluster.conninfo(user: user), host: nil, port: nil,
                                                              user: nil, database: nil, applicationName: application), timeout: 10)
            }
            let admin = try connect("postgres", "incident-admin")
            defer { admin.close() }
            _ = try admin.execute("CREATE ROLE app LOGIN")

            // 17 ordinary slots: the admin session holds one (a superuser takes an ordinary slot while
            // there is one), 14 are stuck in a transaction, 2 run a long query.
            var stuck: [PGConnection] = []
            for i in 1...14 {
                let c = try connect("app", "orders-api")
                _ = try c.execute("START TRANSACTION")
                _ = try c.execute("SELECT \(i)")
                stuck.append(c)
            }
            var busy: [PGConnection] = []
            for _ in 1...2 {
                let c = try connect("app", "report")
                try c.send("SELECT pg_sleep(600)")
                busy.append(c)
            }
            defer { for c in stuck + busy { c.close() } }

            // pgtop as the ordinary role cannot get in, and says why and what to do, at once.
            let refused = Harness.runBinary(["-h", cluster.socketDirectory, "-p", "\(cluster.port)", "-U", "app", "-d", "postgres"],
                                            timeout: 10)
            #expect(refused.status == 2)
            #expect(refused.seconds < 2)
            #expect(refused.output.contains("every connection slot open to ordinary roles is taken"))
            #expect(refused.output.contains("reserved"))
            // The advice is a whole command line, for the same socket, port and database: it works as given.
            let advice = "pgtop -h \(cluster.socketDirectory) -p \(cluster.port) -d postgres -U postgres"
            #expect(refused.output.contains("for example:  " + advice), "\(refused.output)")
            let followed = Harness.runBinary(["--config", "/dev/null", "--no-audit-log", "--once", "--format", "json"]
                                             + advice.split(separator: " ").dropFirst().map(String.init), timeout: 20)
            #expect(followed.status == 0, "\(followed.output)")
            #expect(!refused.output.contains("\u{1B}"))

            // As the superuser, pgtop gets a reserved slot and shows the slots as exhausted.
            let log = Harness.temporaryPath("incident.log")
            let command = "\(Harness.binary) -h \(cluster.socketDirectory) -p \(cluster.port) -U postgres -d postgres --audit-log \(log)"
            let tmux = try Tmux(command, width: 140, height: 40, environment: ["LANG": "C.UTF-8"])
            var screen = try tmux.wait(for: "NO free slots")
            #expect(screen.contains("Connections 18/20"))
            #expect(screen.contains("orders-api"))

            // 3: the idle-in-transaction view; A: mark all of it; k y: terminate.
            try tmux.send("3")
            try tmux.wait(for: "View: idle in transaction")
            try tmux.send("A")
            screen = try tmux.wait(for: "Marked 14")
            try tmux.send("k")
            screen = try tmux.wait(for: "Terminate 14 backends")
            #expect(screen.contains("14 idle in transaction"))
            try tmux.send("y")
            try tmux.wait(for: "14 terminated")

            // Terminated backends take a moment to exit: wait for the survivors to be exactly
            // the busy ones and pgtop.
            var left: [String] = []
            for _ in 0..<50 {
                left = try admin.execute("""
                    SELECT application_name FROM pg_stat_activity
                    WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() ORDER BY 1
                    """).rows.map { $0[0] ?? "" }
                if left == ["pgtop", "report", "report"] { break }
                usleep(100_000)
            }
            #expect(left == ["pgtop", "report", "report"])

            let audit = Harness.read(log).split(separator: "\n")
            #expect(audit.count == 14)
            #expect(audit.allSatisfy { $0.contains("action=terminate") && $0.contains("user=app") && $0.contains("outcome=terminated") })

            // A new ordinary connection now gets in.
            let fresh = try connect("app", "after-the-incident")
            #expect(fresh.isAlive)
            fresh.close()
            try tmux.send("q")
        }
    }
}
