import Testing
@testable import PGTopCore

/// The delta refresh: which rows are sent as keys, and how an answer is merged.
@Suite struct DeltaRefreshTests {
    /// An idle session, an idle-in-transaction one, a running query, a lock waiter and a
    /// background process, each with a state change where it has a state.
    let first: [Backend] = {
        var idle = backend(10, state: .idle, age: 5, since: 100)
        var stuck = backend(11, state: .idleInTransaction, age: 7, xact: 60, since: 200)
        var running = backend(12, state: .active, age: 1, xact: 1, since: 300)
        var waiter = backend(13, state: .active, age: 2, xact: 2, since: 400, waiting: true, blockedBy: [11])
        let checkpointer = backend(14, state: .none, age: nil, since: 500, type: "checkpointer")
        idle.stateChange = 1_000
        stuck.stateChange = 2_000
        running.stateChange = 3_000
        waiter.stateChange = 4_000
        return [idle, stuck, running, waiter, checkpointer]
    }()

    @Test func theFirstRefreshSendsNoKeys() {
        var delta = DeltaRefresh()
        #expect(delta.request().isEmpty)
        let received = delta.receive(ActivityAnswer(backends: first, clock: 50_000))
        #expect(received.map(\.id) == first.map(\.id) && received.map(\.queryAge) == first.map(\.queryAge))
        #expect(delta.request().map(\.pid) == [10, 11])  // idle and idle in transaction only
    }

    @Test func onlySessionsSittingStillAreKeys() {
        var aborted = backend(1, state: .idleInTransactionAborted)
        aborted.stateChange = 1
        var noChange = backend(2, state: .idle)
        noChange.stateChange = nil
        var idleWaiting = backend(3, state: .idle, waiting: true)
        idleWaiting.stateChange = 1
        #expect(DeltaRefresh.isKey(aborted))
        #expect(!DeltaRefresh.isKey(noChange))
        #expect(!DeltaRefresh.isKey(idleWaiting))
        #expect(!first.filter { !$0.state.isIdleInTransaction && $0.state != .idle }.contains(where: DeltaRefresh.isKey))
    }

    @Test func unchangedRowsAreTheOldOnesWithTheirAgesMovedOn() {
        var delta = DeltaRefresh()
        _ = delta.receive(ActivityAnswer(backends: first, clock: 50_000))
        #expect(delta.request().count == 2)
        // 1.5 s later: the running query and the waiter come whole again, the idle ones not.
        var running = first[2]
        running.queryAge = 2.5
        let answer = ActivityAnswer(backends: [running, first[3], first[4]], clock: 51_500)
        let merged = delta.receive(answer)
        #expect(merged.count == 5)
        let idle = merged.first { $0.pid == 10 }, stuck = merged.first { $0.pid == 11 }
        #expect(idle?.queryAge == 6.5 && idle?.transactionAge == nil && idle?.backendAge == 101.5)
        #expect(stuck?.queryAge == 8.5 && stuck?.transactionAge == 61.5 && stuck?.backendAge == 201.5)
        #expect(idle?.id == first[0].id && idle?.query == first[0].query && idle?.stateChange == 1_000)
        #expect(merged.first { $0.pid == 12 }?.queryAge == 2.5)  // as the server sent it
        #expect(delta.backends == merged)
    }

    @Test func changedAndEndedRowsReplaceTheOldOnes() {
        var delta = DeltaRefresh()
        _ = delta.receive(ActivityAnswer(backends: first, clock: 50_000))
        _ = delta.request()
        // 10 ran a statement (whole again, active now); 11 ended; the active 12 ended too (it
        // was no key, so the answer just leaves it out); 15 is new; a new backend took pid 13.
        var busy = first[0]
        busy.state = .active
        busy.stateChange = 1_900
        let reused = backend(13, start: 9_999, state: .idle)
        let newcomer = backend(15, state: .idle)
        let merged = delta.receive(ActivityAnswer(backends: [busy, reused, first[4], newcomer], ended: [11], clock: 51_000))
        #expect(merged.map(\.pid).sorted() == [10, 13, 14, 15])
        #expect(merged.first { $0.pid == 10 }?.state == .active)
        #expect(merged.first { $0.pid == 13 }?.id.start == 9_999)
    }

    @Test func aNewConnectionStartsOver() {
        var delta = DeltaRefresh()
        _ = delta.receive(ActivityAnswer(backends: first, clock: 50_000))
        delta.reset()
        #expect(delta.request().isEmpty)
        #expect(delta.backends.isEmpty)
    }

    /// An answer without the server's clock moves no ages, and the next refresh asks for
    /// every row again.
    @Test func withoutAClockTheNextRefreshIsWhole() {
        var delta = DeltaRefresh()
        _ = delta.receive(ActivityAnswer(backends: first, clock: 50_000))
        _ = delta.request()
        let merged = delta.receive(ActivityAnswer(backends: [first[2], first[3], first[4]]))
        #expect(merged.first { $0.pid == 10 }?.queryAge == 5)
        #expect(delta.request().isEmpty)
    }

    /// Since state change: from the server's clock and `state_change`, moved on with the rest.
    @Test func theStateClockComesFromTheServersClock() {
        var delta = DeltaRefresh()
        let received = delta.receive(ActivityAnswer(backends: first, clock: 50_000))
        #expect(received[0].stateAge == 49.999)   // state_change at 1,000 us, clock at 50,000 ms
        #expect(received[4].stateAge == nil)       // no state, no state change
        _ = delta.request()
        let merged = delta.receive(ActivityAnswer(backends: [first[2], first[3], first[4]], clock: 52_000))
        #expect(merged.first { $0.pid == 10 }?.stateAge == 51.999)
        #expect(merged.first { $0.pid == 10 }?.age(.state) == 51.999)
    }

    /// An aborted transaction has no xact_start: pgtop gives it the start an earlier refresh
    /// saw, else the age since the error (state_change), and says which.
    @Test func anAbortedTransactionKeepsAnAge() {
        var delta = DeltaRefresh()
        var open = backend(20, state: .idleInTransaction, age: 3, xact: 90)
        open.stateChange = 40_000_000   // 40 s since the epoch
        var fresh = backend(21, state: .idleInTransactionAborted, age: 4, xact: nil)
        fresh.stateChange = 46_000_000
        let firstAnswer = delta.receive(ActivityAnswer(backends: [open, fresh], clock: 50_000))
        let seenFirst = firstAnswer.first { $0.pid == 21 }
        #expect(seenFirst?.transactionAge == 4 && seenFirst?.transactionAgeSource == .stateChange)
        #expect(firstAnswer.first { $0.pid == 20 }?.transactionAgeSource == .xactStart)
        #expect(delta.request().count == 2)

        // 2 s later 20 runs 1/0: its transaction aborts, the server clears xact_start.
        var failed = open
        failed.state = .idleInTransactionAborted
        failed.transactionAge = nil
        failed.transactionAgeSource = nil
        failed.stateChange = 51_500_000
        let second = delta.receive(ActivityAnswer(backends: [failed], clock: 52_000))
        let b = second.first { $0.pid == 20 }
        #expect(b?.transactionAge == 92 && b?.transactionAgeSource == .earlierRefresh)
        #expect(b?.age(.transaction) == 92)
        // 21 was keyed and unchanged: its own figure moved on, still "since state change".
        let c = second.first { $0.pid == 21 }
        #expect(c?.transactionAge == 6 && c?.transactionAgeSource == .stateChange)

        // 21 runs another statement in its aborted transaction (state_change moves): the age
        // it had is kept and moved on, not reset to the new state change.
        _ = delta.request()
        var again = fresh
        again.stateChange = 52_500_000
        let third = delta.receive(ActivityAnswer(backends: [again], clock: 53_000))
        let d = third.first { $0.pid == 21 }
        #expect(d?.transactionAge == 7 && d?.transactionAgeSource == .stateChange)
    }

    /// A single snapshot (`--once`): the age since state change.
    @Test func aSingleSnapshotUsesTheStateChange() {
        var delta = DeltaRefresh()
        var aborted = backend(30, state: .idleInTransactionAborted, xact: nil)
        aborted.stateChange = 10_000_000
        let once = delta.receive(ActivityAnswer(backends: [aborted], clock: 70_000))
        #expect(once[0].transactionAge == 60 && once[0].transactionAgeSource == .stateChange)
    }
}
