import Foundation
import Testing
@testable import PGTopCluster
import PGTopPostgres

/// The throwaway PgBouncer itself: where it listens, its console, its pool mode, and that
/// nothing of it is left after stop() or after its watcher ran.
@Suite struct PoolerFixtureTests {
    func running(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let paren = stat.lastIndex(of: ")") else { return false }
        return !stat[paren...].hasPrefix(") Z")
    }

    /// The admin console takes the simple query protocol only: psql speaks it.
    func console(_ pooler: ThrowawayPooler, _ command: String) -> String {
        Subprocess.run(["psql", pooler.adminConninfo(), "-X", "-A", "-t", "-F", "|", "-c", command], timeout: 20).output
    }

    @Test(arguments: PoolMode.allCases) func startsInFrontOfTheClusterAndStops(mode: PoolMode) throws {
        guard let pooler = try ThrowawayPooler.startIfInstalled(in: Shared.cluster, PoolerOptions(poolMode: mode, poolSize: 3)) else {
            print(ThrowawayPooler.skipped("ThrowawayPooler (\(mode))"))
            return
        }
        #expect(pooler.directory.hasPrefix("/tmp/pgtop-pooler-"))
        #expect(pooler.poolMode == mode)
        #expect(FileManager.default.fileExists(atPath: "\(pooler.socketDirectory)/.s.PGSQL.\(pooler.port)"))
        #expect(pooler.conninfo(user: "u", database: "d") == "host=\(pooler.socketDirectory) port=\(pooler.port) user=u dbname=d")
        #expect(pooler.adminConninfo().hasSuffix("user=pgbouncer dbname=pgbouncer"))
        if geteuid() == 0 {
            let owner = try FileManager.default.attributesOfItem(atPath: pooler.directory)[.ownerAccountName] as? String
            #expect(owner == "postgres")
        }
        // A pooled database reaches the cluster behind it.
        let c = try PGConnection.connect(ConnectionParameters(conninfo: pooler.conninfo(), host: nil, port: nil, user: nil,
                                                              database: nil, applicationName: "fixture"), timeout: 10)
        #expect(try c.execute("SELECT current_setting('port')").rows[0][0] == "\(Shared.cluster.port)")
        // The console answers and says the pool mode.
        let pools = console(pooler, "SHOW CONFIG")
        #expect(pools.contains("pool_mode|\(mode.rawValue)"), "\(pools)")
        #expect(console(pooler, "SHOW POOLS").contains("postgres|postgres"))
        c.close()
        #expect(FileManager.default.fileExists(atPath: pooler.logPath))
        let pid = try #require(pooler.pid)
        pooler.stop()
        #expect(!FileManager.default.fileExists(atPath: pooler.directory))
        #expect(Shared.eventually { !running(pid) })
        pooler.stop()
    }

    /// What the watcher does once this process has gone: PgBouncer stopped, directory gone.
    @Test func exitWatcherStopsIt() throws {
        guard let pooler = try ThrowawayPooler.startIfInstalled(in: Shared.cluster) else {
            print(ThrowawayPooler.skipped("ThrowawayPooler watcher"))
            return
        }
        let pid = try #require(pooler.pid)
        let watcher = try ExitWatcher.start(directory: pooler.directory, script: ExitWatcher.poolerScript)
        watcher.release()
        #expect(!FileManager.default.fileExists(atPath: pooler.directory))
        #expect(Shared.eventually { !running(pid) })
        pooler.stop()  // nothing left to do
    }

    @Test func configurationAndUsers() {
        let options = PoolerOptions(poolMode: .statement, poolSize: 4, users: ["app", "we\"ird"], settings: ["server_reset_query": "DISCARD ALL"])
        let ini = options.configuration(port: 6432, directory: "/tmp/pgtop-pooler-x", serverSocket: "/tmp/pgtop-cluster-y", serverPort: 5433)
        #expect(ini.contains("* = host=/tmp/pgtop-cluster-y port=5433"))
        #expect(ini.contains("pool_mode = statement") && ini.contains("default_pool_size = 4"))
        #expect(ini.contains("server_reset_query = DISCARD ALL"))
        #expect(options.userList() == "\"postgres\" \"\"\n\"pgbouncer\" \"\"\n\"app\" \"\"\n\"we\"\"ird\" \"\"\n")
        #expect(ThrowawayPooler.skipped("pooler tests") == "pooler tests skipped: pgbouncer not installed")
        #expect(ThrowawayPooler.locate(searchPath: "/nonexistent") == (access("/usr/sbin/pgbouncer", X_OK) == 0 ? "/usr/sbin/pgbouncer" : nil))
    }
}
