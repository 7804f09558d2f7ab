import Foundation
import Testing
@testable import PGTopCore
@testable import PGTopStore

/// `pgtop report`'s queries over the scripted incident: 2 minutes, 73 slots, the three cron
/// waves idle in transaction (the first terminated by pgtop at 79.6 s), the lock pile-up on
/// the first cron session, an outage from 99.5 to 105 s the later waves sit through.
@Suite struct RecordingReportTests {
    static let server = ServerInfo(versionNumber: 170000, version: "17.0", endpoint: "/tmp:5432/shop", maxConnections: 73)

    /// Writes the incident into `path`.
    static func record(into path: String, idleWarn: String? = "30") throws {
        var meta = ["server": server.endpoint, "version": server.version]
        meta["idle-warn"] = idleWarn
        let writer = try RecordingWriter(path: path, meta: meta)
        defer { writer.close() }
        func write(_ range: ClosedRange<Int>) throws {
            for s in range {
                let b = Incident.backends(at: s)
                try writer.write(b, figures: SampleFigures(b, server: server, idleWarn: 30), at: Incident.time(Double(s)))
            }
        }
        try write(0...79)
        // pgtop terminates the first wave at 79.6 s (the sample at 80 no longer has it).
        let wave = Incident.backends(at: 79).filter { $0.application == "cron-wave-0" }
        for b in wave {
            let line = AuditLine.make(time: Double(Incident.time(79.6)) / 1e6, server: server.endpoint, role: "postgres",
                                      kind: .terminate, id: b.id, backend: b, outcome: .signalled)
            try writer.action(at: Incident.time(79.6), id: b.id, kind: "terminate", outcome: "terminated", line: line)
        }
        try write(80...99)
        try writer.outageBegan(at: Incident.time(99.5), reason: "server unreachable: connection refused")
        try writer.outageEnded(at: Incident.time(105))
        try write(105...119)
    }

    static func report(_ from: Double? = nil, _ to: Double? = nil, idleWarn: Double? = nil) throws -> IncidentReport {
        let path = Scratch.directory("report") + "/r.pgtop"
        try record(into: path)
        return try RecordingReader(path: path).report(from: from.map(Incident.time), to: to.map(Incident.time), idleWarn: idleWarn)
    }

    @Test func theStuckSessionsTheirApplicationsAndHowEachEnded() throws {
        let r = try Self.report()
        print(ReportText.render(r, clock: WallClock(), width: 120))
        #expect(r.idleWarn == 30 && r.idleWarnSource == .recording)
        #expect(r.idleInTransaction.map(\.who.pid) == [2000, 2001, 2002, 2003, 2004, 2010, 2011, 2012, 2013, 2014,
                                                       2020, 2021, 2022, 2023, 2024])
        let first = try #require(r.idleInTransaction.first)
        #expect(first.who == IncidentReport.Who(pid: 2000, backendStart: Incident.time(19.5), user: "app", database: "shop",
                                                application: "cron-wave-0", client: "10.0.0.0"))
        #expect(first.transactionStart == Incident.time(19.6) && first.idleSince == Incident.time(19.75))
        #expect(first.ending == .terminated(role: "postgres", at: Incident.time(79.6)))
        #expect(first.until == Incident.time(79.6) && first.held == 60)
        #expect(first.query == "UPDATE orders SET status = 'late' WHERE batch = 0")
        // The second wave sat through the outage: one stretch, still idle at the end.
        let second = r.idleInTransaction.filter { $0.who.application == "cron-wave-1" }
        #expect(second.count == 5 && second.allSatisfy { $0.ending == .stillIdle(endOfRecording: true) && $0.until == Incident.time(119) })
        #expect(r.applications.map(\.application) == ["cron-wave-1", "cron-wave-0", "cron-wave-2"])
        #expect(r.applications.map(\.sessions) == [5, 5, 5])
        #expect(abs(r.applications[0].longest - 79.4) < 0.01)
        let text = ReportText.render(r, clock: WallClock(), width: 120)
        #expect(text.contains("terminated by pgtop (role postgres, at 11:07:59)"), "\(text)")
        #expect(text.contains("cron-wave-1  5 sessions, longest 1m19s"), "\(text)")
    }

    @Test func theLockWaitsAndTheirRootBlocker() throws {
        let r = try Self.report()
        #expect(r.lockWaitCount == 3)
        #expect(r.lockWaits.map(\.who.pid) == [3000, 3001, 3002])
        for w in r.lockWaits {
            #expect(w.from == Incident.time(70) && w.to == Incident.time(80) && w.seconds == 10 && !w.open)
            #expect(w.root?.who.pid == 2000 && w.root?.who.application == "cron-wave-0", "\(w)")
            #expect(w.root?.state == "idle in transaction" && w.root?.transactionStart == Incident.time(19.6))
            #expect(w.query == "UPDATE orders SET n = n + 1 WHERE id = 7")
        }
        #expect(r.lockWaits[0].lockMode == "ShareLock" && r.lockWaits[0].lockTarget == "transactionid")
        #expect(r.lockWaits[1].blockedBy == [2000, 3000] && r.lockWaits[1].lockTarget == "orders row")
    }

    @Test func thePeakTheLowStretchesTheOutageTheActions() throws {
        let r = try Self.report()
        // 73 slots, 3 for superusers: 50 web + 3 api + psql + pgtop = 55 used; each wave 5 more.
        #expect(r.slots.peak == IncidentReport.SlotPeak(used: 70, max: 73, free: 0, at: Incident.time(60)))
        // 5 free (under 10%) from the second wave on, none with the third.
        #expect(r.slots.exhausted == [IncidentReport.SlotRange(from: Incident.time(60), to: Incident.time(80), lowestFree: 0)])
        #expect(r.slots.low == [IncidentReport.SlotRange(from: Incident.time(40), to: Incident.time(119), lowestFree: 0, open: true)])
        #expect(r.outages == [IncidentReport.Outage(from: Incident.time(99.5), to: Incident.time(105), reason: "server unreachable: connection refused")])
        #expect(r.recording.gaps == [IncidentReport.Gap(from: Incident.time(99), to: Incident.time(105))])
        #expect(r.recording.samples == 115 && r.recording.interval == 1)
        #expect(r.actions.count == 5 && r.actions.allSatisfy { $0.kind == "terminate" && $0.line.contains(" role=postgres ") })
        #expect(r.recording.server == "/tmp:5432/shop" && r.recording.version == "17.0" && r.recording.damage == nil)
    }

    @Test func aWindowKeepsWhatHappenedInIt() throws {
        // 65 to 75 s: the waves are still idle at the window's end, the waits still going.
        let r = try Self.report(65, 75, idleWarn: 10)
        #expect(r.idleWarnSource == .commandLine)
        #expect(r.recording.samples == 11 && !r.recording.isWhole)
        #expect(r.idleInTransaction.count == 15)
        #expect(r.idleInTransaction.allSatisfy { $0.ending == .stillIdle(endOfRecording: false) && $0.until == Incident.time(75) })
        #expect(r.idleInTransaction.filter { $0.who.application == "cron-wave-2" }.allSatisfy { abs($0.held - 15.4) < 0.01 })
        #expect(r.lockWaits.count == 3 && r.lockWaits.allSatisfy { $0.open && $0.to == Incident.time(75) })
        #expect(r.actions.isEmpty && r.outages.isEmpty)
        // Over 20 s only the first two waves count.
        #expect(try Self.report(65, 75, idleWarn: 20).idleInTransaction.count == 10)
        // 90 to 95 s: the first wave and the lock waits were over (their spans are read, they began
        // less than a rollover before).
        let later = try Self.report(90, 95)
        #expect(later.idleInTransaction.map(\.who.application) == Array(repeating: "cron-wave-1", count: 5) + Array(repeating: "cron-wave-2", count: 5))
        #expect(later.lockWaits.isEmpty && later.lockWaitCount == 0)
    }

    @Test func anEmptyRecordingSaysSo() throws {
        let path = Scratch.directory("report-empty") + "/r.pgtop"
        try RecordingWriter(path: path, meta: ["server": "db1:5432/x"]).close()
        let r = try RecordingReader(path: path).report()
        #expect(r.recording.samples == 0 && r.recording.first == nil && r.recording.damage == nil)
        #expect(ReportText.render(r, clock: WallClock()).contains("nothing yet: the recording holds no samples"))
        #expect(r.idleWarn == 60 && r.idleWarnSource == .default)
    }

    /// Every query reads by a key: no full scan of spans (its key is (from_us, session)).
    @Test func theQueriesUseThePrimaryKey() throws {
        let path = Scratch.directory("report-plan") + "/r.pgtop"
        try Self.record(into: path)
        let db = try Database(path: path, mode: .readOnly)
        for where_ in ["p.from_us > 1 AND p.from_us <= 2 AND (p.waiting = 1 OR p.state IN ('idle in transaction', 'idle in transaction (aborted)'))",
                       "p.from_us = 1 AND p.session = 2"] {
            let plan = try db.prepare("EXPLAIN QUERY PLAN " + ReportLookups.spanColumns + " WHERE " + where_)
            var steps: [String] = []
            while try plan.step() { steps.append(plan.text(3) ?? "") }
            #expect(steps.contains { $0.hasPrefix("SEARCH") && $0.contains("USING PRIMARY KEY (from_us") }, "\(steps)")
            #expect(!steps.contains { $0.hasPrefix("SCAN") }, "\(steps)")
        }
    }
}
