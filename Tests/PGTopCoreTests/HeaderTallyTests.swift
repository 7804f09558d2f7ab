import Testing
@testable import PGTopCore

/// The header's counts are taken once per snapshot and kept with it: they must follow every
/// new snapshot and count what the per-draw passes counted.
@Suite struct HeaderTallyTests {
    @Test func countsClientBackendsInOnePass() {
        let tally = HeaderTally([
            backend(1, user: "a", app: "x", state: .active),
            backend(2, user: "b", app: "x", state: .idleInTransaction, xact: 90),
            backend(3, user: "a", app: "y", state: .active, xact: 30, waiting: true),
            backend(4, user: "a", state: .idle),
            backend(5, user: "z", state: .active, xact: 5000, type: "walsender"),
        ])
        #expect(tally.clients == 4)
        #expect(tally.counts == StateCounts([backend(1, state: .active), backend(2, state: .idleInTransaction),
                                             backend(3, state: .active, waiting: true), backend(4)]))
        #expect(tally.counts.active == 2 && tally.counts.idleInTransaction == 1 && tally.counts.waiting == 1 && tally.counts.idle == 1)
        #expect(tally.longestTransaction == 90)  // the walsender's is not a client's
        #expect(tally.holders.byUser == [SlotHolders.Group(name: "a", count: 3), SlotHolders.Group(name: "b", count: 1)])
        #expect(tally.holders.byApplication.map(\.name) == ["x", "psql", "y"])
    }

    @Test func anEmptySnapshotCountsNothing() {
        let tally = HeaderTally([])
        #expect(tally == HeaderTally())
        #expect(tally.clients == 0 && tally.longestTransaction == nil && tally.holders.byUser.isEmpty)
    }

    @Test func followsEachNewSnapshot() {
        var s = state([backend(1, state: .active), backend(2, state: .idle)])
        #expect(s.tally.counts.active == 1 && s.tally.clients == 2)
        let before = ScreenLayout.render(s, width: 200, height: 30).text
        #expect(before.contains("Connections 3/100 used") && before.contains("active 1"))
        s.receive(Snapshot(backends: [backend(1, state: .active), backend(2, state: .active), backend(3, user: "bob", state: .idleInTransaction, xact: 120)]))
        #expect(s.tally == HeaderTally(s.snapshot!.backends))
        let after = ScreenLayout.render(s, width: 200, height: 30).text
        #expect(after.contains("Connections 4/100 used") && after.contains("active 2") && after.contains("idle in txn 1"))
        #expect(after.contains("Held by user: alice 2, bob 1") && after.contains("longest txn 2:00"))
        s.receive(Snapshot(backends: []))
        #expect(s.tally == HeaderTally())
        #expect(ScreenLayout.render(s, width: 200, height: 30).text.contains("Held by: nobody else"))
    }

    @Test func theBudgetCountsPgtopItself() {
        let budget = SlotBudget(server: testServer, clients: 4)
        #expect(budget.used == 5)
        #expect(budget == SlotBudget(server: testServer, backends: (1...4).map { backend($0) }))
    }
}
