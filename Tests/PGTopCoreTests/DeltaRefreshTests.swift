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
        #expect(delta.receive(ActivityAnswer(backends: first, clock: 50_000)) == first)
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
}
