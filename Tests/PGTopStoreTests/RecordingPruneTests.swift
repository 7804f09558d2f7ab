import Foundation
import Testing
@testable import PGTopCore
@testable import PGTopStore

/// `prune`: a recording kept within `--retain` and `--max-size` reads back exactly as before
/// from its oldest kept sample on, and gives the space back.
@Suite struct RecordingPruneTests {
    static func write(_ writer: RecordingWriter, _ range: ClosedRange<Int>) throws {
        for s in range {
            let b = Incident.backends(at: s)
            try writer.write(b, figures: SampleFigures(b, server: RecordingTests.server, idleWarn: 30), at: Incident.time(Double(s)))
        }
    }

    /// Prunes until nothing is left to do.
    static func prune(_ writer: RecordingWriter, keepAfter: Int64? = nil, maxBytes: Int64? = nil) throws -> RecordingWriter.Pruned {
        var total = RecordingWriter.Pruned()
        repeat {
            let p = try writer.prune(keepAfter: keepAfter, maxBytes: maxBytes)
            total.samples += p.samples
            total.oldestKept = p.oldestKept
            total.more = p.more
        } while total.more
        return total
    }

    /// Every moment from `range` reads back as the incident had it.
    static func expectMoments(_ reader: RecordingReader, _ seconds: [Int]) throws {
        for s in seconds {
            let m = try #require(try reader.moment(at: Incident.time(Double(s))), "second \(s)")
            let expected = RecordingTests.sorted(Incident.backends(at: s))
            #expect(m.time == Incident.time(Double(s)))
            #expect(RecordingTests.sorted(m.snapshot.backends) == expected, "second \(s)")
            #expect(m.figures == SampleFigures(expected, server: RecordingTests.server, idleWarn: 30), "second \(s)")
        }
    }

    /// Nothing a kept row names is gone.
    static func expectWhole(_ path: String) throws {
        let db = try Database(path: path, mode: .readOnly)
        #expect(try db.integer("SELECT count(*) FROM span_rows r LEFT JOIN sessions s ON s.id = r.session WHERE s.id IS NULL") == 0)
        #expect(try db.integer("SELECT count(*) FROM span_rows r LEFT JOIN activities a ON a.id = r.activity WHERE a.id IS NULL") == 0)
        #expect(try db.integer("SELECT count(*) FROM span_rows r LEFT JOIN texts t ON t.id = r.query WHERE r.query IS NOT NULL AND t.id IS NULL") == 0)
        let check = try db.prepare("PRAGMA integrity_check")
        #expect(try check.step() && check.text(0) == "ok")
    }

    @Test func prunedByTimeTheLaterMomentsReadBackExactly() throws {
        let path = Scratch.directory("prune-time") + "/r.pgtop"
        let writer = try RecordingWriter(path: path, meta: ["server": RecordingTests.server.endpoint])
        try Self.write(writer, 0...999)
        writer.vacuumSlack = 0  // give back what is free, however little (16 MB stay free otherwise)
        let before = try writer.byteSize()
        let pruned = try Self.prune(writer, keepAfter: Incident.time(900))
        let after = try writer.byteSize()
        #expect(after < before / 2, "\(after) bytes of \(before)")  // given back
        #expect(pruned.samples == 900 && pruned.oldestKept == Incident.time(900))
        let reader = try RecordingReader(path: path)
        #expect(try reader.sampleTimes() == (900...999).map { Incident.time(Double($0)) })
        #expect(try reader.moment(at: Incident.time(899)) == nil)
        try Self.expectMoments(reader, Array(900...999))
        try Self.expectWhole(path)
        let db = try Database(path: path, mode: .readOnly)
        // The psql session that ended at 90 (pid 4000's first life), its query, the first cron
        // wave (terminated at 80): gone. What is alive at 900 stays.
        #expect(try db.integer("SELECT count(*) FROM sessions WHERE end_us <= \(Incident.time(900))") == 0)
        #expect(try db.integer("SELECT count(*) FROM sessions WHERE pid = 4000") == 1)
        #expect(try db.integer("SELECT count(*) FROM texts WHERE text = 'SELECT 1'") == 0)
        #expect(try db.integer("SELECT count(*) FROM texts WHERE text = 'VACUUM orders'") == 1)
        #expect(try db.integer("SELECT count(*) FROM spans WHERE to_us <= \(Incident.time(900))") == 0)
        #expect(try db.integer("SELECT min(from_us) FROM spans") ?? 0 > Incident.time(900) - reader.rollover)

        // The recording goes on after it, what it forgot written again.
        try Self.write(writer, 1000...1060)
        writer.close()
        try Self.expectMoments(reader, [900, 999, 1000, 1001, 1030, 1060])
        try Self.expectWhole(path)
    }

    @Test func aPruneWithNothingToDoRemovesNothing() throws {
        let path = Scratch.directory("prune-nothing") + "/r.pgtop"
        let writer = try RecordingWriter(path: path)
        defer { writer.close() }
        #expect(try writer.prune(keepAfter: Incident.time(0), maxBytes: 1 << 30) == RecordingWriter.Pruned())
        try Self.write(writer, 0...30)
        let p = try writer.prune(keepAfter: Incident.time(0), maxBytes: 1 << 30)
        #expect(p.samples == 0 && p.oldestKept == Incident.time(0) && !p.more)
        #expect(try RecordingReader(path: path).sampleTimes().count == 31)
    }

    @Test func prunedBySizeTheFileEndsUnderTheLimit() throws {
        let path = Scratch.directory("prune-size") + "/r.pgtop"
        let writer = try RecordingWriter(path: path)
        try Self.write(writer, 0...1199)
        let before = try writer.byteSize()
        let limit = before / 2
        let pruned = try Self.prune(writer, maxBytes: limit)
        #expect(pruned.samples > 0 && pruned.samples < 1200, "\(pruned)")
        let oldest = try #require(pruned.oldestKept)
        writer.close()
        var st = stat()
        #expect(stat(path, &st) == 0 && Int64(st.st_size) <= limit, "\(st.st_size) bytes, limit \(limit) (was \(before))")
        let reader = try RecordingReader(path: path)
        let times = try reader.sampleTimes()
        #expect(times.first == oldest && times.last == Incident.time(1199))
        let first = Int((oldest - Incident.t0) / 1_000_000)
        try Self.expectMoments(reader, [first, first + 1, (first + 1199) / 2, 1198, 1199])
        try Self.expectWhole(path)
    }

    /// One call does a bounded amount of work and says when there is more.
    @Test func aLargePruneIsDoneInSteps() throws {
        let path = Scratch.directory("prune-steps") + "/r.pgtop"
        let writer = try RecordingWriter(path: path)
        defer { writer.close() }
        try Self.write(writer, 0...1199)
        writer.pruneBudget = 1000
        let first = try writer.prune(keepAfter: Incident.time(1100), maxBytes: nil)
        #expect(first.more && first.samples > 0 && first.samples < 1100, "\(first)")
        let reader = try RecordingReader(path: path)
        #expect(try reader.sampleTimes().first == first.oldestKept)
        var calls = 1, samples = first.samples
        while true {
            let p = try writer.prune(keepAfter: Incident.time(1100), maxBytes: nil)
            calls += 1
            samples += p.samples
            if !p.more { break }
        }
        #expect(calls > 2 && samples == 1100)
        try Self.expectMoments(reader, [1100, 1150, 1199])
    }
}
