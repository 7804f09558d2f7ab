import Foundation
import Testing
import PGTopPostgres

extension EndToEnd {
    /// The main path, as a user does it: start pgtop in a terminal, see the rows, sort, mark,
    /// terminate, quit.
    @Suite(.serialized, .timeLimit(.minutes(3))) struct MainPathTests {
        @Test func terminateAStuckSessionWithKAndY() throws {
            let admin = try Harness.admin()
            var stuck: [PGConnection] = []
            for i in 1...3 {
                let c = try Harness.connect(application: "stuck-\(i)")
                _ = try c.execute("START TRANSACTION")
                _ = try c.execute("SELECT 1")
                stuck.append(c)
            }
            let victim = stuck[1].backendPid

            let log = Harness.temporaryPath("actions.log")
            let tmux = try Tmux("sh -c '\(Harness.command(auditLog: log)); s=$?; stty -a; echo EXITED $s'", environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
            var screen = try tmux.wait(for: "stuck-3")
            #expect(screen.contains("stuck-1"))
            #expect(screen.contains("idle in txn"))
            #expect(screen.contains("Sort: ELAPSED▼"))
            #expect(screen.contains("PostgreSQL"))
            #expect(screen.contains("Connections"))

            // pgtop's own session is not listed, and it has exactly one.
            let own = try admin.execute("SELECT pid FROM pg_stat_activity WHERE application_name = 'pgtop'")
            #expect(own.rows.count == 1)
            let ownPid = own.rows.first?[0] ?? "?"
            #expect(!screen.contains(" \(ownPid) "))

            // sort by another column and back
            try tmux.send(">")
            try tmux.wait(for: "Sort: QUERY")
            try tmux.send("<")
            try tmux.wait(for: "Sort: ELAPSED")

            // narrow to the victim, mark it, terminate it
            try tmux.send("/")
            try tmux.type("stuck-2")
            try tmux.send("Enter")
            screen = try tmux.wait(for: "Filter: \"stuck-2\"")
            try tmux.send("Space")
            try tmux.wait(timeout: 5, for: "a mark") { $0.contains("* \(victim)") || $0.contains("*\(victim)") || $0.contains("Marked 1") }
            try tmux.send("k")
            screen = try tmux.wait(for: "Terminate 1 backend (\(victim))? [y/N]")
            try tmux.send("y")
            screen = try tmux.wait(for: "1 terminated")

            let gone = try waitUntil(timeout: 5) {
                try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = \(victim)").rows[0][0] == "0"
            }
            #expect(gone)
            let survivors = try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name IN ('stuck-1', 'stuck-3')")
            #expect(survivors.rows[0][0] == "2")

            // the audit log has one line for it
            let lines = Harness.read(log).split(separator: "\n")
            #expect(lines.count == 1)
            #expect(lines.first?.contains("action=terminate pid=\(victim) ") == true)
            #expect(lines.first?.contains("application=stuck-2 ") == true)
            #expect(lines.first?.contains("state=\"idle in transaction\"") == true)
            #expect(lines.first?.hasSuffix("outcome=terminated query=\"SELECT 1\"") == true)

            try tmux.send("q")
            screen = try tmux.wait(for: "EXITED 0")
            #expect(screen.contains(" echo "))
            #expect(screen.contains(" icanon "))
            #expect(!screen.contains("-echo "))
            for c in stuck { c.close() }
            admin.close()
        }

        @Test func anythingButYLeavesTheBackendAlone() throws {
            let admin = try Harness.admin()
            let c = try Harness.connect(application: "keep-me")
            _ = try c.execute("START TRANSACTION")
            let tmux = try Tmux(Harness.command(), environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "keep-me")
            try tmux.send("/")
            try tmux.type("keep-me")
            try tmux.send("Enter")
            try tmux.wait(for: "Filter: \"keep-me\"")
            try tmux.send("k")
            try tmux.wait(for: "[y/N]")
            try tmux.send("n")
            try tmux.wait(for: "aborted")
            usleep(300_000)
            let alive = try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = \(c.backendPid)")
            #expect(alive.rows[0][0] == "1")
            try tmux.send("q")
            c.close()
            admin.close()
        }

        @Test func resizeRelaysOutAndHelpListsKeys() throws {
            let tmux = try Tmux(Harness.command(), width: 120, height: 40, environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "APPLICATION")
            try tmux.resize(width: 60, height: 12)
            // the key line moves to the new bottom row: the screen was laid out again for 60x12
            let small = try tmux.wait(timeout: 5, for: "the 60x12 layout") {
                $0.split(separator: "\n", omittingEmptySubsequences: false).prefix(12).last?.contains("Help") == true
            }
            for line in small.split(separator: "\n") { #expect(line.count <= 60) }
            try tmux.resize(width: 19, height: 5)
            try tmux.wait(for: "too small")
            try tmux.resize(width: 120, height: 40)
            try tmux.wait(for: "APPLICATION")
            try tmux.send("?")
            try tmux.wait(for: "Terminate the marked backends")
            try tmux.send("q")  // closes the help (other keys scroll or search it)
            try tmux.wait(for: "APPLICATION")
            try tmux.send("q")
            try tmux.wait(timeout: 5, for: "exit") { _ in (try? tmux.paneDead()) == true }
        }

        func waitUntil(timeout: Double, _ condition: () throws -> Bool) throws -> Bool {
            try Harness.waitUntil(timeout: timeout, condition)
        }
    }
}

/// What happens before the screen starts: wrong flags and unreachable servers.
@Suite(.timeLimit(.minutes(2))) struct StartupErrorTests {
    @Test func unknownFlagIsOneLineAndStatus2() throws {
        let r = Harness.runBinary(["--no-such-flag"])
        #expect(r.status == 2)
        #expect(r.output.split(separator: "\n").count == 1)
        #expect(r.output.hasPrefix("pgtop: "))
    }

    @Test func refreshBelowATenth() throws {
        let r = Harness.runBinary(["-r", "0.01"])
        #expect(r.status == 2)
        #expect(r.output.contains("--refresh"))
    }

    @Test func unreachableServerIsOneLineAndStatus2() throws {
        let r = Harness.runBinary(["-h", "127.0.0.1", "-p", "1", "-U", "nobody"])
        #expect(r.status == 2)
        #expect(r.output.split(separator: "\n").count == 1)
        #expect(r.output.contains("refused") || r.output.contains("127.0.0.1"))
        #expect(!r.output.contains("\u{1B}"))  // curses never started
    }

    @Test func unknownRoleIsOneLineAndStatus2() throws {
        let r = Harness.runBinary(["-h", Harness.cluster.socketDirectory, "-p", "\(Harness.cluster.port)", "-U", "no_such_role"])
        #expect(r.status == 2)
        #expect(r.output.contains("no_such_role"))
        #expect(r.output.split(separator: "\n").count == 1)
    }

    @Test func helpAndVersion() throws {
        let help = Harness.runBinary(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("-h, --host"))
        #expect(help.output.contains("-r, --refresh"))
        let version = Harness.runBinary(["--version"])
        #expect(version.status == 0)
        #expect(!version.output.isEmpty)
    }
}
