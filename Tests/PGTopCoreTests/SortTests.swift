import Testing
@testable import PGTopCore

@Suite struct SortTests {
    let rows = [
        backend(30, user: "carol", age: 5),
        backend(10, user: "alice", age: 500),
        backend(20, user: "bob", age: nil),
        backend(40, user: "bob", age: 500),
    ]

    @Test func defaultIsElapsedLongestFirstTiesByPid() {
        let sorted = SortOrder().sorted(rows, elapsed: .query).map(\.pid)
        #expect(sorted == [10, 40, 30, 20])
    }

    @Test func ascendingElapsedPutsMissingAgesFirst() {
        let sorted = SortOrder(column: .elapsed, descending: false).sorted(rows, elapsed: .query).map(\.pid)
        #expect(sorted == [20, 30, 10, 40])
    }

    @Test func byUserThenPid() {
        let sorted = SortOrder(column: .user, descending: false).sorted(rows, elapsed: .query).map(\.pid)
        #expect(sorted == [10, 20, 40, 30])
    }

    @Test func elapsedModeChoosesTheAge() {
        let a = backend(1, age: 1, xact: 100), b = backend(2, age: 50, xact: 10)
        #expect(SortOrder().sorted([a, b], elapsed: .query).map(\.pid) == [2, 1])
        #expect(SortOrder().sorted([a, b], elapsed: .transaction).map(\.pid) == [1, 2])
    }

    /// WAIT and BLOCKED BY: empty cells last whichever way (htop's behaviour), not first.
    @Test func emptyWaitAndBlockedByCellsSortLast() {
        let rows = [
            backend(1, state: .active),
            backend(2, state: .active, waiting: true, blockedBy: [9], waitEvent: "transactionid"),
            backend(3, state: .idle, waitEvent: "ClientRead"),  // an idle session's ClientRead shows as nothing
            backend(4, state: .active, waiting: true, blockedBy: [9, 8], waitEvent: "tuple"),
            backend(5, state: .active, waitEvent: "DataFileRead"),
        ]
        for descending in [false, true] {
            let wait = SortOrder(column: .wait, descending: descending).sorted(rows, elapsed: .query).map(\.pid)
            #expect(wait == (descending ? [4, 2, 5, 1, 3] : [5, 2, 4, 1, 3]), "descending: \(descending)")
            let blocked = SortOrder(column: .blockedBy, descending: descending).sorted(rows, elapsed: .query).map(\.pid)
            #expect(blocked == (descending ? [4, 2, 1, 3, 5] : [2, 4, 1, 3, 5]), "descending: \(descending)")
        }
    }

    @Test func sortingIsStableAcrossInputOrder() {
        let once = SortOrder(column: .user).sorted(rows, elapsed: .query).map(\.pid)
        let again = SortOrder(column: .user).sorted(rows.reversed(), elapsed: .query).map(\.pid)
        #expect(once == again)
    }
}

/// Sorting indices with precomputed keys orders exactly as comparing whole rows does.
@Suite struct SortByIndexTests {
    @Test func agreesWithTheRowComparison() {
        var rng = SystemRandomNumberGenerator()
        let backends = (0..<500).map { i -> Backend in
            Backend(id: BackendID(pid: Int32.random(in: 1...300, using: &rng), start: Int64(i)),
                    user: ["a", "b", "c"].randomElement(using: &rng)!,
                    state: [.idle, .active, .idleInTransaction, .none].randomElement(using: &rng)!,
                    blockedBy: Bool.random(using: &rng) ? [1] : [],
                    queryAge: Bool.random(using: &rng) ? Double(Int.random(in: 0...20, using: &rng)) : nil,
                    query: ["SELECT 1", "UPDATE t", ""].randomElement(using: &rng)!)
        }
        for column in Column.allCases {
            for descending in [true, false] {
                let order = SortOrder(column: column, descending: descending)
                let emptyLast = column == .wait || column == .blockedBy  // in both directions
                let byRows = backends.sorted { a, b in
                    if emptyLast && column.isEmptyCell(a) != column.isEmptyCell(b) { return column.isEmptyCell(b) }
                    let c = order.compare(a, b, elapsed: .query)
                    if c != 0 { return descending ? c > 0 : c < 0 }
                    return a.id < b.id
                }
                #expect(order.sorted(backends, elapsed: .query).map(\.id) == byRows.map(\.id), "\(column) \(descending)")
            }
        }
    }
}
