import Testing
@testable import PGTopCore

/// Enter opens one backend in full; keys there scroll, act on it, write its query, go back.
@Suite struct DetailTests {
    func sample() -> AppState {
        var holder = backend(10, state: .idleInTransaction)
        holder.query = "UPDATE orders SET status = 'x' WHERE id = 1"
        var waiter = backend(11)
        waiter.blockedBy = [10]
        waiter.waiting = true
        var s = state([holder, waiter])
        _ = s.press(.char("5"))
        return s
    }

    @Test func enterFetchesAndShowsTheBackend() {
        var s = sample()
        let effects = s.press(.enter)
        let id = s.rows[0].id
        #expect(effects == [.fetchDetail(id)])
        #expect(s.mode == .detail(id, scroll: 0))
        var text = ScreenLayout.render(s, width: 100, height: 30).text
        #expect(text.contains("Backend 10"))
        #expect(text.contains("Blocks: 11"))
        #expect(text.contains("the whole text is on its way"))
        let long = String(repeating: "SELECT a_rather_long_column_name, ", count: 20) + "\u{1B}]0;evil\u{07}1\nFROM t"
        s.detail = BackendDetail(id: id, fields: [.init("pid", "10"), .init("query", long), .init("state", "idle in transaction")],
                                 xidAge: 5, xminAge: 7, locks: ["holds RowExclusiveLock on relation orders", "WAITS for ShareLock on transactionid 9"])
        let frame = ScreenLayout.render(s, width: 100, height: 40)
        text = frame.text
        #expect(text.contains("xid age 5, xmin age 7 (holds back vacuum)"))
        #expect(text.contains("holds RowExclusiveLock on relation orders"))
        #expect(text.contains("  FROM t"))
        #expect(text.contains("?]0;evil?1"))
        #expect(!text.contains("\u{1B}"))
        #expect(frame.lines.allSatisfy { CellWidth.of($0.text) <= 100 })
        #expect(text.contains("state") && text.contains("idle in transaction"))
    }

    @Test func keysInTheDetail() {
        var s = sample()
        _ = s.press(.enter)
        let id = s.rows[0].id
        _ = s.press(.down)
        #expect(s.mode == .detail(id, scroll: 1))
        #expect(s.press(.char("w")).isEmpty)  // nothing loaded yet: says so
        #expect(s.message?.isError == true)
        s.detail = BackendDetail(id: id, fields: [.init("query", "SELECT 1")])
        #expect(s.press(.char("w")) == [.writeQuery(id, "SELECT 1")])
        _ = s.press(.char("k"))
        guard case .confirm(let c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.targets == [id])
        _ = s.press(.char("n"))
        _ = s.press(.enter)
        _ = s.press(.escape)
        #expect(s.mode == .table)
    }

    /// The open detail is asked again with each refresh once found (its xid and xmin ages
    /// move on), never when closed or when its backend has ended.
    @Test func anOpenDetailIsAskedAgainWithEachRefresh() {
        var s = sample()
        #expect(s.detailToRefresh == nil)
        _ = s.press(.enter)
        let id = s.rows[0].id
        #expect(s.detailToRefresh == nil)  // the first answer is not in yet
        s.detail = BackendDetail(id: id, fields: [.init("query", "SELECT 1")], xidAge: 5)
        #expect(s.detailToRefresh == id)
        s.detail = BackendDetail(id: id, fields: [.init("query", "SELECT 1")], xidAge: 900)
        #expect(ScreenLayout.render(s, width: 100, height: 30).text.contains("xid age 900"))
        s.detail = nil  // it ended
        #expect(s.detailToRefresh == nil)
        s.detail = BackendDetail(id: id, fields: [])
        _ = s.press(.escape)
        #expect(s.detailToRefresh == nil)
    }

    /// An aborted transaction's age in the detail says where it comes from.
    @Test func anAbortedTransactionsAgeSaysWhereItComesFrom() {
        var b = backend(10, state: .idleInTransactionAborted, xact: nil)
        b.transactionAge = 75
        b.transactionAgeSource = .stateChange
        b.stateAge = 75
        var s = state([b])
        _ = s.press(.enter)
        var text = ScreenLayout.render(s, width: 140, height: 30).text
        #expect(text.contains("transaction at least 1:15 (aborted: since its error), in state 1:15"))
        b.transactionAgeSource = .earlierRefresh
        s = state([b])
        _ = s.press(.enter)
        text = ScreenLayout.render(s, width: 140, height: 30).text
        #expect(text.contains("transaction 1:15 (aborted: its start as pgtop saw it)"))
    }
}
