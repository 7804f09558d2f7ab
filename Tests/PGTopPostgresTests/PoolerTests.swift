import Foundation
import Testing
import PGTopCluster
import PGTopCore
import PGTopPostgres

/// pgtop's limits behind a real PgBouncer (ThrowawayPooler) in each pool mode, and directly:
/// they bound pgtop's own statements and never stay on a server connection that an
/// application gets next.
@Suite(.timeLimit(.minutes(3))) struct PoolerTests {
    /// A pooler of `mode` with one server connection, so that the application gets exactly the
    /// server connection pgtop used; nil (and one line printed) without pgbouncer.
    static func pooler(_ mode: PoolMode, _ what: String) throws -> ThrowawayPooler? {
        guard let pooler = try ThrowawayPooler.startIfInstalled(in: Shared.cluster,
                                                                PoolerOptions(poolMode: mode, poolSize: 1, stopsWithProcess: true)) else {
            print(ThrowawayPooler.skipped(what))
            return nil
        }
        return pooler
    }

    static func through(_ pooler: ThrowawayPooler?, application: String, limits: SessionLimits = .unlimited) throws -> PGConnection {
        let conninfo = pooler?.conninfo() ?? Shared.cluster.conninfo()
        let p = ConnectionParameters(conninfo: conninfo, host: nil, port: nil, user: nil, database: nil, applicationName: application)
        return try PGConnection.connect(p, timeout: 10, limits: limits)
    }

    /// While pgtop is connected through the pool and idle, the application that gets the same
    /// server connection runs with the server's settings, not pgtop's 5 s / 1 s.
    @Test(arguments: PoolMode.allCases) func limitsDoNotReachTheApplication(mode: PoolMode) throws {
        guard let pooler = try Self.pooler(mode, "pooler limits (\(mode))") else { return }
        defer { pooler.stop() }
        let pgtop = try Self.through(pooler, application: "pgtop", limits: .monitoring)
        // pgtop's own statements run under its limits ...
        #expect(try pgtop.execute("SHOW statement_timeout").rows[0][0] == "5s")
        #expect(try pgtop.execute("SHOW lock_timeout").rows[0][0] == "1s")
        _ = try pgtop.serverInfo()
        _ = try Shared.activity(on: pgtop)
        if mode == .session {
            pgtop.close()  // a session's server connection is the client's until it leaves
            usleep(200_000)
        }
        // ... and the application, on the very server connection pgtop used, does not.
        let app = try Self.through(pooler, application: Shared.unique("pooled-app"))
        defer { app.close(); pgtop.close() }
        #expect(try app.execute("SHOW statement_timeout").rows[0][0] == "0")
        #expect(try app.execute("SHOW lock_timeout").rows[0][0] == "0")
        if mode == .transaction {
            // The report's symptom: a 7 s statement of the application's after pgtop's refresh.
            #expect(try app.execute("SELECT pg_sleep(6)", timeout: 30).rowCount == 1)
        }
    }

    /// pgtop's statements stay bounded, each on its own: a long statement ends at the
    /// statement timeout, a lock wait at the lock timeout: through each pool mode and directly.
    @Test(arguments: [nil] + PoolMode.allCases.map { Optional($0) }) func ownStatementsStayBounded(mode: PoolMode?) throws {
        var pooler: ThrowawayPooler?
        if let mode {
            guard let p = try Self.pooler(mode, "pooler bounds (\(mode))") else { return }
            pooler = p
        }
        defer { pooler?.stop() }
        let limits = SessionLimits(statementTimeout: "1s", lockTimeout: "500ms")
        let pgtop = try Self.through(pooler, application: Shared.unique("bounded"), limits: limits)
        defer { pgtop.close() }
        #expect {
            _ = try pgtop.execute("SELECT pg_sleep(4)", timeout: 30)
        } throws: { error in
            (error as? PGError)?.sqlState == "57014"
        }
        let table = "locked_\(UInt32.random(in: 0...UInt32.max))"
        let holder = try Shared.connect(application: Shared.unique("holder"))
        defer { holder.close() }
        try holder.execute("CREATE TABLE \(table) (x int)")
        try holder.execute("BEGIN")
        try holder.execute("LOCK TABLE \(table) IN ACCESS EXCLUSIVE MODE")
        #expect {
            _ = try pgtop.execute("SELECT count(*) FROM \(table)", timeout: 30)
        } throws: { error in
            (error as? PGError)?.sqlState == "55P03"
        }
        try holder.execute("ROLLBACK")
        try holder.execute("DROP TABLE \(table)")
        // The connection goes on after each.
        #expect(try pgtop.execute("SELECT 1").rows[0][0] == "1")
    }

    /// Every answer names the server backend that ran it, the pooled one included.
    @Test func answersNameTheServerBackend() throws {
        let direct = try Self.through(nil, application: Shared.unique("served"), limits: .monitoring)
        defer { direct.close() }
        _ = try direct.execute("SELECT 1")
        #expect(direct.servedBy?.pid == direct.backendPid)
        #expect((direct.servedBy?.start ?? 0) > 0)
        guard let pooler = try Self.pooler(.transaction, "pooler served-by") else { return }
        defer { pooler.stop() }
        let pooled = try Self.through(pooler, application: Shared.unique("served"), limits: .monitoring)
        defer { pooled.close() }
        let pid = try pooled.execute("SELECT pg_backend_pid()").rows[0][0]
        #expect(pooled.servedBy.map { String($0.pid) } == pid)
    }

    /// The signal statement refuses a server connection that served pgtop and idles under its
    /// name (`$3`), and signals one of the same name that did not serve it (another pgtop).
    @Test func ownServerConnectionsAreNeverSignalled() throws {
        let name = Shared.unique("own-signal")
        let pgtop = try Shared.connect(application: name)
        let servedEarlier = try Shared.connect(application: name)
        let anotherPgtop = try Shared.connect(application: name)
        defer { pgtop.close(); servedEarlier.close(); anotherPgtop.close() }
        let rows = try Shared.activity(on: pgtop)
        let ids = [servedEarlier.backendPid, anotherPgtop.backendPid].compactMap { pid in rows.first { $0.id.pid == pid }?.id }
        try #require(ids.count == 2)
        let r = try pgtop.execute(SignalQuery.sql(.cancel, serverVersion: pgtop.serverVersion),
                                  SignalQuery.parameters(ids, own: [servedEarlier.backendPid]))
        let report = SignalQuery.decode(r, kind: .cancel, targets: ids)
        #expect(report.outcomes.first { $0.0.pid == servedEarlier.backendPid }?.1 == .denied("pgtop does not cancel its own session"))
        #expect(report.outcomes.first { $0.0.pid == anotherPgtop.backendPid }?.1 == .signalled)
    }

    /// The client's own bound: a cancel sent from a thread of its own ends the statement under
    /// way, directly and through a transaction pool; the connection goes on.
    @Test(arguments: [nil, PoolMode.transaction]) func aCancelInTheBackgroundEndsTheStatement(mode: PoolMode?) throws {
        var pooler: ThrowawayPooler?
        if let mode {
            guard let p = try Self.pooler(mode, "pooler cancel (\(mode))") else { return }
            pooler = p
        }
        defer { pooler?.stop() }
        let c = try Self.through(pooler, application: Shared.unique("cancelled"), limits: .unlimited)
        defer { c.close() }
        try c.send("SELECT pg_sleep(20)")
        usleep(300_000)
        c.cancelInBackground()
        var outcome: PGError?
        let answered = try Shared.eventually(timeout: 15) {
            do { return try c.poll() != nil } catch { outcome = error as? PGError; return true }
        }
        #expect(answered)
        #expect(outcome?.sqlState == "57014" && outcome?.message == "canceling statement due to user request", "\(String(describing: outcome))")
        #expect(try c.execute("SELECT 1").rows[0][0] == "1")
    }
}
