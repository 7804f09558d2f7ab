import Foundation
import Testing
import PGTopCluster
import PGTopPostgres

extension EndToEnd {
    /// The server goes away under a running pgtop: its own session killed, a restart, a server
    /// that stops answering. pgtop says so, keeps the last table, keeps taking keys, and comes
    /// back by itself.
    @Suite(.serialized, .timeLimit(.minutes(3))) struct ResilienceTests {
        static func cluster() throws -> ThrowawayCluster {
            try ThrowawayCluster.start(ClusterOptions(stopsWithProcess: true))
        }

        static func connect(_ cluster: ThrowawayCluster, _ application: String) throws -> PGConnection {
            try PGConnection.connect(ConnectionParameters(conninfo: cluster.conninfo(), host: nil, port: nil, user: nil,
                                                          database: nil, applicationName: application), timeout: 10)
        }

        static func pgtop(_ cluster: ThrowawayCluster) throws -> Tmux {
            try Tmux("\(Harness.binary) -h \(cluster.socketDirectory) -p \(cluster.port) -U postgres -d postgres --no-audit-log",
                     width: 160, height: 30, environment: ["LANG": "C.UTF-8"])
        }

        @Test func ownSessionKilledReconnectsKeepingTheMarks() throws {
            let cluster = try Self.cluster()
            defer { cluster.stop() }
            var sessions: [PGConnection] = []
            for name in ["keep-a", "keep-b", "keep-c"] {
                let c = try Self.connect(cluster, name)
                _ = try c.execute("START TRANSACTION")
                sessions.append(c)
            }
            defer { for c in sessions { c.close() } }
            let tmux = try Self.pgtop(cluster)
            try tmux.wait(for: "keep-c")
            try tmux.send("/")
            try tmux.type("keep-")
            try tmux.send("Enter")
            try tmux.send("Space", "Space")
            try tmux.wait(for: "Marked 2")

            let admin = try Self.connect(cluster, "admin")
            defer { admin.close() }
            _ = try admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgtop'")
            let lost = try tmux.wait(for: "connection lost")
            #expect(lost.contains("keep-a"))  // the last table stays on screen
            #expect(lost.contains("data "))
            let back = try tmux.wait(timeout: 15, for: "the reconnection") {
                !$0.contains("connection lost") && $0.contains("PostgreSQL") && $0.contains("keep-a")
            }
            #expect(back.contains("Marked 2"))  // the marked backends survived, so did the marks
            #expect(back.contains("Filter: \"keep-\""))
            let own = try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgtop'")
            #expect(own.rows[0][0] == "1")  // still exactly one connection
            try tmux.send("q")
        }

        @Test func serverRestartIsSurvived() throws {
            let cluster = try Self.cluster()
            defer { cluster.stop() }
            let tmux = try Self.pgtop(cluster)
            try tmux.wait(for: "Connections 1/")
            let restart = cluster.pgctl(["-m", "fast", "-w", "-t", "30", "restart"])
            #expect(restart.status == 0, "\(restart.output)")
            let after = try Self.connect(cluster, "after-restart")
            _ = try after.execute("START TRANSACTION")
            defer { after.close() }
            let screen = try tmux.wait(timeout: 15, for: "the new session after the restart") {
                $0.contains("after-restart") && !$0.contains("connection lost")
            }
            #expect(screen.contains("Connections 2/"))
            try tmux.send("q")
            try tmux.wait(timeout: 5, for: "exit") { _ in (try? tmux.paneDead()) == true }
        }

        @Test func aServerThatStopsAnsweringNeverFreezesTheScreen() throws {
            let cluster = try Self.cluster()
            defer { cluster.stop() }
            let tmux = try Self.pgtop(cluster)
            try tmux.wait(for: "Connections 1/")
            let admin = try Self.connect(cluster, "admin")
            let own = try admin.execute("SELECT pid FROM pg_stat_activity WHERE application_name = 'pgtop'")
            admin.close()
            guard let backend = own.rows.first?[0].flatMap({ pid_t($0) }), let postmaster = cluster.postmasterPid else {
                Issue.record("no pids to stop")
                return
            }
            kill(postmaster, SIGSTOP)
            kill(backend, SIGSTOP)
            defer {
                kill(backend, SIGCONT)
                kill(postmaster, SIGCONT)
            }
            try tmux.wait(for: "waiting for the server", timeout: 10)
            // keys still work while the query hangs
            try tmux.send("?")
            try tmux.wait(for: "pgtop help", timeout: 3)
            try tmux.send("q")
            let abandoned = try tmux.wait(timeout: 15, for: "the query to be given up") { $0.contains("did not answer") }
            #expect(abandoned.contains("connection lost"))
            // reconnecting to a stopped server does not freeze it either; q quits at once
            try tmux.send("q")
            try tmux.wait(timeout: 3, for: "exit") { _ in (try? tmux.paneDead()) == true }
        }
    }
}
