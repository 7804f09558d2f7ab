import Foundation
import Testing
@testable import PGTopCore
@testable import PGTopStore

/// A recording written sample by sample and read back at chosen moments.
@Suite struct RecordingTests {
    static let server = ServerInfo(versionNumber: 170000, version: "17.0", endpoint: "/tmp:5432/shop", maxConnections: 100)

    /// Writes seconds `range` of the incident; returns the file.
    static func record(_ range: ClosedRange<Int>, into path: String, rollover: Int64 = SpanTracker.defaultRollover) throws {
        let writer = try RecordingWriter(path: path, meta: ["server": server.endpoint], rollover: rollover)
        defer { writer.close() }
        for s in range {
            let b = Incident.backends(at: s)
            try writer.write(b, figures: SampleFigures(b, server: server, idleWarn: 30), at: Incident.time(Double(s)))
        }
    }

    static func sorted(_ b: [Backend]) -> [Backend] { b.sorted { $0.id < $1.id } }

    @Test(arguments: [SpanTracker.defaultRollover, 7_000_000])
    func theSessionsAliveAtAMomentComeBackAsTheScreenHadThem(rollover: Int64) throws {
        let path = Scratch.directory("moments") + "/r.pgtop"
        try Self.record(0...119, into: path, rollover: rollover)
        let reader = try RecordingReader(path: path)
        #expect(try reader.sampleTimes() == (0...119).map { Incident.time(Double($0)) })
        for s in [0, 1, 19, 20, 21, 45, 69, 70, 75, 79, 80, 89, 90, 95, 119] {
            let m = try #require(try reader.moment(at: Incident.time(Double(s))))
            #expect(m.time == Incident.time(Double(s)))
            let expected = Self.sorted(Incident.backends(at: s))
            let got = Self.sorted(m.snapshot.backends)
            #expect(got.map(\.id) == expected.map(\.id), "second \(s)")
            for (g, e) in zip(got, expected) { #expect(g == e, "second \(s), pid \(e.pid)") }
            #expect(m.figures == SampleFigures(expected, server: Self.server, idleWarn: 30))
        }
        // Between samples: the last sample before, as the screen still showed it.
        let between = try #require(try reader.moment(at: Incident.time(75.5)))
        #expect(between.time == Incident.time(75))
        #expect(try reader.moment(at: Incident.time(-1)) == nil)
        #expect(reader.health() == .sound)
    }

    @Test func aSampleStoresOnlyWhatChanged() throws {
        let path = Scratch.directory("changes") + "/r.pgtop"
        try Self.record(0...119, into: path)
        let db = try Database(path: path, mode: .readOnly)
        // 50 web sessions run about 14 statements each in 2 minutes (two spans each), cron and
        // lock waiters a few, plus one rollover a minute for the rest: far from 120 x 71 rows.
        let spans = try #require(try db.integer("SELECT count(*) FROM spans"))
        #expect(spans < 2_200, "\(spans) spans")
        #expect(try db.integer("SELECT count(*) FROM sessions") == 1 + 50 + 15 + 3 + 2)
        #expect(try db.integer("SELECT count(DISTINCT text) FROM texts") == db.integer("SELECT count(*) FROM texts"))
        #expect(try db.integer("SELECT count(*) FROM sessions WHERE pid = 2000 AND end_us = \(Incident.time(80))") == 1)
        #expect(try db.integer("SELECT count(*) FROM spans WHERE to_us IS NULL") == 0)  // closed cleanly
    }

    @Test func theFileIsRecognisedAndVersioned() throws {
        let path = Scratch.directory("pragmas") + "/r.pgtop"
        try Self.record(0...1, into: path)
        let db = try Database(path: path, mode: .readOnly)
        #expect(try db.applicationID() == 0x7067_7470 && db.userVersion() == 1)
        #expect(try db.integer("PRAGMA auto_vacuum") == 2)  // incremental: pruning can give space back
        let mode = try db.prepare("PRAGMA journal_mode")
        #expect(try mode.step() && mode.text(0) == "wal")
        #expect(try RecordingReader(path: path).meta()["server"] == "/tmp:5432/shop")
        var st = stat()
        #expect(stat(path, &st) == 0 && st.st_mode & 0o777 == 0o600)
    }

    @Test func aRecordingGoesOnWhereItStopped() throws {
        let path = Scratch.directory("append") + "/r.pgtop"
        try Self.record(0...50, into: path)
        try Self.record(51...100, into: path)
        let reader = try RecordingReader(path: path)
        #expect(try reader.sampleTimes().count == 101)
        for s in [50, 51, 85] {
            let got = Self.sorted(try #require(try reader.moment(at: Incident.time(Double(s)))).snapshot.backends)
            #expect(got == Self.sorted(Incident.backends(at: s)), "second \(s)")
        }
    }

    @Test func aFileBeingWrittenIsReadByAnotherConnection() throws {
        let path = Scratch.directory("concurrent") + "/r.pgtop"
        let writer = try RecordingWriter(path: path)
        defer { writer.close() }
        func write(_ s: Int) throws {
            let b = Incident.backends(at: s)
            try writer.write(b, figures: SampleFigures(b, server: nil, idleWarn: 30), at: Incident.time(Double(s)))
        }
        for s in 0..<25 { try write(s) }
        let reader = try RecordingReader(path: path)
        #expect(try reader.sampleTimes().count == 25)
        #expect(Self.sorted(try #require(try reader.moment(at: Incident.time(24))).snapshot.backends)
            == Self.sorted(Incident.backends(at: 24)))
        for s in 25..<30 { try write(s) }
        #expect(try reader.sampleTimes().count == 30)
        #expect(Self.sorted(try #require(try reader.moment(at: Incident.time(29))).snapshot.backends)
            == Self.sorted(Incident.backends(at: 29)))
    }

    @Test func anOutageEndsEverySpanAndTheSessionsComeBack() throws {
        let path = Scratch.directory("outage") + "/r.pgtop"
        let writer = try RecordingWriter(path: path)
        for s in 0...30 {
            let b = Incident.backends(at: s)
            try writer.write(b, figures: SampleFigures(b, server: nil, idleWarn: 30), at: Incident.time(Double(s)))
        }
        try writer.outageBegan(at: Incident.time(30.5), reason: "server unreachable: connection refused")
        try writer.outageEnded(at: Incident.time(40))
        for s in 40...45 {
            let b = Incident.backends(at: s)
            try writer.write(b, figures: SampleFigures(b, server: nil, idleWarn: 30), at: Incident.time(Double(s)))
        }
        writer.close()
        let reader = try RecordingReader(path: path)
        #expect(Self.sorted(try #require(try reader.moment(at: Incident.time(30))).snapshot.backends)
            == Self.sorted(Incident.backends(at: 30)))
        #expect(try reader.backends(at: Incident.time(35)).isEmpty)
        #expect(Self.sorted(try #require(try reader.moment(at: Incident.time(42))).snapshot.backends)
            == Self.sorted(Incident.backends(at: 42)))
        let db = try Database(path: path, mode: .readOnly)
        #expect(try db.integer("SELECT count(*) FROM outages WHERE to_us = \(Incident.time(40))") == 1)
        #expect(try db.integer("SELECT count(*) FROM sessions") == 1 + 50 + 10 + 3 + 1)  // the same rows again
    }

    @Test func anActionIsStoredWithItsLine() throws {
        let path = Scratch.directory("action") + "/r.pgtop"
        let writer = try RecordingWriter(path: path)
        try writer.action(at: Incident.time(80), id: BackendID(pid: 2000, start: 1), kind: "terminate", outcome: "terminated",
                          line: "2026-11-25T03:50:12.031Z action=terminate pid=2000 outcome=terminated")
        writer.close()
        let db = try Database(path: path, mode: .readOnly)
        #expect(try db.integer("SELECT pid FROM actions WHERE kind = 'terminate' AND outcome = 'terminated'") == 2000)
    }

    @Test func theServerFiguresComeBackWhole() throws {
        let path = Scratch.directory("stats") + "/r.pgtop"
        var stats = ServerStats(at: 1_795_000_000.25)
        stats.commits = 1_000_000; stats.rollbacks = 12; stats.rowsRead = 5; stats.rowsInserted = 6; stats.rowsUpdated = 7
        stats.rowsDeleted = 8; stats.blocksRead = 9; stats.blocksHit = 10; stats.tempFiles = 11; stats.tempBytes = 1 << 40
        stats.deadlocks = 2; stats.checkpointsTimed = 3; stats.checkpointsRequested = 4; stats.oldestXminAge = 77
        stats.databaseBytes = nil; stats.inRecovery = false; stats.replayLag = nil; stats.replayBytes = nil
        stats.standbys = [.init(name: "s1 \"quoted\"", state: "streaming", lagBytes: 16384, writeBytes: 0, flushBytes: nil,
                                writeLag: 0.001, flushLag: nil, replayLag: 2)]
        stats.slots = [.init(name: "slot_a", active: false, retainedBytes: 1_288_490_188), .init(name: "b", active: true, retainedBytes: nil)]
        let b = Incident.backends(at: 3)
        var figures = SampleFigures(b, server: Self.server, idleWarn: 30, stats: stats)
        let writer = try RecordingWriter(path: path)
        try writer.write(b, figures: figures, at: Incident.time(3))
        figures.stats = nil
        try writer.write(Incident.backends(at: 4), figures: figures, at: Incident.time(4))
        writer.close()
        let reader = try RecordingReader(path: path)
        #expect(try reader.moment(at: Incident.time(3))?.figures.stats == stats)
        #expect(try reader.moment(at: Incident.time(4))?.figures == figures)  // no reading with that sample
    }
}
