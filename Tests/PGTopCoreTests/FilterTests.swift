import Testing
@testable import PGTopCore

@Suite struct FilterTests {
    let rows = [
        backend(1, db: "shop", user: "alice", app: "Billing", state: .active, query: "UPDATE orders SET x = 1"),
        backend(2, db: "crm", user: "bob", client: "local", state: .idle),
        backend(3, db: "shop", user: "carol", state: .idleInTransaction, query: "START TRANSACTION;"),
        backend(4, user: "", app: "", state: .none, type: "autovacuum worker"),
        backend(5, state: .active, waiting: true, blockedBy: [3]),
    ]

    func pids(_ f: Filter) -> [Int32] { f.apply(rows).map(\.pid) }

    @Test func defaultHidesBackgroundOnly() {
        #expect(pids(Filter()) == [1, 2, 3, 5])
        #expect(pids(Filter(showBackground: true)) == [1, 2, 3, 4, 5])
    }

    @Test func textIsCaseInsensitiveOverEveryField() {
        #expect(pids(Filter(text: "SHOP")) == [1, 3])
        #expect(pids(Filter(text: "billing")) == [1])
        #expect(pids(Filter(text: "LOCAL")) == [2])
        #expect(pids(Filter(text: "orders")) == [1])
        #expect(pids(Filter(text: "idle in transaction")) == [3])
        #expect(pids(Filter(text: "idle")) == [2, 3])
        #expect(pids(Filter(text: "nothing like it")) == [])
    }

    @Test func hideIdle() {
        #expect(pids(Filter(showIdle: false)) == [1, 3, 5])
    }

    @Test func views() {
        #expect(pids(Filter(view: .active)) == [1, 5])
        #expect(pids(Filter(view: .idleInTransaction)) == [3])
        #expect(pids(Filter(view: .waiting)) == [5])
    }

    @Test func nonASCIIFilterMatchesExactly() {
        let r = [backend(1, app: "日本語アプリ"), backend(2, app: "Ünïcode")]
        #expect(Filter(text: "本語").apply(r).map(\.pid) == [1])
        #expect(Filter(text: "ünï").apply(r).map(\.pid) == [2])
        #expect(Filter(text: "Ünï").apply(r).map(\.pid) == [2])
    }
}
