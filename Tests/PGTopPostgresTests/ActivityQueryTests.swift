import Foundation
import Testing
import PGTopCore
@testable import PGTopPostgres

/// The activity query against the real server the suite started.
@Suite struct ActivityQueryTests {
    @Test func seesIdleInTransactionActiveAndBlockedSessions() throws {
        let tag = Shared.unique("act")
        let admin = try Shared.connect()
        try admin.execute("CREATE TABLE IF NOT EXISTS t_\(tag.replacingOccurrences(of: "-", with: "_")) (id int PRIMARY KEY)")
        let table = "t_\(tag.replacingOccurrences(of: "-", with: "_"))"
        try admin.execute("INSERT INTO \(table) VALUES (1)")

        let holder = try Shared.connect(application: "\(tag)-holder")
        try holder.execute("START TRANSACTION")
        try holder.execute("UPDATE \(table) SET id = 1 WHERE id = 1")
        let sleeper = try Shared.connect(application: "\(tag)-sleeper")
        try sleeper.send("SELECT pg_sleep(30)")
        let waiter = try Shared.connect(application: "\(tag)-waiter")
        try waiter.send("UPDATE \(table) SET id = 1 WHERE id = 1")

        let watcher = try Shared.connect(application: "pgtop")
        var rows: [Backend] = []
        let ok = try Shared.eventually {
            rows = try Shared.activity(on: watcher).filter { $0.application.hasPrefix(tag) }
            return rows.count == 3 && rows.contains { $0.application.hasSuffix("waiter") && $0.waiting }
        }
        #expect(ok)
        let h = try #require(rows.first { $0.application == "\(tag)-holder" })
        let s = try #require(rows.first { $0.application == "\(tag)-sleeper" })
        let w = try #require(rows.first { $0.application == "\(tag)-waiter" })
        #expect(h.pid == holder.backendPid)
        #expect(h.state == .idleInTransaction)
        #expect(h.client == "local")
        #expect(h.user == "postgres")
        #expect(h.database == "postgres")
        #expect(h.isClientBackend)
        #expect((h.transactionAge ?? -1) >= 0)
        #expect((h.backendAge ?? -1) >= (h.transactionAge ?? 0))
        #expect(h.id.start > 1_600_000_000_000_000)
        #expect(h.queryAge != nil)
        #expect(h.waitEventType == "Client")  // idle: waiting for the client
        #expect(h.blockedBy.isEmpty)
        #expect(s.state == .active)
        #expect(s.query == "SELECT pg_sleep(30)")
        #expect(s.waitEventType == "Timeout")
        #expect(s.waitEvent == "PgSleep")
        #expect(!s.waiting)
        #expect(s.blockedBy.isEmpty)
        #expect((s.queryAge ?? -1) >= 0)
        #expect((s.transactionAge ?? -1) >= 0)
        #expect(s.client == "local")
        #expect(s.leaderPid == nil)
        #expect(w.state == .active)
        #expect(w.waiting)
        #expect(w.blockedBy == [holder.backendPid])
        #expect(w.waitEventType == "Lock")
        #expect(w.waitEvent == "transactionid" || w.waitEvent == "tuple")
        #expect(w.query == "UPDATE \(table) SET id = 1 WHERE id = 1")
        // Ages grow: ask again a little later.
        usleep(300_000)
        let later = try #require(try Shared.activity(on: watcher).first { $0.pid == holder.backendPid })
        #expect((later.transactionAge ?? 0) > (h.transactionAge ?? 0))
        #expect(later.id == h.id)  // same backend, same start

        for c in [holder, sleeper, waiter, watcher, admin] { c.close() }
    }

    @Test func neverListsItsOwnBackend() throws {
        let c = try Shared.connect(application: "pgtop")
        let rows = try Shared.activity(on: c)
        #expect(!rows.contains { $0.pid == c.backendPid })
        #expect(!rows.isEmpty)  // the server's background processes at least
        c.close()
    }

    @Test func queryTextIsCutServerSide() throws {
        let tag = Shared.unique("long")
        let big = try Shared.connect(application: tag)
        let comment = String(repeating: "x", count: 100_000)
        try big.send("SELECT pg_sleep(5) /* \(comment) */")
        let c = try Shared.connect()
        var row: Backend?
        _ = try Shared.eventually { row = try Shared.activity(on: c).first { $0.application == tag && $0.state == .active }; return row != nil }
        let r = try #require(row)
        #expect(r.query.count == ActivityQuery.queryTextLimit)
        #expect(r.query.hasPrefix("SELECT pg_sleep(5)"))
        big.close()
        c.close()
    }

    @Test func backgroundProcessesHaveTheirType() throws {
        let c = try Shared.connect()
        let rows = try Shared.activity(on: c)
        #expect(rows.contains { $0.backendType == "checkpointer" || $0.backendType == "autovacuum launcher" })
        #expect(rows.filter { !$0.isClientBackend }.allSatisfy { $0.backendType != "client backend" })
        c.close()
    }

    @Test func serverInfoReadsTheSlotBudget() throws {
        let c = try Shared.connect()
        let info = ServerInfoQuery.decode(try c.execute(ServerInfoQuery.sql), endpoint: c.endpoint)
        #expect(info.maxConnections == 60)
        #expect(info.superuserReserved == 3)
        #expect(info.versionNumber == c.serverVersion)
        #expect(info.versionNumber >= 90200)
        #expect(info.role == "postgres")
        #expect(info.isSuperuser)
        #expect(info.ownPid == c.backendPid)
        #expect(info.endpoint.hasSuffix(":\(Shared.cluster.port)/postgres"))
        let settings = try c.execute(ServerInfoQuery.sessionSettings(serverVersion: c.serverVersion))
        #expect(settings.rows.count == 1)
        #expect(try c.execute("SHOW statement_timeout").rows[0][0] == "5s")
        c.close()
    }

    /// A delta refresh: a keyed row still idle is left out and merged to the same backend with
    /// its ages moved on; a keyed row that ran a statement, or whose key no longer matches,
    /// comes whole; a keyed backend that ended is named; a running query always comes whole.
    @Test func deltaRefreshLeavesOutOnlyUnchangedRows() throws {
        let tag = Shared.unique("delta")
        let idle = try Shared.connect(application: "\(tag)-idle")
        try idle.execute("SELECT 1")
        let stuck = try Shared.connect(application: "\(tag)-stuck")
        try stuck.execute("START TRANSACTION")
        try stuck.execute("SELECT 1")
        let leaving = try Shared.connect(application: "\(tag)-leaving")
        let sleeper = try Shared.connect(application: "\(tag)-sleeper")
        try sleeper.send("SELECT pg_sleep(30)")
        let watcher = try Shared.connect(application: "pgtop")
        let ours = Set([idle, stuck, leaving, sleeper].map(\.backendPid))

        var delta = DeltaRefresh()
        #expect(delta.request().isEmpty)
        var before: [Backend] = []
        var clock: Int64 = 0
        _ = try Shared.eventually {
            let answer = try Shared.answer(on: watcher)
            clock = answer.clock ?? 0
            before = delta.receive(answer).filter { ours.contains($0.pid) }
            return before.count == 4 && before.contains { $0.pid == sleeper.backendPid && $0.state == .active }
        }
        #expect(before.allSatisfy { $0.stateChange != nil })
        let keys = delta.request()
        #expect(Set(keys.map(\.pid)).isSuperset(of: [idle.backendPid, stuck.backendPid, leaving.backendPid]))
        #expect(!keys.contains { $0.pid == sleeper.backendPid })

        try stuck.execute("SELECT 2 AS changed")
        let leftPid = leaving.backendPid
        leaving.close()
        var answer = ActivityAnswer(backends: [])
        let ended = try Shared.eventually {
            answer = try Shared.answer(on: watcher, keys: keys)
            return answer.ended.contains(leftPid)
        }
        #expect(ended)
        #expect((answer.clock ?? 0) > clock)
        #expect(!answer.backends.contains { $0.pid == idle.backendPid })  // unchanged: left out
        let changed = try #require(answer.backends.first { $0.pid == stuck.backendPid })
        #expect(changed.query == "SELECT 2 AS changed" && changed.state == .idleInTransaction)
        #expect(answer.backends.contains { $0.pid == sleeper.backendPid })
        #expect(!answer.ended.contains(idle.backendPid))

        let merged = delta.receive(answer)
        let was = try #require(before.first { $0.pid == idle.backendPid })
        let now = try #require(merged.first { $0.pid == idle.backendPid })
        #expect(now.id == was.id && now.query == was.query && now.application == was.application && now.state == .idle)
        #expect((now.queryAge ?? 0) > (was.queryAge ?? 0) && (now.backendAge ?? 0) > (was.backendAge ?? 0))
        #expect(!merged.contains { $0.pid == leftPid })
        #expect(merged.first { $0.pid == stuck.backendPid }?.query == "SELECT 2 AS changed")

        // A key that no longer matches (a pid reused by a new backend, a role made superuser)
        // brings the row whole.
        let same = DeltaRefresh.Key(was)
        var otherStart = same, otherRole = same
        otherStart.start += 1
        otherRole.superuser.toggle()
        let again = try Shared.answer(on: watcher, keys: [same])
        #expect(!again.backends.contains { $0.pid == idle.backendPid })
        for key in [otherStart, otherRole] {
            let whole = try Shared.answer(on: watcher, keys: [key])
            #expect(whole.backends.first { $0.pid == idle.backendPid }?.id == was.id)
        }
        for c in [idle, stuck, sleeper, watcher] { c.close() }
    }

    /// Each version's text is what that version understands; the installed one really runs.
    @Test func versionVariants() throws {
        let v92 = ActivityQuery.sql(serverVersion: 90204)
        #expect(v92.contains("a.waiting"))
        #expect(!v92.contains("a.wait_event"))
        #expect(!v92.contains("pg_blocking_pids"))
        #expect(!v92.contains("a.backend_type"))
        #expect(v92.contains("pg_locks"))
        #expect(ActivityQuery.sql(serverVersion: 90400) == v92)  // 9.4 changed nothing pgtop reads
        #expect(v92.hasPrefix("-- pgtop activity: PostgreSQL 9.2"))
        let v96 = ActivityQuery.sql(serverVersion: 90600)
        #expect(v96.contains("pg_blocking_pids") && v96.contains("a.wait_event_type"))
        #expect(!v96.contains("a.waiting") && !v96.contains("a.backend_type"))
        let v10 = ActivityQuery.sql(serverVersion: 100000)
        #expect(v10.contains("a.backend_type") && !v10.contains("a.leader_pid"))
        let v13 = ActivityQuery.sql(serverVersion: 130000)
        #expect(v13.contains("a.leader_pid"))
        #expect(ActivityQuery.sql(serverVersion: 180000) == v13)
        #expect(v13.contains("WHERE pid <> pg_backend_pid()") && v13.contains("left(a.query, \(ActivityQuery.queryTextLimit))"))
        #expect(!SignalQuery.sql(.terminate, serverVersion: 90500).contains("pg_signal_backend"))
        #expect(SignalQuery.sql(.terminate, serverVersion: 90500).contains("r.rolname = current_user"))
        #expect(SignalQuery.sql(.cancel, serverVersion: 90600).contains("'pg_signal_backend', 'USAGE'"))
        #expect(SignalQuery.sql(.cancel, serverVersion: 90600).contains("pg_cancel_backend(a.pid)"))
        // The fresh re-read before the signal and the hidden-start refusal, on every version
        // (pg_stat_clear_snapshot and pg_stat_get_activity(pid) exist from 8.3/8.4 on).
        for version in [90200, 90600, 100000, 150000, 180000] {
            let sql = SignalQuery.sql(.terminate, serverVersion: version)
            #expect(sql.contains("pg_stat_get_activity((SELECT t.pid FROM pg_stat_clear_snapshot()))"))
            #expect(sql.contains("WHEN t.start_us = 0 THEN 'denied:backend_start not visible without "
                                 + (version >= 100000 ? "pg_read_all_stats or pg_monitor" : "superuser")))
            #expect(!SignalQuery.sql(.terminate, serverVersion: version, pidOnly: true).contains("WHEN t.start_us = 0"))
        }
        #expect(!ServerInfoQuery.sessionSettings(serverVersion: 90200).contains("lock_timeout"))

        let c = try Shared.connect()
        #expect(ActivityQuery.sql(serverVersion: c.serverVersion) == (c.serverVersion >= 130000 ? v13 : v10))
        let r = try c.execute(ActivityQuery.sql(serverVersion: c.serverVersion), ActivityQuery.parameters([]))
        #expect(r.columns == ["pid", "ended", "backend_start_us", "datname", "usename", "client", "application_name", "state",
                              "wait_event_type", "wait_event", "waiting", "blocked_by", "backend_type", "query_age_ms",
                              "xact_age_ms", "backend_age_ms", "query", "leader_pid", "superuser", "state_change_us", "clock_ms"])
        #expect(ActivityQuery.decode(r).clock != nil)
        for kind in [SignalKind.cancel, .terminate] {
            _ = try c.execute(SignalQuery.sql(kind, serverVersion: c.serverVersion), SignalQuery.parameters([]))
        }
        c.close()
    }

    /// The columns an old server returns decode too (no wait events, waiting as a boolean).
    @Test func decodesAPre96Row() {
        let r = QueryResult(
            columns: ["pid", "backend_start_us", "datname", "usename", "client", "application_name", "state",
                      "wait_event_type", "wait_event", "waiting", "blocked_by", "backend_type", "query_age_ms",
                      "xact_age_ms", "backend_age_ms", "query", "leader_pid"],
            rows: [["42", "1700000000000000", "db", "u", "local", "app", "active", "", "", "t", "7,9",
                    "client backend", "1500", "2500", nil, "UPDATE x", nil],
                   ["not a pid"], [],
                   ["43", "garbage", nil, nil, nil, nil, "something new", nil, nil, "maybe", "1,x,,3", "", "NaN",
                    "1.5", "99999999999999999999", nil, "huge"]])
        let b = ActivityQuery.decode(r).backends
        #expect(b.count == 2)
        #expect(b[1].id == BackendID(pid: 43, start: 0))
        #expect(b[1].state == .other("something new"))
        #expect(!b[1].waiting)
        #expect(b[1].blockedBy == [1, 3])
        #expect(b[1].backendType == "client backend")
        #expect(b[1].leaderPid == nil)
        #expect(b[1].queryAge == nil && b[1].transactionAge == nil && b[1].backendAge == nil)  // not whole milliseconds
        #expect(ActivityQuery.decode(QueryResult(columns: [], rows: [[]])) == ActivityAnswer(backends: []))
        #expect(b[0].waiting)
        #expect(b[0].blockedBy == [7, 9])
        #expect(b[0].queryAge == 1.5)
        #expect(b[0].backendAge == nil)
        #expect(b[0].leaderPid == nil)
    }
}
