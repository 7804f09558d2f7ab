import Foundation
import Testing
import PGTopPostgres

extension EndToEnd {
    /// Issue 12, items 2 to 4: no confirmed action is lost, an action whose answer never came
    /// is said to be unknown until a refresh settles it, and marks the screen does not show
    /// are counted before they are acted on. The server is made slow for real: pgtop's own
    /// backend is stopped (SIGSTOP) and resumed (SIGCONT).
    @Suite(.serialized, .timeLimit(.minutes(4))) struct ActionSafetyTests {
        /// Stuck sessions named `application`, idle in transaction.
        func stuck(_ application: String) throws -> PGConnection {
            let c = try Harness.connect(application: application)
            _ = try c.execute("START TRANSACTION")
            _ = try c.execute("SELECT 1")
            return c
        }

        /// pgtop's own backend on the shared server (the suites run one pgtop at a time).
        func pgtopBackend(_ admin: PGConnection) throws -> pid_t? {
            var pid: pid_t?
            _ = try Harness.waitUntil(timeout: 10) {
                let r = try admin.execute("SELECT pid FROM pg_stat_activity WHERE application_name = 'pgtop' ORDER BY backend_start DESC LIMIT 1")
                pid = r.rows.first?[0].flatMap { pid_t($0) }
                return pid != nil
            }
            return pid
        }

        func alive(_ pid: Int32, _ admin: PGConnection) throws -> Bool {
            try admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = \(pid)").rows.count == 1
        }

        /// Two confirmations while the server does not answer: both go out when it does, in
        /// order, each with its audit line, and the footer gives both outcomes.
        @Test func twoConfirmationsWhileTheServerIsSlowAreBothSent() throws {
            let admin = try Harness.admin()
            let one = try stuck("fifo-one"), two = try stuck("fifo-two")
            defer { one.close(); two.close(); admin.close() }
            let log = Harness.temporaryPath("fifo.log")
            let tmux = try Tmux(Harness.command(auditLog: log), width: 200, height: 30, environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "fifo-two")
            let backend = try #require(try pgtopBackend(admin))
            kill(backend, SIGSTOP)  // the next refresh gets no answer until SIGCONT
            var resumed = false
            defer { if !resumed { kill(backend, SIGCONT) } }
            // A refresh is under way: both actions must wait behind it (6 s left of its 8).
            try tmux.wait(for: "waiting for the server: no answer for")
            for (name, pid) in [("fifo-one", one.backendPid), ("fifo-two", two.backendPid)] {
                try tmux.send("/")
                try tmux.send("C-u")
                try tmux.type(name)
                try tmux.send("Enter")
                try tmux.send("k")
                try tmux.wait(for: "Terminate 1 backend (\(pid))? [y/N]")
                try tmux.send("y")
                try tmux.wait(for: "Terminate sent to 1 backend(s)")
            }
            kill(backend, SIGCONT)
            resumed = true
            let screen = try tmux.wait(for: "Terminate \(two.backendPid): 1 terminated")
            #expect(screen.contains("Terminate \(one.backendPid): 1 terminated"))
            #expect(try Harness.waitUntil(timeout: 10) { try !alive(one.backendPid, admin) && !alive(two.backendPid, admin) })
            let lines = Harness.read(log).split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first?.contains("pid=\(one.backendPid) ") == true)
            #expect(lines.last?.contains("pid=\(two.backendPid) ") == true)
            #expect(lines.allSatisfy { $0.contains("outcome=terminated") && $0.contains("application=fifo-") })
            try tmux.send("q")
        }

        /// The answer to a cancel, then to a terminate, does not come in 8 s: each is reported
        /// and audited `unknown: no answer in 8s; it may have been sent`; the refresh after
        /// settles it: the cancelled session is still there, the terminated one gone.
        @Test func anActionWithoutAnAnswerIsUnknownThenSettled() throws {
            let admin = try Harness.admin()
            let victim = try stuck("late-one")
            defer { victim.close(); admin.close() }
            let log = Harness.temporaryPath("late.log")
            let tmux = try Tmux(Harness.command(auditLog: log), width: 220, height: 30, environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "late-one")
            try tmux.send("/")
            try tmux.type("late-one")
            try tmux.send("Enter")
            for (key, kind, settled) in [("c", "Cancel", "still there"), ("k", "Terminate", "terminated")] {
                try tmux.send("Z")  // paused: no refresh goes out, the action is sent at once
                try tmux.wait(for: "PAUSED")
                let backend = try #require(try pgtopBackend(admin))
                kill(backend, SIGSTOP)
                var resumed = false
                defer { if !resumed { kill(backend, SIGCONT) } }
                try tmux.send(key)
                try tmux.wait(for: "\(kind) 1 backend (\(victim.backendPid))? [y/N]")
                try tmux.send("y")
                try tmux.wait(for: "1 unknown: no answer in 8s; it may have been sent", timeout: 30)
                #expect(Harness.read(log).contains(#"outcome="unknown: no answer in 8s; it may have been sent""#))
                // The server runs the statement once it is resumed: pgtop cannot know yet.
                kill(backend, SIGCONT)
                resumed = true
                if kind == "Terminate" {
                    #expect(try Harness.waitUntil(timeout: 10) { try !alive(victim.backendPid, admin) })
                } else {
                    _ = try Harness.waitUntil(timeout: 10) { try !alive(backend, admin) }  // the old connection ended
                }
                try tmux.send("Z")  // the refresh after it settles the outcome
                try tmux.wait(for: "\(kind) \(victim.backendPid) (no answer came) settled at this refresh: 1 \(settled)", timeout: 30)
                #expect(Harness.read(log).contains("action=\(kind.lowercased()) pid=\(victim.backendPid) "))
                #expect(Harness.read(log).contains(#"outcome="settled: \#(settled)""#))
            }
            #expect(Harness.read(log).split(separator: "\n").count == 4)
            try tmux.send("q")
        }

        /// Issue 13.11: a target that ended while the question was open (a refresh came and
        /// the row left the screen) is `already gone`, and its audit line keeps the user,
        /// database and application the question was about.
        @Test func anAlreadyGoneLineKeepsWhatTheScreenShowed() throws {
            let admin = try Harness.admin()
            defer { admin.close() }
            let leaving = try stuck("gone-one")
            let pid = leaving.backendPid
            let log = Harness.temporaryPath("gone.log")
            let tmux = try Tmux(Harness.command("--filter gone-one", auditLog: log), width: 200, height: 30, environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "gone-one")
            try tmux.send("k")
            try tmux.wait(for: "Terminate 1 backend (\(pid))? [y/N]")
            leaving.close()
            #expect(try Harness.waitUntil(timeout: 10) { try !alive(pid, admin) })
            try tmux.wait(for: "Shown 0/")  // a refresh came while the question was open: the row is gone
            try tmux.send("y")
            try tmux.wait(for: "0 terminated, 1 already gone")
            let line = Harness.read(log)
            #expect(line.contains(#"pid=\#(pid) "#) && line.contains(#"outcome="already gone""#))
            #expect(line.contains(" user=postgres database=postgres application=gone-one "), "\(line)")
            try tmux.send("q")
        }

        /// Marks the filter hides are targets too: the question says how many are not shown;
        /// after the action they are no longer marked, so a later k takes only the selection.
        @Test func marksOffScreenAreCountedThenCleared() throws {
            let a = try stuck("mark-a"), b = try stuck("mark-b"), c = try stuck("mark-c")
            defer { a.close(); b.close(); c.close() }
            let tmux = try Tmux(Harness.command(), width: 200, height: 30, environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "mark-c")
            try tmux.send("/")
            try tmux.type("mark-")
            try tmux.send("Enter")
            try tmux.wait(for: "Shown 3/")
            try tmux.send("A")
            try tmux.wait(for: "Marked 3")
            try tmux.send("/")
            try tmux.send("C-u")
            try tmux.type("mark-a")
            try tmux.send("Enter")
            try tmux.wait(for: "Shown 1/")
            try tmux.send("c")
            let screen = try tmux.wait(for: "; 2 not shown now)? [y/N]")
            #expect(screen.contains("Cancel 3 backends ("))
            #expect(screen.contains("2 of them not shown by the current filter/view"))
            try tmux.send("y")
            try tmux.wait(for: "3 cancelled")
            try tmux.send("k")
            try tmux.wait(for: "Terminate 1 backend (\(a.backendPid))? [y/N]")
            try tmux.send("n")
            try tmux.wait(for: "aborted")
            #expect(b.isAlive && c.isAlive)
            try tmux.send("q")
        }
    }
}
