import Foundation
import Testing
import PGTopCore
@testable import PGTopPostgres
import PGTopStore

/// A recording of the real server's refreshes (delta refresh, blocking view), read back.
@Suite struct LiveRecordingTests {
    /// The fields a recording keeps, and the ages exactly (to a microsecond: the delta refresh
    /// moves kept rows' ages on in floating point; ages are whole milliseconds, the clock's
    /// minus the start's, so the same start gives the same age at every refresh).
    static func same(_ a: Backend, _ b: Backend) -> Bool {
        func near(_ x: Double?, _ y: Double?) -> Bool { x == nil ? y == nil : y.map { abs($0 - x!) <= 0.000_001 } ?? false }
        return a.id == b.id && a.user == b.user && a.database == b.database && a.client == b.client
            && a.application == b.application && a.backendType == b.backendType && a.state == b.state
            && a.waitEventType == b.waitEventType && a.waitEvent == b.waitEvent && a.waiting == b.waiting
            && a.blockedBy == b.blockedBy && a.lockMode == b.lockMode && a.lockTarget == b.lockTarget
            && a.query == b.query && a.stateChange == b.stateChange && a.superuser == b.superuser
            && a.transactionAgeSource == b.transactionAgeSource && near(a.queryAge, b.queryAge)
            && near(a.transactionAge, b.transactionAge) && near(a.backendAge, b.backendAge) && near(a.stateAge, b.stateAge)
    }

    @Test func sessionsGoingIdleInTransactionAndALockWaitReplayAsTheyWere() throws {
        let tag = Shared.unique("rec")
        let table = "t_" + tag.replacingOccurrences(of: "-", with: "_")
        let admin = try Shared.connect()
        try admin.execute("CREATE TABLE \(table) (id int PRIMARY KEY, n int)")
        try admin.execute("INSERT INTO \(table) VALUES (1, 0)")
        let sessions = try (0..<4).map { try Shared.connect(application: "\(tag)-\($0)") }
        defer { for s in sessions { s.close() }; _ = try? admin.execute("DROP TABLE \(table)"); admin.close() }

        let watcher = try Shared.connect(application: "pgtop")
        defer { watcher.close() }
        let path = "/tmp/pgtop-store-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).pgtop"
        defer { for s in ["", "-wal", "-shm", "-lock"] { unlink(path + s) } }
        let writer = try RecordingWriter(path: path, meta: ["server": watcher.endpoint])
        var delta = DeltaRefresh()
        var seen: [(t: Int64, backends: [Backend])] = []
        func sample() throws {
            let answer = try Shared.answer(on: watcher, keys: delta.request(), withLocks: true)
            let backends = delta.receive(answer)
            let t = try #require(answer.clock) * 1000
            try writer.write(backends, figures: SampleFigures(backends, server: nil, idleWarn: 60), at: t)
            seen.append((t, backends.filter { $0.application.hasPrefix(tag) }))
            usleep(120_000)
        }

        try sample()  // four idle sessions
        try sessions[0].execute("START TRANSACTION")
        try sessions[0].execute("UPDATE \(table) SET n = n + 1 WHERE id = 1")
        try sample()  // the first wave: idle in transaction, holding the row
        try sample()
        try sessions[1].execute("START TRANSACTION")
        try sessions[1].execute("SELECT count(*) FROM \(table)")
        try sample()  // the second wave
        try sessions[2].send("UPDATE \(table) SET n = n + 1 WHERE id = 1")
        #expect(try Shared.eventually { try Shared.activity(on: watcher).contains { $0.pid == sessions[2].backendPid && $0.waiting } })
        try sample()  // a waiter, blocked by the first
        try sample()
        try sessions[0].execute("COMMIT")
        #expect(try Shared.eventually { _ = try sessions[2].poll(); return !sessions[2].isBusy })
        try sample()  // the lock is gone
        let gone = sessions[3].backendPid
        sessions[3].close()
        #expect(try Shared.eventually { try !Shared.activity(on: watcher).contains { $0.pid == gone } })
        try sample()  // a session ended
        writer.close()

        let reader = try RecordingReader(path: path)
        #expect(try reader.sampleTimes() == seen.map(\.t))
        for (i, s) in seen.enumerated() {
            let got = try #require(try reader.moment(at: s.t)).snapshot.backends.filter { $0.application.hasPrefix(tag) }
            #expect(got.map(\.id).sorted() == s.backends.map(\.id).sorted(), "sample \(i)")
            for b in s.backends {
                let g = try #require(got.first { $0.id == b.id }, "sample \(i) pid \(b.pid)")
                #expect(Self.same(g, b), "sample \(i): \(g) != \(b)")
            }
        }
        // What the incident looked like, from the file alone.
        let atWait = try #require(try reader.moment(at: seen[4].t)).snapshot.backends
        let waiter = try #require(atWait.first { $0.pid == sessions[2].backendPid })
        #expect(waiter.waiting && waiter.blockedBy == [sessions[0].backendPid] && !waiter.lockMode.isEmpty)
        #expect(atWait.first { $0.pid == sessions[0].backendPid }?.state == .idleInTransaction)
        #expect(atWait.first { $0.pid == sessions[1].backendPid }?.state == .idleInTransaction)
        let atEnd = try #require(try reader.moment(at: seen[7].t)).snapshot.backends
        #expect(!atEnd.contains { $0.pid == gone })
        #expect(atEnd.first { $0.pid == sessions[0].backendPid }?.state == .idle)
    }
}
