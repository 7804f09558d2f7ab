import Testing
@testable import PGTopCore

/// The events `n` and `N` jump to, found from what a recording's reader gives.
@Suite struct ReplayEventsTests {
    static let t0: Int64 = 1_795_479_540_000_000
    static func t(_ s: Double) -> Int64 { t0 + Int64((s * 1_000_000).rounded()) }
    static let times = (0...40).map { t(Double($0)) }

    static func point(_ s: Int, used: Int = 50, max: Int = 100, waiting: Int = 0) -> ReplayTimeline.Point {
        ReplayTimeline.Point(time: t(Double(s)), slots: SlotBudget(used: used, max: max, superuserReserved: 3, reserved: 0),
                             clients: used - 1, waiting: waiting)
    }

    @Test func slotsAndLockPileUpsAreFoundInTheSamples() {
        var points = (0...40).map { Self.point($0) }
        points[10] = Self.point(10, used: 90)  // 7 free: under 10%
        points[11] = Self.point(11, used: 91)  // still low: no second event
        points[12] = Self.point(12, used: 97)  // none free
        points[20] = Self.point(20, waiting: 2)
        points[21] = Self.point(21, waiting: 3)  // a pile-up starts
        points[22] = Self.point(22, waiting: 5)
        points[30] = Self.point(30, waiting: 4)  // from 0 again
        var e = ReplayEvents(idleWarn: 60)
        e.add(points: points, times: Self.times, actions: [], ends: [], outages: [])
        #expect(e.all == [
            ReplayEvent(time: Self.t(10), kind: .slots, text: "slots low: 90/100 used, only 7 free"),
            ReplayEvent(time: Self.t(12), kind: .slots, text: "slots exhausted: 97/100 used, none free for ordinary roles"),
            ReplayEvent(time: Self.t(21), kind: .locks, text: "lock pile-up: 3 sessions waiting for a lock"),
            ReplayEvent(time: Self.t(30), kind: .locks, text: "lock pile-up: 4 sessions waiting for a lock"),
        ])
    }

    @Test func aSessionCrossingIdleWarnIsFoundOnceAtTheFirstSampleAfterIt() {
        var e = ReplayEvents(idleWarn: 10)
        let spans = [
            // Two sessions whose transactions began at 4.6 s: they cross at 14.6, shown from 15.
            RecordedIdleSpan(session: 1, from: Self.t(5), to: Self.t(8), transactionStart: Self.t(4.6), stateChange: Self.t(4.7), aborted: false),
            RecordedIdleSpan(session: 1, from: Self.t(8), to: Self.t(20), transactionStart: Self.t(4.6), stateChange: Self.t(4.7), aborted: false),
            RecordedIdleSpan(session: 1, from: Self.t(20), to: nil, transactionStart: Self.t(4.6), stateChange: Self.t(4.7), aborted: false),
            RecordedIdleSpan(session: 2, from: Self.t(5), to: nil, transactionStart: Self.t(4.6), stateChange: Self.t(4.8), aborted: false),
            // Ended (committed) before it crossed: no event.
            RecordedIdleSpan(session: 3, from: Self.t(1), to: Self.t(11), transactionStart: Self.t(1), stateChange: Self.t(1), aborted: false),
            // Aborted: stuck at once.
            RecordedIdleSpan(session: 4, from: Self.t(30), to: Self.t(32), transactionStart: Self.t(29), stateChange: Self.t(29.5), aborted: true),
        ]
        e.add(idleSpans: spans, times: Self.times)
        // The same spans read again (a recording that grew) add nothing.
        e.add(idleSpans: Array(spans.reversed()), times: Self.times)
        #expect(e.all == [
            ReplayEvent(time: Self.t(15), kind: .stuck, text: "2 sessions idle in transaction past 10s"),
            ReplayEvent(time: Self.t(30), kind: .stuck, text: "1 session idle in transaction past 10s"),
        ])
    }

    @Test func actionsBurstsOfEndsAndOutagesAreEvents() {
        var e = ReplayEvents(idleWarn: 60)
        let actions = (0..<5).map { RecordedAction(time: Self.t(19.5), pid: Int32(100 + $0), kind: "terminate", outcome: $0 == 4 ? "already gone" : "terminated") }
            + [RecordedAction(time: Self.t(25.2), pid: 7, kind: "cancel", outcome: "denied: permission denied to cancel query")]
        let ends = [(time: Self.t(3), count: 1), (time: Self.t(20), count: 5), (time: Self.t(26), count: 4),
                    (time: Self.t(33), count: 9),            // the outage's start: every session ends there
                    (time: Self.t(40) + 1, count: 30)]        // the recording closed: not a sample
        let outages = [ReplayTimeline.Outage(from: Self.t(33), to: Self.t(36.5), reason: "server closed the connection unexpectedly")]
        e.add(points: [], times: Self.times.filter { !(34...36).contains(($0 - Self.t0) / 1_000_000) } + [Self.t(33)],
              actions: actions, ends: ends, outages: outages)
        #expect(e.all.map(\.text) == [
            "pgtop sent terminate to 5 sessions: 4 terminated, 1 already gone",
            "5 sessions ended at once",
            "pgtop sent cancel to 1 session: 1 denied",
            "server unreachable: server closed the connection unexpectedly",
            "server answering again after 3.5s",
        ])
        #expect(e.all.map(\.time) == [Self.t(19.5), Self.t(20), Self.t(25.2), Self.t(33), Self.t(37)])
    }

    @Test func nextAndPreviousWalkTheEventsInOrder() {
        var e = ReplayEvents(idleWarn: 60)
        var points = (0...40).map { Self.point($0) }
        points[10] = Self.point(10, waiting: 3)
        points[20] = Self.point(20, used: 90, waiting: 3)
        points[20].waiting = 0
        points[30] = Self.point(30, waiting: 6)
        e.add(points: points, times: Self.times, actions: [], ends: [], outages: [])
        #expect(e.next(after: Self.t(0)) == Self.t(10))
        #expect(e.next(after: Self.t(10)) == Self.t(20))
        #expect(e.next(after: Self.t(30)) == nil)
        #expect(e.previous(before: Self.t(30)) == Self.t(20))
        #expect(e.previous(before: Self.t(10)) == nil)
        #expect(e.describe(at: Self.t(30), clock: WallClock()) == "event: 00:19:30 lock pile-up: 6 sessions waiting for a lock")
    }

    @Test func aGrowingRecordingAddsOnlyWhatIsNew() {
        var e = ReplayEvents(idleWarn: 60)
        var points = (0...40).map { Self.point($0) }
        points[25] = Self.point(25, waiting: 3)
        e.add(points: Array(points[0...20]), times: Array(Self.times[0...20]), actions: [], ends: [], outages: [])
        #expect(e.all.isEmpty && e.through == Self.t(20))
        // Read again from the start (what a reader gives after `through` is what counts).
        e.add(points: points, times: Self.times, actions: [], ends: [], outages: [])
        #expect(e.all.map(\.time) == [Self.t(25)])
        e.add(points: [], times: Self.times, actions: [], ends: [], outages: [])
        #expect(e.all.count == 1)
    }
}
