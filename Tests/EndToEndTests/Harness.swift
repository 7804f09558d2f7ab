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
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("pgtop").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        fatalError("pgtop binary not found near \(exe)")
    }()

    /// pgtop's command line for the shared cluster.
    static func command(_ extra: String = "") -> String {
        "\(binary) -h \(cluster.socketDirectory) -p \(cluster.port) -U postgres -d postgres \(extra)"
    }

    static func connect(application: String, user: String = "postgres") throws -> PGConnection {
        let p = ConnectionParameters(conninfo: cluster.conninfo(user: user), host: nil, port: nil, user: nil,
                                     database: nil, applicationName: application)
        return try PGConnection.connect(p, timeout: 10)
    }

    static func admin() throws -> PGConnection { try connect(application: "e2e-admin") }

    /// Runs pgtop without a terminal; returns (status, stdout+stderr, seconds). A pgtop still
    /// running after `timeout` seconds is killed (status 137).
    static func runBinary(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 60) -> (status: Int32, output: String, seconds: Double) {
        let start = Date()
        let r = Subprocess.run([binary] + arguments, environment: environment, timeout: timeout)
        return (r.status, r.output, Date().timeIntervalSince(start))
    }
}
