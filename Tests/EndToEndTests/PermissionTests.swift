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
            admin.close()
        }()

        @Test func plainRoleSeesAPartialViewAndIsDeniedPerBackend() throws {
            _ = Self.roles
            let su = try Harness.connect(application: "su-stuck")
            _ = try su.execute("START TRANSACTION")
            _ = try su.execute("SELECT 'secret superuser text'")
            defer { su.close() }
            let log = Harness.temporaryPath("plain.log")
            let tmux = try Tmux(Harness.command(user: "e2e_plain", auditLog: log), width: 160, height: 30, environment: ["LANG": "C.UTF-8"])
            var screen = try tmux.wait(for: "partial view")
            #expect(screen.contains("needs pg_monitor"))
            #expect(!screen.contains("secret superuser text"))
            #expect(screen.contains("<insufficient privilege>"))

            try tmux.send("/")
            try tmux.type("\(su.backendPid)")
            try tmux.send("Enter")
            try tmux.wait(for: "Shown 1/")
            try tmux.send("k")
            try tmux.wait(for: "Terminate 1 backend (\(su.backendPid))? [y/N]")
            try tmux.send("y")
            screen = try tmux.wait(for: "1 denied")
            #expect(screen.contains("0 terminated"))
            #expect(su.isAlive)
            _ = try su.execute("SELECT 1")  // the session is untouched
            let line = Harness.read(log)
            #expect(line.contains("pid=\(su.backendPid) "))
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
    }
}
