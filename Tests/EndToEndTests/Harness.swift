import Foundation
import PGTopCluster
import PGTopPostgres

/// The server and the built binary the end-to-end tests share.
enum Harness {
    /// One throwaway cluster for this test process, stopped when it exits.
    static let cluster: ThrowawayCluster = {
        let c = try! ThrowawayCluster.start(ClusterOptions())
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
        let p = ConnectionParameters(conninfo: cluster.conninfo(user: user) + " application_name=\(application)",
                                     host: nil, port: nil, user: nil, database: nil)
        // ConnectionParameters forces application_name=pgtop; name test sessions with SET.
        let c = try PGConnection.connect(p, timeout: 10)
        _ = try c.execute("SET application_name = '\(application)'")
        return c
    }

    static func admin() throws -> PGConnection { try connect(application: "e2e-admin") }

    /// Runs pgtop without a terminal; returns (status, stdout+stderr, seconds).
    static func runBinary(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String, seconds: Double) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        let start = Date()
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self), Date().timeIntervalSince(start))
    }
}
