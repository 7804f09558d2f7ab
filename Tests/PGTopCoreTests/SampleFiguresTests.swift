import Testing
@testable import PGTopCore

/// A recording's per-sample figures: the header's counts over client backends.
@Suite struct SampleFiguresTests {
    @Test func theHeadersCountsAndTheStuckSessions() {
        var aborted = backend(5, state: .idleInTransactionAborted, xact: 1)
        aborted.waiting = false
        let rows = [
            backend(1, state: .active, xact: 1), backend(2, state: .idle),
            backend(3, state: .idleInTransaction, xact: 30), backend(4, state: .idleInTransaction, xact: 90),
            aborted, backend(6, state: .active, xact: 200, waiting: true),
            backend(7, state: .none, xact: 500, type: "autovacuum worker"),
        ]
        let f = SampleFigures(rows, server: testServer, idleWarn: 60)
        #expect(f.backends == 7 && f.clients == 6)
        #expect(f.active == 2 && f.idle == 1 && f.idleInTransaction == 3 && f.waiting == 1)
        #expect(f.stuck == 2)  // 90 s past idle-warn, and the aborted one; not the autovacuum worker
        #expect(f.longestTransaction == 200)
        #expect(f.slots == SlotBudget(used: 7, max: 100, superuserReserved: 3, reserved: 0))
        #expect(SampleFigures(rows, server: nil, idleWarn: 60).slots == nil)
    }
}
