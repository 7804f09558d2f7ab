import Foundation
import Testing
@testable import PGTopCluster
import PGTopPostgres

/// The throwaway cluster itself, and the process helper under it.
@Suite struct ClusterTests {
    /// True while `pid` runs (a zombie waiting for its parent to reap it does not count).
    func running(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let paren = stat.lastIndex(of: ")") else { return false }
        return !stat[paren...].hasPrefix(") Z")
    }

    @Test func sharedClusterIsWhereItSays() throws {
        let cluster = Shared.cluster
        #expect(cluster.directory.hasPrefix("/tmp/pgtop-cluster-"))
        #expect(cluster.socketDirectory == cluster.directory)
        #expect(FileManager.default.fileExists(atPath: "\(cluster.socketDirectory)/.s.PGSQL.\(cluster.port)"))
        #expect(FileManager.default.fileExists(atPath: cluster.logPath))
        #expect(FileManager.default.isExecutableFile(atPath: cluster.binDirectory + "/pg_ctl"))
        #expect(cluster.superuser == "postgres")
        #expect(cluster.conninfo(user: "u", database: "d")
                == "host=\(cluster.socketDirectory) port=\(cluster.port) user=u dbname=d")
        let c = try Shared.connect()
        let r = try c.execute("SELECT current_setting('server_version_num'), current_setting('fsync'), current_setting('listen_addresses')")
        #expect(r.rows[0] == ["\(cluster.versionNumber)", "off", "127.0.0.1"])
        c.close()
    }

    /// A second cluster: socket only, the caller's settings (quoted as needed), files owned by
    /// the OS user postgres when running as root; stop() removes everything, twice is fine.
    @Test func ownClusterStartsAndStops() throws {
        let cluster = try ThrowawayCluster.start(ClusterOptions(
            settings: ["max_connections": "7", "application_name": "it's \\ here"], listenOnLoopback: false,
            stopsWithProcess: true))
        let data = cluster.directory + "/data"
        if geteuid() == 0 {
            let owner = try FileManager.default.attributesOfItem(atPath: data)[.ownerAccountName] as? String
            #expect(owner == "postgres")
        }
        let c = try PGConnection.connect(ConnectionParameters(conninfo: cluster.conninfo(), host: nil, port: nil,
                                                              user: nil, database: nil, applicationName: "x"), timeout: 10)
        #expect(try c.execute("SHOW max_connections").rows[0][0] == "7")
        #expect(try c.execute("SELECT current_setting('application_name', true), current_setting('listen_addresses')").rows[0]
                == ["x", ""])
        #expect(try c.execute("SELECT setting FROM pg_file_settings WHERE name = 'application_name'").rows.first?[0]
                == "it's \\ here")
        c.close()
        #expect(throws: PGError.self) {
            _ = try PGConnection.connect(ConnectionParameters(conninfo: nil, host: "127.0.0.1", port: "\(cluster.port)",
                                                              user: "postgres", database: nil), timeout: 5)
        }
        let postmaster = try #require(Int32(String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8)
            .split(separator: "\n")[0]))
        cluster.stop()
        #expect(!FileManager.default.fileExists(atPath: cluster.directory))
        #expect(Shared.eventually { !running(postmaster) })
        cluster.stop()
    }

    /// What the watcher does once this process has gone (here: once its pipe is closed, as
    /// the kernel does when the process dies): immediate shutdown, then the directory goes.
    @Test func exitWatcherCleansUp() throws {
        let cluster = try ThrowawayCluster.start(ClusterOptions(listenOnLoopback: false))
        let postmaster = try #require(Int32(String(contentsOfFile: cluster.dataDirectory + "/postmaster.pid", encoding: .utf8)
            .split(separator: "\n")[0]))
        let watcher = try ExitWatcher.start(directory: cluster.directory)
        #expect(kill(watcher.pid, 0) == 0)
        watcher.release()
        #expect(!FileManager.default.fileExists(atPath: cluster.directory))
        #expect(Shared.eventually { !running(postmaster) })
        cluster.stop()  // nothing left to do
    }

    @Test func badBinDirectoryIsOneClearLine() {
        #expect {
            _ = try ThrowawayCluster.start(ClusterOptions(binDirectory: "/nonexistent"))
        } throws: { error in
            "\(error)" == "no initdb, pg_ctl, postgres in /nonexistent"
        }
    }

    @Test func findsServerProgramsWithoutPATH() throws {
        let bin = try ServerBinaries.locate(nil, searchPath: "")
        #expect(bin.hasPrefix("/usr/lib/postgresql/") && bin.hasSuffix("/bin"))
        #expect(try ServerBinaries.locate(nil, searchPath: "/nonexistent:" + bin) == bin)
    }

    @Test func versionNumbers() {
        #expect(ServerBinaries.parseVersion("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n") == 150018)
        #expect(ServerBinaries.parseVersion("postgres (PostgreSQL) 9.6.24\n") == 90624)
        #expect(ServerBinaries.parseVersion("postgres (PostgreSQL) 17beta2\n") == 170000)
        #expect(ServerBinaries.parseVersion("nonsense") == 0)
    }

    @Test func configurationValuesAreQuoted() {
        #expect(ClusterOptions.quote("20") == "'20'")
        #expect(ClusterOptions.quote("it's") == "'it''s'")
        #expect(ClusterOptions.quote("a\\b") == "'a\\\\b'")
        #expect(ClusterOptions.quote("'already'") == "'already'")
        let conf = ClusterOptions(settings: ["fsync": "on"]).configuration(port: 5999, socketDirectory: "/tmp/x")
        #expect(conf.contains("fsync = 'on'\n") && conf.contains("port = '5999'\n"))
        #expect(conf.contains("listen_addresses = '127.0.0.1'\n") && conf.contains("unix_socket_directories = '/tmp/x'\n"))
    }

    @Test func subprocessRunsAndCollects() throws {
        let r = Subprocess.run(["sh", "-c", "echo out; echo err >&2; echo $PGTOP_X; pwd; exit 3"],
                               environment: ["PGTOP_X": "set"], directory: "/tmp")
        #expect(r.status == 3)
        #expect(r.output == "out\nerr\nset\n/tmp\n")
        let missing = Subprocess.run(["/nonexistent/program"])
        #expect(missing.status == -1)
        #expect(missing.output == "cannot run /nonexistent/program: No such file or directory")
        let pid = try Subprocess.spawn(["sh", "-c", "exit 5"], newSession: true)
        #expect(Subprocess.wait(for: pid) == 5)
        let killed = try Subprocess.spawn(["sleep", "30"])
        kill(killed, SIGKILL)
        #expect(Subprocess.wait(for: killed) == 128 + SIGKILL)
    }
}
