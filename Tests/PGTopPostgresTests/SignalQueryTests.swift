import Foundation
import Testing
import PGTopCore
@testable import PGTopPostgres

/// Cancel and terminate of real backends.
@Suite struct SignalQueryTests {
    func row(_ pid: Int32, on c: PGConnection) throws -> Backend? {
        try Shared.activity(on: c).first { $0.pid == pid }
    }

    @Test func terminateEndsTheSession() throws {
        let victim = try Shared.connect(application: Shared.unique("victim"))
        try victim.execute("START TRANSACTION")
        let c = try Shared.connect()
        let target = try #require(try row(victim.backendPid, on: c))
        let report = try Shared.signal(.terminate, [target.id], on: c)
        #expect(report.outcomes.map(\.outcome) == [.signalled])
        #expect(report.summary == "1 terminated")
        #expect(try Shared.eventually { try row(victim.backendPid, on: c) == nil })
        // The victim's side: the server says why, then the connection is lost.
        #expect {
            _ = try victim.execute("SELECT 1")
        } throws: { ($0 as! PGError).kind == .connectionLost }
        #expect(!victim.isAlive)
        victim.close()
        c.close()
    }

    @Test func cancelStopsTheQueryButKeepsTheSession() throws {
        let sleeper = try Shared.connect(application: Shared.unique("sleeper"))
        try sleeper.send("SELECT pg_sleep(60)")
        let c = try Shared.connect()
        var target: Backend?
        _ = try Shared.eventually { target = try row(sleeper.backendPid, on: c); return target?.state == .active }
        let report = try Shared.signal(.cancel, [try #require(target).id], on: c)
        #expect(report.outcomes.map(\.outcome) == [.signalled])
        #expect(report.summary == "1 cancelled")
        #expect(try Shared.eventually { try row(sleeper.backendPid, on: c)?.state == .idle })
        // The sleeper's side: its query failed with "canceling statement due to user request".
        var failure: PGError?
        _ = Shared.eventually {
            do { _ = try sleeper.poll() } catch { failure = error as? PGError }
            return failure != nil
        }
        #expect(failure?.sqlState == "57014")
        #expect(failure?.kind == .queryFailed)
        #expect(sleeper.isAlive)
        #expect(try sleeper.execute("SELECT 1").rows[0][0] == "1")
        sleeper.close()
        c.close()
    }

    /// A backend whose pid matches but whose start does not is another process: not touched.
    @Test func pidReuseGuard() throws {
        let other = try Shared.connect(application: Shared.unique("reused"))
        let c = try Shared.connect()
        let real = try #require(try row(other.backendPid, on: c))
        let stale = BackendID(pid: real.pid, start: real.id.start - 1_000_000)
        let report = try Shared.signal(.terminate, [stale], on: c)
        #expect(report.outcomes.map(\.outcome) == [.gone])
        usleep(300_000)
        #expect(try row(other.backendPid, on: c) != nil)
        #expect(try other.execute("SELECT 1").rows.count == 1)
        other.close()
        c.close()
    }

    @Test func aBackendThatEndedIsReportedGone() throws {
        let c = try Shared.connect()
        let report = try Shared.signal(.terminate, [BackendID(pid: 999_999, start: 1)], on: c)
        #expect(report.outcomes.map(\.outcome) == [.gone])
        #expect(report.summary == "0 terminated, 1 already gone")
        c.close()
    }

    @Test func neverItsOwnSession() throws {
        let c = try Shared.connect()
        let me = try c.execute("SELECT (extract(epoch FROM backend_start) * 1000000)::int8 FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        let id = BackendID(pid: c.backendPid, start: Int64(me.rows[0][0]!)!)
        let report = try Shared.signal(.terminate, [id], on: c)
        #expect(report.outcomes.map(\.outcome) == [.denied("pgtop does not terminate its own session")])
        #expect(c.isAlive)
        #expect(try c.execute("SELECT 1").rows[0][0] == "1")
        c.close()
    }

    /// Many targets in one statement, outcomes in the order asked for.
    @Test func severalAtOnce() throws {
        let a = try Shared.connect(application: Shared.unique("a"))
        let b = try Shared.connect(application: Shared.unique("b"))
        let c = try Shared.connect()
        let rows = try Shared.activity(on: c)
        let ids = try [b.backendPid, a.backendPid].map { pid in try #require(rows.first { $0.pid == pid }).id }
        let gone = BackendID(pid: 999_998, start: 5)
        let report = try Shared.signal(.terminate, [ids[0], gone, ids[1]], on: c)
        #expect(report.outcomes.map(\.id) == [ids[0], gone, ids[1]])
        #expect(report.outcomes.map(\.outcome) == [.signalled, .gone, .signalled])
        #expect(report.summary == "2 terminated, 1 already gone")
        for x in [a, b, c] { x.close() }
    }

    /// The checkpointer is listed but is not a backend: a superuser's cancel answers false
    /// (failed), a plain role is refused before asking.
    @Test func backgroundProcesses() throws {
        let c = try Shared.connect()
        let checkpointer = try #require(try Shared.activity(on: c).first { $0.backendType == "checkpointer" })
        let report = try Shared.signal(.cancel, [checkpointer.id], on: c)
        #expect(report.outcomes.map(\.outcome) == [.failed("the server could not signal it")])
        let role = try Shared.makeRole()
        let plain = try Shared.connect(user: role)
        let seen = try #require(try Shared.activity(on: plain).first { $0.pid == checkpointer.pid })
        let refused = try Shared.signal(.cancel, [seen.id], on: plain)
        #expect(refused.outcomes.map(\.outcome) == [.denied("must be a superuser to cancel a background process")])
        plain.close()
        try Shared.dropRole(role, admin: c)
        c.close()
    }

    /// A plain role may end its own sessions but not a superuser's: each is reported, and one
    /// refusal does not stop the other.
    @Test func deniedPerBackend() throws {
        let role = try Shared.makeRole()
        let mine = try Shared.connect(user: role, application: Shared.unique("mine"))
        let boss = try Shared.connect(application: Shared.unique("boss"))
        let plain = try Shared.connect(user: role)
        // What the plain role's own screen shows (other roles' backend_start is hidden from it).
        let rows = try Shared.activity(on: plain)
        let targets = try [mine.backendPid, boss.backendPid].map { pid in try #require(rows.first { $0.pid == pid }).id }
        let report = try Shared.signal(.terminate, targets, on: plain)
        #expect(report.outcomes.map(\.outcome) == [.signalled, .denied("must be a superuser to terminate superuser process")])
        #expect(report.summary == "1 terminated, 1 denied: must be a superuser to terminate superuser process")
        #expect(try boss.execute("SELECT 1").rows.count == 1)
        let cancel = try Shared.signal(.cancel, [targets[1]], on: plain)
        #expect(cancel.outcomes.map(\.outcome) == [.denied("must be a superuser to cancel superuser process")])
        for c in [mine, boss, plain] { c.close() }
        let admin = try Shared.connect()
        try Shared.dropRole(role, admin: admin)
        admin.close()
    }

    /// Another plain role's session needs membership in that role or pg_signal_backend.
    @Test func otherRolesNeedPgSignalBackend() throws {
        let admin = try Shared.connect()
        let me = try Shared.makeRole(), them = try Shared.makeRole()
        let theirs = try Shared.connect(user: them, application: Shared.unique("theirs"))
        let mine = try Shared.connect(user: me)
        let target = try #require(try Shared.activity(on: mine).first { $0.pid == theirs.backendPid }).id
        let refused = try Shared.signal(.terminate, [target], on: mine)
        #expect(refused.outcomes.map(\.outcome) == [.denied("permission denied (needs pg_signal_backend or membership in role \(them))")])
        #expect(try theirs.execute("SELECT 1").rows.count == 1)

        try admin.execute("GRANT pg_signal_backend TO \(me)")
        // Its backend_start is hidden from this role: refused unless asked for by pid only.
        let hidden = try Shared.signal(.terminate, [target], on: mine)
        #expect(hidden.outcomes.map(\.outcome) == [.denied(SignalQuery.startHidden(.terminate, serverVersion: mine.serverVersion))])
        let allowed = try Shared.signal(.terminate, [target], on: mine, pidOnly: true)
        #expect(allowed.outcomes.map(\.outcome) == [.signalled])
        #expect(try Shared.eventually { try row(theirs.backendPid, on: admin) == nil })
        for c in [theirs, mine] { c.close() }
        try Shared.dropRole(me, admin: admin)
        try Shared.dropRole(them, admin: admin)
        admin.close()
    }

    /// Issue 12.1: a role with pg_signal_backend but not pg_read_all_stats sees no backend_start
    /// of another role's session, so the guard has the pid alone. The session it showed ends,
    /// another role's session is given the same pid (the kernel's next pid set by hand), and
    /// the terminate meant for the first must not end the second: refused, with the privilege
    /// that is missing.
    @Test func aPidOnlyTargetIsRefusedByDefault() throws {
        let admin = try Shared.connect()
        let me = try Shared.makeRole(), app = try Shared.makeRole(), app2 = try Shared.makeRole()
        try admin.execute("GRANT pg_signal_backend TO \(me)")
        defer {
            for role in [me, app, app2] { try? Shared.dropRole(role, admin: admin) }
            admin.close()
        }
        let first = try Shared.connect(user: app, application: Shared.unique("first"))
        let mine = try Shared.connect(user: me)
        defer { mine.close() }
        let shown = try #require(try row(first.backendPid, on: mine))
        #expect(shown.id.start == 0)  // hidden from this role
        #expect(!shown.id.startKnown)
        first.close()
        #expect(try Shared.eventually { try row(shown.pid, on: admin) == nil })
        guard let second = try Shared.connect(reusingPid: shown.pid, user: app2, application: Shared.unique("second")) else { return }
        defer { second.close() }
        let report = try Shared.signal(.terminate, [shown.id], on: mine)
        #expect(report.outcomes.map(\.outcome) == [.denied(SignalQuery.startHidden(.terminate, serverVersion: mine.serverVersion))])
        #expect(report.summary.contains("pg_read_all_stats"))
        usleep(200_000)
        #expect(second.isAlive)
        #expect(try second.execute("SELECT 1").rows.count == 1)  // the other role's session is untouched

        // Asked for by pid only, it is signalled: that is what the opt-in means.
        let pidOnly = try Shared.signal(.cancel, [shown.id], on: mine, pidOnly: true)
        #expect(pidOnly.outcomes.map(\.outcome) == [.signalled])
    }

    /// Issue 12.5: the statement's read of pg_stat_activity is a snapshot; a pid reused after
    /// it was taken must not be signalled. Reproduced by taking the snapshot in a transaction
    /// first (as a slow statement would have it), then the target ends, a new session gets its
    /// pid, then the terminate runs in that same transaction: the re-check right before the
    /// signal reads the server's state afresh and reports the target gone.
    @Test func aPidReusedAfterTheSnapshotIsNotSignalled() throws {
        let c = try Shared.connect()
        let watcher = try Shared.connect()
        defer { c.close(); watcher.close() }
        let first = try Shared.connect(application: Shared.unique("first"))
        let shown = try #require(try row(first.backendPid, on: c))
        try c.execute("BEGIN")
        _ = try c.execute("SELECT count(*) FROM pg_stat_activity")  // the transaction's snapshot
        first.close()
        #expect(try Shared.eventually { try row(shown.pid, on: watcher) == nil })
        guard let second = try Shared.connect(reusingPid: shown.pid, application: Shared.unique("second")) else {
            try c.execute("ROLLBACK")
            return
        }
        defer { second.close() }
        let report = try Shared.signal(.terminate, [shown.id], on: c)
        try c.execute("COMMIT")
        #expect(report.outcomes.map(\.outcome) == [.gone])
        usleep(200_000)
        #expect(second.isAlive)
        #expect(try second.execute("SELECT 1").rows.count == 1)
    }
}
