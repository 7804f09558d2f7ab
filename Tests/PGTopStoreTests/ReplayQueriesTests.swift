import Foundation
import Testing
@testable import PGTopCore
@testable import PGTopStore
import PGTopFixtures

/// What a replay reads besides the moments: the timeline's figures, the rows its events are
/// found in, the counters at a moment; and the events of the scripted incident, found from them.
@Suite struct ReplayQueriesTests {
    static func t(_ s: Double) -> Int64 { ReplayIncident.time(s) }
    static let recorded = (0...119).filter { !(101...104).contains($0) }

    static func recording(_ name: String) throws -> String {
        let path = Scratch.directory(name) + "/r.pgtop"
        try ReplayIncident.record(into: path)
        return path
    }

    @Test func theTimelineHasEverySamplesFigures() throws {
        let reader = try RecordingReader(path: try Self.recording("timeline"))
        let (points, damage) = reader.timelinePoints()
        #expect(damage == nil)
        #expect(points.map(\.time) == Self.recorded.map { Self.t(Double($0)) })
        for p in points {
            let s = Int((p.time - ReplayIncident.t0) / 1_000_000)
            let f = SampleFigures(ReplayIncident.backends(at: s), server: ReplayIncident.server, idleWarn: 10)
            #expect(p == ReplayTimeline.Point(time: p.time, slots: f.slots, clients: f.clients, stuck: f.stuck, waiting: f.waiting,
                                              longestTransaction: f.longestTransaction), "second \(s)")
        }
        #expect(reader.timelinePoints(after: Self.t(110)).points.map(\.time) == (111...119).map { Self.t(Double($0)) })
        #expect(try reader.outages() == [ReplayTimeline.Outage(from: Self.t(100.5), to: Self.t(104.5), reason: "server closed the connection unexpectedly")])
    }

    @Test func theRowsOfTheEvents() throws {
        let reader = try RecordingReader(path: try Self.recording("rows"))
        let spans = try reader.idleSpans(from: Int64.min, through: Int64.max)
        #expect(Set(spans.map(\.session)).count == 15)
        #expect(spans.allSatisfy { !$0.aborted && $0.transactionStart != nil })
        // By range of their start: the pieces add up to the whole.
        let pieces = try stride(from: Self.t(-1), to: Self.t(120), by: 7_000_000).flatMap {
            try reader.idleSpans(from: $0, through: $0 + 7_000_000)
        }
        #expect(pieces == spans)
        let actions = try reader.actions()
        #expect(actions.map(\.pid) == ReplayIncident.wave(0) && actions.allSatisfy { $0.time == Self.t(79.5) && $0.kind == "terminate" })
        #expect(try reader.actions(after: Self.t(79.5)).isEmpty)
        let ends = try reader.sessionEnds()
        #expect(ends.contains { $0.time == Self.t(80) && $0.count == 5 })
        #expect(try reader.sessionEnds(after: Self.t(80)).allSatisfy { $0.time > Self.t(80) })
    }

    @Test func theIncidentsEvents() throws {
        let reader = try RecordingReader(path: try Self.recording("events"))
        let points = reader.timelinePoints().points
        let times = points.map(\.time)
        var events = ReplayEvents(idleWarn: 10)
        events.add(points: points, times: times, actions: try reader.actions(), ends: try reader.sessionEnds(),
                   outages: try reader.outages())
        events.add(idleSpans: try reader.idleSpans(from: Int64.min, through: Int64.max), times: times)
        let got = events.all.map { "\(Double($0.time - ReplayIncident.t0) / 1e6) \($0.text)" }
        #expect(got == [
            "30.0 5 sessions idle in transaction past 10s",
            "50.0 5 sessions idle in transaction past 10s",
            "60.0 slots low: 70/80 used, only 7 free",
            "70.0 lock pile-up: 3 sessions waiting for a lock",
            "70.0 5 sessions idle in transaction past 10s",
            "79.5 pgtop sent terminate to 5 sessions: 5 terminated",
            "80.0 5 sessions ended at once",
            "100.5 server unreachable: server closed the connection unexpectedly",
            "105.0 server answering again after 4s",
        ], "\(got)")  // the sessions still stuck after the outage crossed before it: no new event
    }

    @Test func theCountersAtAMomentAndTheReadingBefore() throws {
        let path = Scratch.directory("stats") + "/r.pgtop"
        let writer = try RecordingWriter(path: path)
        for s in 0..<10 {
            var f = SampleFigures()
            if s % 3 == 0 {
                var st = ServerStats(at: Double(s))
                st.commits = Int64(s * 100)
                f.stats = st
            }
            try writer.write([], figures: f, at: Self.t(Double(s)))
        }
        writer.close()
        let reader = try RecordingReader(path: path)
        let at7 = try reader.statsReadings(at: Self.t(7))
        #expect(at7.current?.commits == 600 && at7.previous?.commits == 300)
        let at0 = try reader.statsReadings(at: Self.t(0))
        #expect(at0.current?.commits == 0 && at0.previous == nil)
    }

    @Test func aDamagedFileGivesItsReadablePartAndTheDamageInOneLine() throws {
        let dir = Scratch.directory("damaged")
        let path = dir + "/r.pgtop"
        let writer = try RecordingWriter(path: path)
        for s in 0...599 {
            let b = ReplayIncident.backends(at: s % 120)
            try writer.write(b, figures: SampleFigures(b, server: ReplayIncident.server, idleWarn: 10), at: Self.t(Double(s)))
        }
        writer.close()
        var st = stat()
        #expect(stat(path, &st) == 0 && truncate(path, off_t(st.st_size * 8 / 10)) == 0)
        let reader = try RecordingReader(path: path)
        let (points, damage) = reader.timelinePoints()
        let line = try #require(damage)
        #expect(line.hasPrefix("not a pgtop recording or damaged: \(path): ") && !line.contains("\n"), "\(line)")
        #expect(!points.isEmpty && points.count < 600)
        #expect(points.map(\.time) == points.map(\.time).sorted() && Set(points.map(\.time)).count == points.count)
    }
}
