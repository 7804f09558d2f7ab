import Foundation
import Testing
import PGTopPostgres

extension EndToEnd {
    /// pgtop on the database host: `H` adds CPU%, RES, READ/s, WRITE/s per backend from /proc,
    /// the header has the host's load and memory; a backend burning CPU shows it.
    @Suite(.serialized, .timeLimit(.minutes(2))) struct HostTests {
        @Test func hostColumnsShowABusyBackend() throws {
            let admin = try Harness.admin()
            defer { admin.close() }
            let busy = try Harness.connect(application: "host-busy")
            try busy.send("SELECT sum(g) FROM generate_series(1, 400000000) g")
            defer {
                _ = try? admin.execute("SELECT pg_cancel_backend(\(busy.backendPid))")
                busy.close()
            }

            let tmux = try Tmux(Harness.command(), width: 200, height: 30, environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
            let first = try tmux.wait(for: "host-busy")
            #expect(first.contains("load ") && first.contains("mem "))
            #expect(!first.contains("CPU%"))
            try tmux.send("H")
            let screen = try tmux.wait(timeout: 15, for: "a busy CPU%") { screen in
                // The row, not the header's "Held by ... host-busy 1".
                guard screen.contains("CPU%"), let line = screen.split(separator: "\n").last(where: { $0.contains("host-busy") }) else { return false }
                // CPU% is the first number after the BLOCKED BY column: find a cell of 20 or more.
                return line.split(separator: " ").contains { Double($0).map { $0 >= 20 && $0 <= 400 } ?? false }
            }
            #expect(screen.contains("RES") && screen.contains(" MB"))
            try tmux.send("q")
        }
    }
}
