import Foundation
import Testing
import PGTopPostgres

extension EndToEnd {
    /// pgtop as roles that are not superusers: a plain role sees a partial view and is refused
    /// per backend; a `pg_monitor` role sees everything.
    @Suite(.serialized, .timeLimit(.minutes(3))) struct PermissionTests {
        static let roles: Void = {
            let admin = try! Harness.admin()
            _ = try? admin.execute("CREATE ROLE e2e_plain LOGIN")
            _ = try? admin.execute("CREATE ROLE e2e_monitor LOGIN IN ROLE pg_monitor")
            _ = try? admin.execute("CREATE ROLE e2e_signaller LOGIN IN ROLE pg_signal_backend")
            admin.close()
        }()

        @Test func plainRoleSeesAPartialViewAndIsDeniedPerBackend() throws {
            _ = Self.roles
            let su = try Harness.connect(application: "su-stuck")
            _ = try su.execute("START TRANSACTION")
            _ = try su.execute("SELECT 'secret superuser text'")
            defer { su.close() }
            let log = Harness.temporaryPath("plain.log")
            // By pid only (its backend_start is hidden from this role), so that the server's own
            // refusal is what answers (without the flag, pgtop refuses first: see below).
            let tmux = try Tmux(Harness.command("--allow-pid-only", user: "e2e_plain", auditLog: log), width: 160, height: 30,
                                environment: ["LANG": "C.UTF-8"])
            var screen = try tmux.wait(for: "partial view")
            #expect(screen.contains("needs pg_monitor"))
            #expect(!screen.contains("secret superuser text"))
            #expect(screen.contains("<insufficient privilege>"))

            try tmux.send("/")
            try tmux.type("\(su.backendPid)")
            try tmux.send("Enter")
            try tmux.wait(for: "Shown 1/")
            try tmux.send("k")
            try tmux.wait(for: "Terminate 1 backend (\(su.backendPid)) by PID ONLY? [y/N]")
            try tmux.send("y")
            screen = try tmux.wait(for: "1 denied")
            #expect(screen.contains("0 terminated"))
            #expect(su.isAlive)
            _ = try su.execute("SELECT 1")  // the session is untouched
            let line = Harness.read(log)
            #expect(line.contains("pid=\(su.backendPid) backend_start=unknown guard=\"pid only\" "))
            #expect(line.contains("outcome=\"denied: "))

            // pgtop keeps running: the next refresh still comes
            try tmux.send("/")
            try tmux.send("Escape")
            try tmux.wait(for: "View: all")
            try tmux.send("q")
        }

        @Test func monitorRoleSeesEverything() throws {
            _ = Self.roles
            let su = try Harness.connect(application: "su-visible")
            _ = try su.execute("START TRANSACTION")
            _ = try su.execute("SELECT 'visible to pg_monitor'")
            defer { su.close() }
            let tmux = try Tmux(Harness.command(user: "e2e_monitor"), width: 160, height: 30, environment: ["LANG": "C.UTF-8"])
            let screen = try tmux.wait(for: "visible to pg_monitor")
            #expect(!screen.contains("partial view"))
            #expect(!screen.contains("<insufficient privilege>"))
            try tmux.send("q")
        }

        /// Issue 12.1: a role with pg_signal_backend but not pg_read_all_stats cannot see other
        /// roles' backend_start, so a terminate would be guarded by the pid alone. Refused with
        /// the privilege that is missing, on the screen and in --once; --allow-pid-only asks
        /// "by PID ONLY" and the audit line says so, with the start unknown (never 1970).
        @Test func aHiddenBackendStartIsRefusedUnlessPidOnlyIsAllowed() throws {
            _ = Self.roles
            let target = try Harness.connect(application: "pid-only-target", user: "e2e_plain")
            _ = try target.execute("START TRANSACTION")
            _ = try target.execute("SELECT 1")
            defer { target.close() }
            let admin = try Harness.admin()
            defer { admin.close() }

            let tmux = try Tmux(Harness.command("--filter pid-only-target", user: "e2e_signaller"), width: 230, height: 30,
                                environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "pid-only-target")
            try tmux.send("k")
            let screen = try tmux.wait(for: "Terminate refused for \(target.backendPid): backend_start not visible without pg_read_all_stats or pg_monitor")
            #expect(screen.contains("--allow-pid-only to terminate by pid only; nothing was sent"))
            #expect(!screen.contains("[y/N]"))
            try tmux.send("q")
            #expect(target.isAlive)

            // --once: the same refusal, exit 2, nothing sent.
            let once = Harness.runBinary(["--config", "/dev/null", "-h", Harness.cluster.socketDirectory, "-p", "\(Harness.cluster.port)",
                                          "-U", "e2e_signaller", "-d", "postgres", "--no-audit-log", "--once",
                                          "--filter", "pid-only-target", "--terminate", "--yes"])
            #expect(once.status == 2)
            #expect(once.output.contains("Terminate refused for \(target.backendPid): backend_start not visible without pg_read_all_stats or pg_monitor"))
            #expect(try target.execute("SELECT 1").rows.count == 1)
            // --once allowed by pid only: said in its output (JSON: pid_only, backend_start null).
            let cancelled = Harness.runBinary(["--config", "/dev/null", "-h", Harness.cluster.socketDirectory, "-p", "\(Harness.cluster.port)",
                                               "-U", "e2e_signaller", "-d", "postgres", "--no-audit-log", "--once",
                                               "--filter", "pid-only-target", "--cancel", "--yes", "--allow-pid-only", "--format", "json"])
            #expect(cancelled.status == 0, "\(cancelled.output)")
            #expect(cancelled.output.contains("{\"action\":\"cancel\",\"pid\":\(target.backendPid),\"backend_start\":null,\"pid_only\":true,"),
                    "\(cancelled.output)")
            #expect(cancelled.output.contains("\"result\":\"signalled\",\"outcome\":\"cancelled\"}"))

            // Allowed: the question and the audit line say "pid only".
            let log = Harness.temporaryPath("pid-only.log")
            let allowed = try Tmux(Harness.command("--filter pid-only-target --allow-pid-only", user: "e2e_signaller", auditLog: log),
                                   width: 230, height: 30, environment: ["LANG": "C.UTF-8"])
            try allowed.wait(for: "pid-only-target")
            try allowed.send("k")
            let question = try allowed.wait(for: "Terminate 1 backend (\(target.backendPid)) by PID ONLY? [y/N]")
            #expect(question.contains("pid only for 1: backend_start hidden"))
            try allowed.send("y")
            try allowed.wait(for: "1 terminated")
            let line = Harness.read(log)
            #expect(line.contains("pid=\(target.backendPid) backend_start=unknown guard=\"pid only\" user=e2e_plain "))
            #expect(!line.contains("1970-01-01"))
            #expect(try Harness.waitUntil(timeout: 10) {
                try admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = \(target.backendPid)").rows.isEmpty
            })
            try allowed.send("q")
        }
    }
}
