import Foundation
import Testing
import PGTopPostgres

extension EndToEnd {
    /// Under load `3` `A` also marked healthy transactions a second old. With a threshold on
    /// the screen (`m`, `3s`, Enter) the incident is `3`, a threshold, `A` `k` `y`: only the
    /// stuck sessions end, the young ones go on; `S` saves the threshold and clearing it
    /// removes it from the file.
    @Suite(.serialized, .timeLimit(.minutes(3))) struct ThresholdTests {
        @Test func aThresholdKeepsYoungTransactionsOutOf3AKY() throws {
            let admin = try Harness.admin()
            defer { admin.close() }
            var stuck: [PGConnection] = []
            for _ in 1...3 {
                let c = try Harness.connect(application: "threshold-stuck")
                try c.execute("START TRANSACTION;")
                stuck.append(c)
            }
            defer { stuck.forEach { $0.close() } }
            // A few seconds, by the server's clock: older than the threshold typed below.
            let aged = try Harness.waitUntil(timeout: 30) {
                try admin.execute("""
                    SELECT count(*) FROM pg_stat_activity WHERE application_name = 'threshold-stuck'
                    AND state = 'idle in transaction' AND clock_timestamp() - query_start > interval '4 s'
                    """).rows[0][0] == "3"
            }
            #expect(aged)
            // Healthy transactions: a new one every 0.2 s, so they stay younger than the
            // threshold however slowly this machine runs pgtop.
            let young = try YoungTransactions(count: 2, application: "threshold-young")
            defer { young.stop() }

            let config = Harness.temporaryPath("threshold.toml")
            try "# mine\nrefresh = 1\n".write(toFile: config, atomically: true, encoding: .utf8)
            let log = Harness.temporaryPath("threshold.log")
            let tmux = try Tmux(Harness.command("--config \(config) --filter threshold- --idle-warn 2", auditLog: log), width: 140, height: 40,
                                environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "threshold-young")
            try tmux.send("3")
            try tmux.wait(for: "View: idle in transaction")
            try tmux.send("m")
            try tmux.wait(for: "Only ELAPSED at least:")
            try tmux.type("3s")
            try tmux.send("Enter")
            var screen = try tmux.wait(for: "ELAPSED ≥ 3s")
            screen = try tmux.wait(for: "Shown 3/")
            #expect(screen.contains("ELAPSED ≥ 3s  Shown 3/"), "\(screen)")
            // The header still counts them ("Held by app: ... threshold-young 2"); the table does not show them.
            #expect(!screen.split(separator: "\n").contains { $0.contains("threshold-young") && !$0.contains("Held by") }, "\(screen)")

            try tmux.send("A")
            try tmux.wait(for: "Marked 3")
            try tmux.send("k")
            let pids = stuck.map(\.backendPid).sorted().map(String.init).joined(separator: ", ")
            screen = try tmux.wait(for: "Terminate 3 backends (\(pids))? [y/N]")
            #expect(screen.contains("3 idle in transaction"))
            #expect(!screen.contains("for less than"), "\(screen)")  // no young target (the superuser warning is right: they run as postgres)
            try tmux.send("y")
            try tmux.wait(for: "3 terminated")

            let ended = try Harness.waitUntil(timeout: 10) {
                try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'threshold-stuck'").rows[0][0] == "0"
            }
            #expect(ended)
            let youngPids = young.pids.map(String.init).joined(separator: ",")
            #expect(try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid IN (\(youngPids))").rows[0][0] == "2")
            #expect(young.failures.isEmpty, "\(young.failures)")
            let audit = Harness.read(log).split(separator: "\n")
            #expect(audit.count == 3, "\(audit)")
            #expect(audit.allSatisfy { $0.contains("application=threshold-stuck") && $0.contains("outcome=terminated") }, "\(audit)")

            // S saves the threshold as the config's min-duration; cleared and saved again, it goes.
            try tmux.send("S")
            try tmux.wait(for: "Layout saved to \(config)")
            #expect(Harness.read(config).contains("\nmin-duration = 3\n"), "\(Harness.read(config))")
            try tmux.send("m")
            try tmux.wait(for: "Only ELAPSED at least: 3s")
            try tmux.send("C-u")
            try tmux.send("Enter")
            screen = try tmux.wait(for: "Threshold cleared")
            #expect(!screen.contains("ELAPSED ≥"), "\(screen)")
            try tmux.wait(for: "threshold-young")   // the young ones are shown again
            try tmux.send("S")
            try tmux.wait(timeout: 15, for: "the threshold removed") { _ in
                let text = Harness.read(config)
                return text.hasPrefix("# mine\n") && text.contains("view = \"idle-in-transaction\"") && !text.contains("min-duration")
            }
            try tmux.send("q")
        }
    }
}

/// Sessions in healthy short transactions: each starts a new one every 0.2 s on a thread of
/// its own until `stop()`, and records any statement that fails (it was terminated).
final class YoungTransactions: @unchecked Sendable {
    let pids: [Int32]
    private let lock = NSLock()
    private var stopped = false
    private var errors: [String] = []
    private let done = DispatchSemaphore(value: 0)

    var failures: [String] { lock.withLock { errors } }

    init(count: Int, application: String) throws {
        let connections = try (1...count).map { _ in try Harness.connect(application: application) }
        pids = connections.map(\.backendPid)
        for c in connections { try c.execute("START TRANSACTION;") }
        let box = ConnectionsBox(connections)
        DispatchQueue.global().async {
            while !self.lock.withLock({ self.stopped }) {
                for c in box.connections {
                    do {
                        try c.execute("COMMIT")
                        try c.execute("START TRANSACTION;")
                    } catch {
                        self.lock.withLock { self.errors.append("\(c.backendPid): \(error)") }
                    }
                }
                usleep(200_000)
            }
            box.connections.forEach { $0.close() }
            self.done.signal()
        }
    }

    func stop() {
        lock.withLock { stopped = true }
        _ = done.wait(timeout: .now() + 10)
    }
}

/// Connections handed to the one thread that uses them from then on.
final class ConnectionsBox: @unchecked Sendable {
    let connections: [PGConnection]
    init(_ connections: [PGConnection]) { self.connections = connections }
}
