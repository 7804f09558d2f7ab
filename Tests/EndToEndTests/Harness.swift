import Foundation
import PGTopCluster
import PGTopPostgres

/// The server and the built binary the end-to-end tests share.
enum Harness {
    /// One throwaway cluster for this test process, stopped when it exits.
    static let cluster: ThrowawayCluster = {
        let c = try! ThrowawayCluster.start(ClusterOptions(stopsWithProcess: true))
        atexit { Harness.cluster.stop() }
        return c
    }()

    /// `pgtop` next to the test bundle, built by `swift test` because this target depends on it.
    static let binary: String = {
        // Another build may be tried against these tests (to see a test fail before a fix).
        if let other = ProcessInfo.processInfo.environment["PGTOP_TEST_BINARY"], !other.isEmpty { return other }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("pgtop").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        fatalError("pgtop binary not found near \(exe)")
    }()

    /// pgtop's command line for the shared cluster; the audit log goes to `auditLog`, never
    /// to the home directory of whoever runs the tests.
    static func command(_ extra: String = "", user: String = "postgres", auditLog: String? = nil) -> String {
        let log = auditLog.map { "--audit-log \($0)" } ?? "--no-audit-log"
        // --config /dev/null: whoever runs the tests may have a config of their own; a test's
        // own --config, later on the line, wins.
        return "\(binary) --config /dev/null -h \(cluster.socketDirectory) -p \(cluster.port) -U \(user) -d postgres \(log) \(extra)"
    }

    /// A path for a test's audit log, removed when the test process ends.
    static func temporaryPath(_ name: String) -> String {
        _ = removeTemporaryFilesAtExit
        return "/tmp/pgtop-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    }

    private static let removeTemporaryFilesAtExit: Void = {
        atexit {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
            where name.hasPrefix("pgtop-e2e-\(getpid())-") {
                try? FileManager.default.removeItem(atPath: "/tmp/" + name)
            }
        }
    }()

    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    static func connect(application: String, user: String = "postgres") throws -> PGConnection {
        let p = ConnectionParameters(conninfo: cluster.conninfo(user: user), host: nil, port: nil, user: nil,
                                     database: nil, applicationName: application)
        return try PGConnection.connect(p, timeout: 10)
    }

    static func admin() throws -> PGConnection { try connect(application: "e2e-admin") }

    /// Polls `condition` every 100 ms until it holds (true) or `timeout` seconds pass (false).
    static func waitUntil(timeout: Double, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return false
    }

    /// Runs pgtop without a terminal; returns (status, stdout+stderr, seconds). A pgtop still
    /// running after `timeout` seconds is killed (status 137).
    static func runBinary(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 60) -> (status: Int32, output: String, seconds: Double) {
        let start = Date()
        // A config file of whoever runs the tests must not change what pgtop does here.
        let env = ["XDG_CONFIG_HOME": "/nonexistent-pgtop-test-config"].merging(environment) { $1 }
        let r = Subprocess.run([binary] + arguments, environment: env, timeout: timeout)
        return (r.status, r.output, Date().timeIntervalSince(start))
    }
}
