import Foundation
import Testing
@testable import PGTopCore

/// The report's rules without a file: runs of spans, how a stretch of idle in transaction
/// ended, the slot history, the root of a lock chain, and the page and JSON made of them.
@Suite struct IncidentReportTests {
    static let t0: Int64 = 1_795_552_200_000_000  // 2026-11-24 20:30:00 UTC
    static func t(_ s: Double) -> Int64 { t0 + Int64(s * 1_000_000) }

    static func idle(_ session: Int64, _ from: Double, _ to: Double?, xact: Double = -5) -> ReportSpan {
        ReportSpan(session: session, from: t(from), to: to.map(t), state: "idle in transaction",
                   transactionStart: t(xact), stateChange: t(xact + 1), query: "UPDATE t SET x = 1")
    }

    @Test func runsFollowASessionAcrossRolloversButNotAcrossAGap() {
        let spans = [Self.idle(1, 0, 60), Self.idle(2, 10, 20), Self.idle(1, 60, 90), Self.idle(2, 25, 30), Self.idle(1, 90, nil, xact: 89)]
        let runs = SpanRun.idleInTransaction(spans.sorted { $0.from < $1.from })
        #expect(runs.map { [$0.session, $0.first.from, $0.last.from] } == [
            [1, Self.t(0), Self.t(60)], [2, Self.t(10), Self.t(10)], [2, Self.t(25), Self.t(25)], [1, Self.t(90), Self.t(90)],
        ])
        // An outage ended the spans at 95 and the sample at 100 saw it idle in the same transaction.
        let across = SpanRun.idleInTransaction([Self.idle(3, 50, 95), Self.idle(3, 100, nil)], outages: [(end: Self.t(95), resume: Self.t(100))])
        #expect(across.count == 1 && across[0].last.to == nil)
        #expect(SpanRun.idleInTransaction([Self.idle(3, 50, 95), Self.idle(3, 101, nil)], outages: [(end: Self.t(95), resume: Self.t(100))]).count == 2)
    }

    @Test func aLockWaitIsOneStatementItsLockTheFirstNamed() {
        var a = ReportSpan(session: 7, from: Self.t(0), to: Self.t(5), state: "active", waiting: true, blockedBy: [9], queryStart: Self.t(-1))
        var b = a
        b.from = Self.t(5); b.to = Self.t(9); b.lockMode = "ShareLock"; b.lockTarget = "transactionid"; b.blockedBy = [9, 10]
        var c = b
        c.from = Self.t(9); c.to = Self.t(12); c.queryStart = Self.t(9)  // the next statement
        a.query = "UPDATE"
        let runs = SpanRun.lockWaits([a, b, c])
        #expect(runs.count == 2 && runs[0].first == a && runs[0].last == b && runs[0].lockMode == "ShareLock")
    }

    @Test func howAStretchEnded() {
        let run = SpanRun(first: Self.idle(1, 0, 60), last: Self.idle(1, 60, 80))
        let end = Self.t(200)
        func classify(next: ReportSpan? = nil, termination: (String, Int64)? = nil, outages: [IncidentReport.Outage] = [],
                      windowEnd: Int64? = nil, last: ReportSpan? = nil) -> (Int64, IncidentReport.Ending) {
            let r = last.map { SpanRun(first: run.first, last: $0) } ?? run
            let (u, e) = IdleEnding.classify(r, next: next, termination: termination.map { (role: $0.0, at: $0.1) }, outages: outages,
                                             windowEnd: windowEnd ?? end, recordingEnd: end)
            return (u, e)
        }
        #expect(classify() == (Self.t(80), .sessionEnded(at: Self.t(80))))
        #expect(classify(termination: ("postgres", Self.t(79.5))) == (Self.t(79.5), .terminated(role: "postgres", at: Self.t(79.5))))
        let idle = ReportSpan(session: 1, from: Self.t(80), to: nil, state: "idle")
        #expect(classify(next: idle) == (Self.t(80), .transactionEnded(at: Self.t(80), nextState: "idle")))
        var active = idle
        active.state = "active"; active.transactionStart = Self.t(-5)
        #expect(classify(next: active) == (Self.t(80), .activeAgain(at: Self.t(80), nextState: "active")))
        active.transactionStart = Self.t(80)
        #expect(classify(next: active) == (Self.t(80), .transactionEnded(at: Self.t(80), nextState: "active")))
        let outage = IncidentReport.Outage(from: Self.t(79.5), to: Self.t(90), reason: "refused")
        #expect(classify(outages: [outage]) == (Self.t(79.5), .serverUnreachable(at: Self.t(79.5), reason: "refused")))
        #expect(classify(windowEnd: Self.t(70)) == (Self.t(70), .stillIdle(endOfRecording: false)))
        #expect(classify(last: Self.idle(1, 60, nil)) == (end, .stillIdle(endOfRecording: true)))
        // Closed by the recorder at its end (the last sample + 1 µs): still idle then.
        #expect(classify(last: ReportSpan(session: 1, from: Self.t(60), to: end + 1, state: "idle in transaction")) == (end, .stillIdle(endOfRecording: true)))
    }

    @Test func slotPeaksAndStretches() {
        func budget(_ used: Int) -> SlotBudget { SlotBudget(used: used, max: 100, superuserReserved: 3, reserved: 0) }
        let samples: [(t: Int64, slots: SlotBudget?)] = [(Self.t(0), budget(50)), (Self.t(1), budget(91)), (Self.t(2), budget(97)),
                                                          (Self.t(3), budget(97)), (Self.t(4), nil), (Self.t(5), budget(60)),
                                                          (Self.t(6), budget(95))]
        let s = SlotHistory.summarize(samples)
        #expect(s.peak == IncidentReport.SlotPeak(used: 97, max: 100, free: 0, at: Self.t(2)))
        #expect(s.exhausted == [IncidentReport.SlotRange(from: Self.t(2), to: Self.t(5), lowestFree: 0)])
        #expect(s.low == [IncidentReport.SlotRange(from: Self.t(1), to: Self.t(5), lowestFree: 0),
                          IncidentReport.SlotRange(from: Self.t(6), to: Self.t(6), lowestFree: 2, open: true)])
        let (interval, gaps) = SlotHistory.gaps([0, 1, 2, 3, 10, 11, 12].map { Self.t(Double($0)) })
        #expect(interval == 1 && gaps == [IncidentReport.Gap(from: Self.t(3), to: Self.t(10))])
        #expect(SlotHistory.gaps([Self.t(0)]).interval == nil)
    }

    @Test func theRootIsTheHeadOfTheChain() {
        func b(_ pid: Int32, _ state: BackendState, blockedBy: [Int32] = [], app: String = "") -> Backend {
            var x = Backend(id: BackendID(pid: pid, start: Int64(pid)), application: app, state: state, transactionAge: 10, query: "q\(pid)")
            x.waiting = !blockedBy.isEmpty
            x.blockedBy = blockedBy
            return x
        }
        let alive = [b(1, .idleInTransaction, app: "cron"), b(2, .active, blockedBy: [1]), b(3, .active, blockedBy: [2, 1])]
        let root = IncidentReport.rootBlocker(of: BackendID(pid: 3, start: 3), among: alive, at: Self.t(0))
        #expect(root?.who.pid == 1 && root?.state == "idle in transaction" && root?.transactionStart == Self.t(-10) && root?.query == "q1")
        #expect(IncidentReport.rootBlocker(of: BackendID(pid: 9, start: 9), among: alive, at: 0) == nil)
        #expect(IncidentReport.rootBlocker(of: BackendID(pid: 2, start: 2), among: [b(2, .active, blockedBy: [8])], at: 0) == nil)
    }

    @Test func theAuditLineGivesItsFields() {
        let line = #"2026-11-25T03:50:12.031Z server=db1 role="a b\"c" action=terminate application="x role=evil" state="idle in transaction" query="\n\u{200B}""#
        #expect(AuditLine.field("role", in: line) == "a b\"c")
        #expect(AuditLine.field("action", in: line) == "terminate")
        #expect(AuditLine.field("state", in: line) == "idle in transaction")
        #expect(AuditLine.field("query", in: line) == "\n\u{200B}")
        #expect(AuditLine.field("outcome", in: line) == nil)
    }

    /// A report by hand: what the page and the document say of it.
    static func sample() -> IncidentReport {
        var r = IncidentReport()
        r.recording.file = "/var/lib/pgtop/db1.pgtop"
        r.recording.server = "db1:5432/shop"
        r.recording.version = "17.2"
        (r.recording.first, r.recording.last) = (t(0), t(3600))
        (r.recording.from, r.recording.to) = (t(0), t(3600))
        r.recording.samples = 3601
        r.recording.interval = 1
        r.idleWarnSource = .recording
        r.slots.peak = IncidentReport.SlotPeak(used: 97, max: 100, free: 0, at: t(600))
        r.slots.exhausted = [IncidentReport.SlotRange(from: t(600), to: t(720), lowestFree: 0)]
        r.slots.low = r.slots.exhausted
        let who = IncidentReport.Who(pid: 4211, backendStart: t(-100), user: "app", database: "shop",
                                     application: "cron-nightly\u{1B}[2J", client: "10.0.0.5")
        r.idleInTransaction = [IncidentReport.IdleSession(who: who, transactionStart: t(10), idleSince: t(11), until: t(7390),
                                                          ending: .terminated(role: "postgres", at: t(7390)),
                                                          query: "UPDATE orders\nSET status = 'late' -- " + String(repeating: "x", count: 200))]
        r.lockWaits = [IncidentReport.LockWaitReport(who: IncidentReport.Who(pid: 4300, backendStart: t(0), application: "api"),
                                                     query: "UPDATE orders SET n = n + 1", from: t(600), to: t(660), open: false,
                                                     lockMode: "ShareLock", lockTarget: "transactionid", blockedBy: [4211],
                                                     root: IncidentReport.Blocker(who: who, state: "idle in transaction",
                                                                                  transactionStart: t(10), query: "UPDATE orders"))]
        r.lockWaitCount = 1
        r.outages = [IncidentReport.Outage(from: t(3000), to: nil, reason: "server unreachable: \u{7}refused")]
        return r
    }

    @Test func thePageFitsItsWidthAndShowsNoControlCharacters() {
        let r = Self.sample()
        for width in [80, 100, 120] {
            let text = ReportText.render(r, clock: WallClock(utcOffset: 3600), width: width)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.allSatisfy { CellWidth.of(String($0)) <= width }, "\(width)")
            #expect(!text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F })
            #expect(text.contains("  cron-nightly?[2J  1 session, longest 2h03m"))
            #expect(text.contains("terminated by pgtop (role postgres, at 23:33:10)"), "\(text)")
            #expect(text.contains("      UPDATE orders SET status = 'late' -- xxx"))
            #expect(text.contains("  peak       97 of 100 used, 0 free for ordinary roles (first at 21:40:00)"))
            #expect(text.contains("  exhausted  21:40:00 to 21:42:00 (2m00s)"))
            #expect(text.contains("      root blocker: 4211 cron-nightly?[2J, idle in transaction\n      its transaction since 21:30:10: UPDATE orders\n"))
            #expect(text.contains("  22:20:00, not back by the end of the recording  server unreachable: ?refused"))
        }
        // Wide enough, each ending follows its row.
        let wide = ReportText.render(r, clock: WallClock(), width: 200)
        #expect(wide.contains("2h03m  terminated by pgtop (role postgres, at 22:33:10)"))
        #expect(ReportText.duration(42) == "42s" && ReportText.duration(187) == "3m07s" && ReportText.duration(90_000) == "1d01h")
    }

    /// A wave of one cron job is one row and the other pids; so is one terminate of them all.
    @Test func sessionsAlikeAreOneRow() {
        var r = Self.sample()
        let first = r.idleInTransaction[0]
        for pid in [4212, 4213] {
            var s = first
            s.who.pid = Int32(pid); s.who.client = "10.0.0.\(pid % 100)"; s.query = "UPDATE orders SET x = \(pid)"
            r.idleInTransaction.append(s)
        }
        var other = first
        other.who.pid = 4300; other.ending = .sessionEnded(at: Self.t(7390))
        r.idleInTransaction.append(other)
        for pid: Int32 in [4211, 4212, 4213] {
            r.actions.append(IncidentReport.ActionTaken(at: Self.t(7390), pid: pid, backendStart: 1, kind: "terminate", outcome: "terminated",
                                                        line: "2026-11-24T22:33:10.000Z server=db1 role=postgres action=terminate pid=\(pid)"))
        }
        let text = ReportText.render(r, clock: WallClock(), width: 100)
        #expect(text.contains("\n      and 2 more alike: 4212, 4213\n      terminated by pgtop (role postgres, at 22:33:10)\n"), "\(text)")
        #expect(text.contains("\n  20:30:10    4300 "))
        #expect(text.contains("  cron-nightly?[2J  4 sessions, longest 2h03m"))
        #expect(text.contains("  22:33:10  terminate  4211  ") && text.hasSuffix("\n      and 2 more alike: 4212, 4213\n"), "\(text)")
    }

    @Test func aDamagedOrEmptyRecordingSaysSo() {
        var r = Self.sample()
        r.recording.damage = "not a pgtop recording or damaged: db1.pgtop: database disk image is malformed"
        r.recording.readable = [Self.t(0)...Self.t(1800)]
        let text = ReportText.render(r, clock: WallClock())
        #expect(text.contains("  DAMAGED    not a pgtop recording or damaged: db1.pgtop: database disk image is malformed\n"
                              + "             this report covers what reads back: 2026-11-24 20:30:00 to 21:00:00\n"))
        var empty = IncidentReport()
        empty.recording.file = "r.pgtop"
        #expect(ReportText.render(empty, clock: WallClock()) == """
            pgtop report of r.pgtop
              server     unknown
              recorded   nothing yet: the recording holds no samples

            """)
    }

    @Test func theDocumentIsJSONWithLocalTimesAndMicroseconds() throws {
        let json = ReportJSON.render(Self.sample(), clock: WallClock(utcOffset: -(5 * 3600 + 1800)))
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(doc["utc_offset_s"] as? Int == -19_800)
        let idle = try #require((doc["idle_in_transaction"] as? [[String: Any]])?.first)
        #expect(idle["xact_start"] as? String == "2026-11-24T15:00:10-05:30" && idle["xact_start_us"] as? Int == Int(Self.t(10)))
        #expect(idle["application"] as? String == "cron-nightly\u{1B}[2J")  // as recorded, escaped by JSON
        #expect(json.contains(#""application": "cron-nightly\u001b[2J""#))
        #expect(idle["held_s"] as? Int == 7380 && idle["ended"] as? String == "terminated" && idle["terminated_by_role"] as? String == "postgres")
        #expect(idle["query"] as? String == Self.sample().idleInTransaction[0].query)  // not cut
        let wait = try #require((doc["lock_waits"] as? [[String: Any]])?.first)
        #expect((wait["root_blocker"] as? [String: Any])?["pid"] as? Int == 4211 && wait["blocked_by"] as? [Int] == [4211])
        #expect((doc["outages"] as? [[String: Any]])?.first?["to"] is NSNull)
        #expect(ReportJSON.iso(WallClock(utcOffset: 3600), Self.t(0)) == "2026-11-24T21:30:00+01:00")
    }
}
