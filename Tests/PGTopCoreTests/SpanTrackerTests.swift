import Testing
@testable import PGTopCore

/// The recording's diff: a sample stores only the sessions and spans that changed.
@Suite struct SpanTrackerTests {
    static let t0: Int64 = 1_732_400_000_000_000

    /// The backends as the next refresh gives them when nothing happened: every age `seconds` older
    /// (what `DeltaRefresh` does with the rows the server left out).
    static func later(_ backends: [Backend], by seconds: Double) -> [Backend] {
        backends.map { b in
            var b = b
            b.queryAge = b.queryAge.map { $0 + seconds }
            b.transactionAge = b.transactionAge.map { $0 + seconds }
            b.backendAge = b.backendAge.map { $0 + seconds }
            b.stateAge = b.stateAge.map { $0 + seconds }
            return b
        }
    }

    let first: [Backend] = [
        backend(10, state: .idle, age: 5, since: 100),
        backend(11, state: .idleInTransaction, age: 7, xact: 60.123, since: 200),
        backend(12, state: .active, age: 0.25, xact: 0.25, since: 300),
    ]

    @Test func theFirstSampleOpensEverySession() {
        var tracker = SpanTracker()
        let diff = tracker.advance(first, at: Self.t0)
        #expect(diff.newSessions.map(\.id.pid) == [10, 11, 12])
        #expect(diff.opened.map(\.id.pid) == [10, 11, 12])
        #expect(diff.closed.isEmpty && diff.ended.isEmpty)
    }

    @Test func sessionsThatDidNotChangeWriteNothing() {
        var tracker = SpanTracker()
        _ = tracker.advance(first, at: Self.t0)
        // Ages in floating point picked up rounding on the way: the starts are the same to the ms.
        let diff = tracker.advance(Self.later(first, by: 1.001 + 1e-12), at: Self.t0 + 1_001_000)
        #expect(diff.isEmpty, "\(diff)")
        #expect(tracker.advance(Self.later(first, by: 2.5), at: Self.t0 + 2_500_000).isEmpty)
    }

    @Test func aChangedSessionClosesItsSpanAndOpensAnother() {
        var tracker = SpanTracker()
        _ = tracker.advance(first, at: Self.t0)
        var next = Self.later(first, by: 1)
        next[0].state = .idleInTransaction  // 10 ran BEGIN
        next[0].queryAge = 0.1
        next[0].transactionAge = 0.1
        next[1].waitEvent = "ClientRead"  // a recorded field, even of an idle session
        next[2].queryAge = 0.01  // 12 started its next statement
        let diff = tracker.advance(next, at: Self.t0 + 1_000_000)
        #expect(diff.newSessions.isEmpty)
        #expect(Set(diff.closed.map(\.pid)) == [10, 11, 12])
        #expect(diff.opened.map(\.id.pid) == [10, 11, 12])
        #expect(diff.opened[0].span.state == "idle in transaction")
        #expect(diff.opened[0].span.transactionStart == Self.t0 + 1_000_000 - 100_000)
        #expect(diff.ended.isEmpty)
    }

    @Test func everyRecordedFieldOpensASpan() {
        let base = backend(20, state: .active, age: 1, xact: 2, since: 3, waiting: true, blockedBy: [7])
        var changes: [(String, (inout Backend) -> Void)] = [
            ("state", { $0.state = .idle }), ("wait type", { $0.waitEventType = "LWLock" }),
            ("wait event", { $0.waitEvent = "relation" }), ("waiting", { $0.waiting = false }),
            ("blocked by", { $0.blockedBy = [7, 8] }), ("lock mode", { $0.lockMode = "ShareLock" }),
            ("lock target", { $0.lockTarget = "orders" }), ("query start", { $0.queryAge = 0.5 }),
            ("xact start", { $0.transactionAge = 9 }), ("state change", { $0.stateChange = 42 }),
            ("query", { $0.query = "SELECT 2" }), ("application", { $0.application = "cron" }),
            ("leader", { $0.leaderPid = 3 }), ("superuser", { $0.superuser = true }),
        ]
        changes.append(("xact source", { $0.transactionAgeSource = .stateChange }))
        for (name, change) in changes {
            var tracker = SpanTracker()
            _ = tracker.advance([base], at: Self.t0)
            var b = base
            change(&b)
            let diff = tracker.advance([b], at: Self.t0)
            #expect(diff.closed == [base.id] && diff.opened.count == 1, "\(name)")
        }
    }

    @Test func anEndedSessionClosesAndEnds() {
        var tracker = SpanTracker()
        _ = tracker.advance(first, at: Self.t0)
        let diff = tracker.advance(Array(Self.later(first, by: 1).prefix(2)), at: Self.t0 + 1_000_000)
        #expect(diff.closed.map(\.pid) == [12] && diff.ended.map(\.pid) == [12])
        #expect(diff.opened.isEmpty && diff.newSessions.isEmpty)
        #expect(tracker.open.count == 2)
    }

    @Test func aReusedPidIsANewSession() {
        var tracker = SpanTracker()
        _ = tracker.advance([backend(30, start: 1000)], at: Self.t0)
        let diff = tracker.advance([backend(30, start: 2000)], at: Self.t0 + 1_000_000)
        #expect(diff.newSessions.map(\.id) == [BackendID(pid: 30, start: 2000)])
        #expect(diff.ended == [BackendID(pid: 30, start: 1000)])
    }

    @Test func anUnchangedSpanRollsOverAfterAMinute() {
        var tracker = SpanTracker(rollover: 60_000_000)
        _ = tracker.advance(first, at: Self.t0)
        #expect(tracker.advance(Self.later(first, by: 59), at: Self.t0 + 59_000_000).isEmpty)
        let diff = tracker.advance(Self.later(first, by: 60), at: Self.t0 + 60_000_000)
        #expect(diff.closed.count == 3 && diff.opened.count == 3 && diff.newSessions.isEmpty)
        #expect(diff.opened.map(\.span) == first.map { RecordedSpan($0, at: Self.t0) })
        #expect(tracker.open.values.allSatisfy { $0.from == Self.t0 + 60_000_000 })
    }

    /// 2,000 sessions, 20 of which ran a statement since the last sample: 20 spans, not 2,000.
    @Test func aBusySampleWritesOnlyWhatChanged() {
        let many: [Backend] = (0..<2000).map { (i: Int) -> Backend in
            let stuck = i % 5 == 0
            return backend(Int32(100 + i), state: stuck ? BackendState.idleInTransaction : .idle, age: 30, xact: stuck ? 30 : nil)
        }
        var tracker = SpanTracker()
        #expect(tracker.advance(many, at: Self.t0).opened.count == 2000)
        var next = Self.later(many, by: 1)
        for i in stride(from: 0, to: 2000, by: 100) { next[i].state = .active; next[i].queryAge = 0 }
        let diff = tracker.advance(next, at: Self.t0 + 1_000_000)
        #expect(diff.opened.count == 20 && diff.closed.count == 20 && diff.newSessions.isEmpty)
    }

    @Test func aSpanGivesTheBackendBackWithItsAgesAtALaterTime() {
        var b = backend(40, app: "cron", state: .idleInTransactionAborted, age: 12.5, xact: 30, since: 3600,
                        waiting: true, blockedBy: [1, 2])
        b.lockMode = "ShareLock"; b.lockTarget = "orders row"; b.stateChange = Self.t0 - 12_500_000
        b.stateAge = 12.5; b.leaderPid = 9; b.superuser = true
        b.transactionAgeSource = .earlierRefresh
        let span = RecordedSpan(b, at: Self.t0)
        let back = span.backend(RecordedSession(b), at: Self.t0 + 10_000_000)
        var expected = Self.later([b], by: 10)[0]
        expected.backendAge = Double(Self.t0 + 10_000_000 - b.id.start) / 1_000_000
        #expect(back == expected)
        #expect(RecordedSpan(back, at: Self.t0 + 10_000_000) == span)
    }

    /// A writer whose sample failed keeps the tracker as it was: a step not taken changes nothing.
    @Test func aStepNotTakenLeavesTheTrackerAsItWas() {
        var tracker = SpanTracker()
        _ = tracker.advance(first, at: Self.t0)
        var next = Self.later(first, by: 1)
        next[0].state = .active
        let failed = tracker.step(Array(next.prefix(2)), at: Self.t0 + 1_000_000)  // 12 gone, 10 active
        #expect(failed.diff.opened.map(\.id.pid) == [10] && failed.diff.ended.map(\.pid) == [12])
        #expect(tracker.open.count == 3 && tracker.last == Self.t0)
        let again = tracker.step(Array(next.prefix(2)), at: Self.t0 + 1_000_000)
        #expect(again.diff == failed.diff)
        tracker.take(again)
        #expect(tracker.open.count == 2 && tracker.open[first[0].id]?.span.state == "active")
        #expect(tracker.advance(Self.later(Array(next.prefix(2)), by: 1), at: Self.t0 + 2_000_000).isEmpty)
    }

    /// Sessions that never change do not all roll over in one sample: the first sample's spans
    /// end each after a part of the rollover, and from then on every rollover.
    @Test func theFirstSpansRollOverStaggered() {
        let idle: [Backend] = (0..<200).map { backend(Int32(500 + $0), start: 1000 + Int64($0), state: .idle, age: 30) }
        var tracker = SpanTracker(rollover: 60_000_000, staggered: true)
        _ = tracker.advance(idle, at: Self.t0)
        var rolled: [BackendID: [Int]] = [:]
        var most = 0
        for s in 1...180 {
            let diff = tracker.advance(Self.later(idle, by: Double(s)), at: Self.t0 + Int64(s) * 1_000_000)
            #expect(diff.opened.count == diff.closed.count && diff.newSessions.isEmpty)
            most = max(most, diff.opened.count)
            for o in diff.opened { rolled[o.id, default: []].append(s) }
        }
        #expect(most < 20, "\(most) spans rolled over in one sample")
        for b in idle {
            let times = rolled[b.id] ?? []
            #expect(times.count == 3 && times[0] <= 60 && times[1] == times[0] + 60 && times[2] == times[0] + 120, "\(b.pid): \(times)")
        }
        // An unstaggered tracker rolls them all over at once.
        var plain = SpanTracker(rollover: 60_000_000)
        _ = plain.advance(idle, at: Self.t0)
        #expect(plain.advance(Self.later(idle, by: 60), at: Self.t0 + 60_000_000).opened.count == 200)
    }

    /// `matches` is `RecordedSpan(b, at: t) == span`, whether the texts are the span's own box
    /// (a row the delta refresh kept) or equal texts in another.
    @Test func matchingIsEquality() {
        var base = backend(60, state: .active, age: 1.5, xact: 2, since: 3, waiting: true, blockedBy: [7])
        base.stateChange = Self.t0 - 1_500_000
        base.lockMode = "ShareLock"
        let t = Self.t0 + 250_000
        let span = RecordedSpan(base, at: t)
        var changes: [(inout Backend) -> Void] = [
            { _ in }, { $0.query = "SELECT 1" }, { $0.query = "SELECT 2" }, { $0.state = .idle }, { $0.queryAge = 1.5004 },
            { $0.queryAge = 1.5006 }, { $0.transactionAge = nil }, { $0.transactionAgeSource = .stateChange },
            { $0.blockedBy = [7] }, { $0.blockedBy = [8] }, { $0.lockTarget = "" }, { $0.application = "psql" },
            { $0.application = "x" }, { $0.leaderPid = 1 }, { $0.superuser = true }, { $0.stateChange = nil }, { $0.waiting = false },
        ]
        changes.append { $0.waitEvent = "" }
        for (n, change) in changes.enumerated() {
            var b = base
            change(&b)
            #expect(span.matches(b, at: t) == (RecordedSpan(b, at: t) == span), "change \(n)")
        }
    }

    @Test func everyStateReadsBackAsItself() {
        let states: [BackendState] = [.active, .idle, .idleInTransaction, .idleInTransactionAborted, .fastpath,
                                      .disabled, .none, .other("starting")]
        #expect(states.map { BackendState(serverText: $0.serverText) } == states)
    }

    /// Sessions come and go, rows arrive in another order, a kept row comes back in a new box
    /// with the same texts, a state only its text tells apart: the diff is always the one a
    /// plain comparison of every backend's span with the open one gives.
    @Test func anyOrderAndAnyBoxGiveThePlainDiff() {
        var rng = SplitMix(seed: 7)
        var live: [Backend] = (0..<60).map { backend(Int32(100 + $0), start: 5000 + Int64($0), age: 3) }
        var tracker = SpanTracker(rollover: 9_000_000)
        var model: [BackendID: (span: RecordedSpan, rollsAt: Int64)] = [:]
        var nextPid: Int32 = 1000
        for sample in 0..<300 {
            let t = Self.t0 + Int64(sample) * 1_000_000
            live = Self.later(live, by: 1)
            for _ in 0..<Int(rng.next() % 4) where !live.isEmpty { live.remove(at: Int(rng.next() % UInt64(live.count))) }
            for _ in 0..<Int(rng.next() % 4) {
                live.insert(backend(nextPid, start: Int64(nextPid), age: 0), at: Int(rng.next() % UInt64(live.count + 1)))
                nextPid += 1
            }
            for i in live.indices {
                switch rng.next() % 40 {
                case 0: live[i].query = "UPDATE t SET n = \(sample)"
                case 1: live[i].state = live[i].state == .idle ? .active : .idle
                case 2: live[i].state = .other(sample % 2 == 0 ? "starting" : "stopping")
                case 3:  // the same texts in a new box, as a row the server sent again
                    var copy = backend(live[i].pid, start: live[i].id.start, state: live[i].state, query: live[i].query)
                    copy.queryAge = live[i].queryAge; copy.transactionAge = live[i].transactionAge
                    copy.backendAge = live[i].backendAge
                    live[i] = copy
                default: break
                }
            }
            if rng.next() % 3 == 0 { live.shuffle(using: &rng) }
            let diff = tracker.advance(live, at: t)
            var opened: Set<BackendID> = [], ended: Set<BackendID> = []
            for b in live {
                let span = RecordedSpan(b, at: t)
                if let m = model[b.id], m.span == span, t < m.rollsAt { continue }
                opened.insert(b.id)
                model[b.id] = (span, t + 9_000_000)
            }
            let now = Set(live.map(\.id))
            for id in model.keys where !now.contains(id) {
                ended.insert(id)
                model[id] = nil
            }
            #expect(Set(diff.opened.map(\.id)) == opened, "sample \(sample)")
            #expect(Set(diff.ended) == ended, "sample \(sample)")
            #expect(tracker.open.mapValues(\.span) == model.mapValues(\.span), "sample \(sample)")
        }
    }
}
