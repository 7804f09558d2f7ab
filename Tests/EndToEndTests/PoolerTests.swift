import Foundation
import Testing
import PGTopCluster
import PGTopPostgres

extension EndToEnd {
    /// The real binary behind a real PgBouncer (ThrowawayPooler) in front of the shared cluster.
    @Suite(.serialized, .timeLimit(.minutes(3))) struct PoolerTests {
        static func pooler(_ mode: PoolMode, poolSize: Int, _ what: String) throws -> ThrowawayPooler? {
            guard let pooler = try ThrowawayPooler.startIfInstalled(
                in: Harness.cluster, PoolerOptions(poolMode: mode, poolSize: poolSize, stopsWithProcess: true)) else {
                print(ThrowawayPooler.skipped(what))
                return nil
            }
            return pooler
        }

        static func connect(_ pooler: ThrowawayPooler, application: String) throws -> PGConnection {
            try PGConnection.connect(ConnectionParameters(conninfo: pooler.conninfo(), host: nil, port: nil, user: nil, database: nil,
                                                          applicationName: application), timeout: 10)
        }

        /// The report: after one `pgtop --once` through a transaction (or statement) pool, the
        /// application that gets the same server connection ran into pgtop's 5 s statement_timeout.
        @Test(arguments: [PoolMode.transaction, .statement]) func onceLeavesNoLimitsOnThePool(mode: PoolMode) throws {
            guard let pooler = try Self.pooler(mode, poolSize: 1, "pgtop --once behind pgbouncer (\(mode))") else { return }
            defer { pooler.stop() }
            let once = Harness.runBinary(["-h", pooler.socketDirectory, "-p", "\(pooler.port)", "-U", "postgres", "-d", "postgres",
                                          "--no-audit-log", "--once", "--format", "json"], timeout: 30)
            #expect(once.status == 0, "\(once.output)")
            let app = try Self.connect(pooler, application: "pooled-app")
            defer { app.close() }
            #expect(try app.execute("SHOW statement_timeout").rows[0][0] == "0")
            #expect(try app.execute("SHOW lock_timeout").rows[0][0] == "0")
            if mode == .transaction {
                #expect(try app.execute("SELECT pg_sleep(7)", timeout: 30).rowCount == 1)
            }
        }

        /// pgtop on the screen through a transaction pool of two server connections, while an
        /// application's transactions push its refreshes from one server connection to the
        /// other: both end up named pgtop on the server, and neither is listed; another user's
        /// pgtop (same application name, its own backend) is.
        @Test func ownPooledServerConnectionsAreNotListed() throws {
            guard let pooler = try Self.pooler(.transaction, poolSize: 2, "pgtop's pooled connections") else { return }
            defer { pooler.stop() }
            let admin = try Harness.admin()
            defer { admin.close() }
            _ = try? admin.execute("CREATE ROLE e2e_other_pgtop LOGIN")
            let other = try Harness.connect(application: "pgtop", user: "e2e_other_pgtop")
            let app = try Self.connect(pooler, application: "pooled-app")
            defer { other.close(); app.close() }

            let tmux = try Tmux("\(Harness.binary) --config /dev/null -h \(pooler.socketDirectory) -p \(pooler.port) -U postgres -d postgres --no-audit-log -r 0.3",
                                environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
            defer { tmux.kill() }
            try tmux.wait(for: " \(other.backendPid) ")
            // pgtop's server connections: the backends of role postgres named pgtop on the server.
            func pgtopServers() throws -> [String] {
                try admin.execute("SELECT pid FROM pg_stat_activity WHERE application_name = 'pgtop' AND usename = 'postgres' ORDER BY pid")
                    .rows.compactMap { $0[0] }
            }
            var servers: [String] = []
            let rotated = try Harness.waitUntil(timeout: 30) {
                try app.execute("BEGIN")
                try app.execute("SELECT 1")
                usleep(700_000)  // pgtop refreshes on the other server connection meanwhile
                try app.execute("COMMIT")
                usleep(700_000)
                servers = try pgtopServers()
                return servers.count == 2
            }
            try #require(rotated, "pgtop's refreshes never ran on both server connections")
            // Both are pgtop's; one idles while the other runs the refresh: neither is listed.
            usleep(1_000_000)
            let screen = try tmux.capture()
            for pid in try pgtopServers() {
                #expect(!screen.contains(" \(pid) "), "pgtop's own server connection \(pid) is listed:\n\(screen)")
            }
            #expect(screen.contains(" \(other.backendPid) "), "another user's pgtop is not listed:\n\(screen)")
            try tmux.send("q")
        }
    }
}
