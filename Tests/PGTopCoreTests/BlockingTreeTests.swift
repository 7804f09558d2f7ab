import Testing
@testable import PGTopCore

/// The blocking tree: roots, depths, counts, odd shapes, and the view that shows it.
@Suite struct BlockingTreeTests {
    func b(_ pid: Int32, _ blockedBy: [Int32] = [], state: BackendState = .active, query: String = "q") -> Backend {
        Backend(id: BackendID(pid: pid, start: Int64(pid)), state: state, waiting: !blockedBy.isEmpty, blockedBy: blockedBy, query: query)
    }

    @Test func aChainAndAFork() {
        // 10 <- 11 <- 12 ; 10 <- 13 ; 20 <- 21 ; 30 alone
        let rows = [b(12, [11]), b(30), b(11, [10]), b(21, [20]), b(10, state: .idleInTransaction), b(13, [10]), b(20)]
        let t = BlockingTree(rows)
        #expect(t.nodes.map(\.id.pid) == [10, 11, 12, 13, 20, 21])
        #expect(t.nodes.map(\.depth) == [0, 1, 2, 1, 0, 1])
        #expect(t.nodes.map(\.blocked) == [3, 1, 0, 0, 1, 0])
        #expect(BlockingTree.released(by: [BackendID(pid: 10, start: 10)], in: rows) == 3)
        #expect(BlockingTree.released(by: [BackendID(pid: 11, start: 11)], in: rows) == 1)
        #expect(BlockingTree.released(by: [BackendID(pid: 30, start: 30)], in: rows) == 0)
    }

    @Test func severalBlockersACycleAndMissingOnes() {
        // 3 waits on 1 and 2 (goes under 1); 5 and 6 wait on each other; 7 waits on a pid not listed.
        let t = BlockingTree([b(1), b(2), b(3, [1, 2]), b(5, [6]), b(6, [5]), b(7, [99])])
        #expect(t.nodes.map(\.id.pid) == [1, 3, 5, 6])
        #expect(t.nodes.first { $0.id.pid == 5 }?.depth == 0)
        #expect(BlockingTree([b(1), b(2)]).nodes.isEmpty)
    }

    @Test func viewFiveShowsTheTreeAndTheConfirmationCountsWhoIsReleased() {
        var s = state([b(12, [11]), b(30), b(11, [10]), b(10, state: .idleInTransaction, query: "UPDATE orders")])
        _ = s.press(.char("5"))
        #expect(s.filter.view == .blocking)
        #expect(s.rows.map(\.pid) == [10, 11, 12])
        #expect(s.tree[s.rows[0].id]?.blocked == 2)
        s.press(.down)  // the root unselected: highlighted as the cause
        let frame = ScreenLayout.render(s, width: 120, height: 20)
        let rootLine = frame.lines.first { $0.text.contains("[blocks 2]") }
        #expect(rootLine?.spans.first?.style == .stuck)
        s.press(.up)
        let text = ScreenLayout.render(s, width: 120, height: 20).text
        #expect(text.contains("View: blocking tree"))
        #expect(text.contains("[blocks 2] UPDATE orders"))
        #expect(text.contains("└ [blocks 1] q"))
        #expect(text.contains("  └ q"))
        var waiter = b(11, [10]); waiter.lockMode = "ShareLock"; waiter.lockTarget = "transactionid"
        var evil = b(12, [11]); evil.lockMode = "ExclusiveLock"; evil.lockTarget = "\u{1B}[2Jorders row"
        var t = state([waiter, evil, b(10, state: .idleInTransaction, query: "UPDATE orders")])
        _ = t.press(.char("5"))
        let locks = ScreenLayout.render(t, width: 160, height: 20).text
        #expect(locks.contains("└ [ShareLock on transactionid] [blocks 1] q"))
        #expect(locks.contains("  └ [ExclusiveLock on ?[2Jorders row] q"))
        _ = s.press(.char("k"))
        guard case .confirm(let c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.targets == [BackendID(pid: 10, start: 10)])
        #expect(c.warnings.contains("holds locks 1 other session(s) wait for (2 held up in all, through them)"))
        _ = s.press(.char("n"))
        _ = s.press(.char("1"))
        #expect(s.tree.isEmpty && s.rows.count == 4)
    }

    /// A filter in the tree keeps each tree with a matching session, whole: the holder's
    /// application, a waiter's, the root's pid; --min-duration the same way.
    @Test func aFilterKeepsWholeTrees() {
        func a(_ pid: Int32, _ blockedBy: [Int32] = [], app: String, state: BackendState = .active, age: Double = 1) -> Backend {
            var x = b(pid, blockedBy, state: state)
            x.application = app
            x.queryAge = age
            return x
        }
        let rows = [a(10, app: "billing", state: .idleInTransaction, age: 300), a(11, [10], app: "orders-a"), a(12, [10], app: "orders-b"),
                    a(20, app: "other", state: .idleInTransaction), a(21, [20], app: "other-w"), a(30, app: "billing-bystander")]
        #expect(BlockingTree(rows).nodes.map(\.root.pid) == [10, 10, 10, 20, 20])
        for text in ["billing", "orders-b", "10"] {
            var s = state(rows)
            s.filter.view = .blocking
            s.filter.text = text
            s.recompute()
            #expect(s.rows.map(\.pid) == [10, 11, 12], "filter \(text)")
            #expect(s.tree[s.rows[0].id]?.blocked == 2)
        }
        var s = state(rows)
        s.filter.view = .blocking
        s.filter.text = "orders-b"
        s.recompute()
        #expect(s.treeMatches == [BackendID(pid: 12, start: 12)])  // what --terminate acts on
        s.filter.text = "nothing-like-it"
        s.recompute()
        #expect(s.rows.isEmpty)
        s.filter.text = ""
        s.minDuration = 60
        #expect(s.rows.map(\.pid) == [10, 11, 12] && s.treeMatches == [BackendID(pid: 10, start: 10)])
        s.minDuration = nil
        #expect(s.rows.map(\.pid) == [10, 11, 12, 20, 21] && s.treeMatches.count == 5)
    }
}
