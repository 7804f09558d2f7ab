import Testing
@testable import PGTopCore

/// The confirmation of k/c under attack (issue 12) and under load (issue 13): marks off screen,
/// hidden backend_start, healthy transactions among the targets, targets that ended meanwhile.
@Suite struct ConfirmationTests {
    let rows = [backend(4211, age: 30), backend(4212, age: 20), backend(4230, age: 10)]

    /// Issue 12.4: marks the filter hides are still targets; the question says how many, and
    /// the acted-on marks are cleared, so a later k does not take them again unseen.
    @Test func marksOffScreenAreCountedAndClearedAfterTheAction() {
        var s = state(rows + [backend(4300, app: "hidden-one", age: 5)])
        s.press(.char("A"))
        s.press(.char("/"), .char("4"), .char("2"), .char("1"), .enter)  // shows 4211, 4212 only
        #expect(s.rows.map(\.pid) == [4211, 4212])
        s.press(.char("c"))
        guard case .confirm(let c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.question == "Cancel 4 backends (4211, 4212, 4230, 4300; 2 not shown now)? [y/N]")
        #expect(c.warnings.contains("2 of them not shown by the current filter/view"))
        #expect(s.press(.char("y")).count == 1)
        #expect(s.marks.isEmpty)
        // A later k acts on the selection only, not on the marks the c took.
        s.press(.char("k"))
        guard case .confirm(let k) = s.mode else { Issue.record("no confirmation"); return }
        #expect(k.targets == [BackendID(pid: 4211, start: 1000)])
        // An aborted question keeps the marks.
        s.press(.escape, .char("A"), .char("k"), .char("n"))
        #expect(s.marks.count == 2)
    }

    /// Issue 13.11: the backends go out as the question showed them, even when a refresh
    /// came in between and they have left the screen (the audit log names them whole).
    @Test func theActionCarriesTheTargetsAsTheQuestionShowedThem() {
        var s = state([backend(4211, app: "orders-api", age: 30), backend(4212, age: 20)])
        s.press(.char("k"))
        s.receive(Snapshot(backends: [backend(4212, age: 21)]))  // 4211 ended meanwhile
        guard case .signal(_, let sent, _)? = s.press(.char("y")).first else { Issue.record("nothing sent"); return }
        #expect(sent.map(\.application) == ["orders-api"])
        #expect(sent.map(\.id) == [BackendID(pid: 4211, start: 1000)])
    }

    /// Issue 12.1: a target whose backend_start the server hid is refused by default, with the
    /// privilege that would show it; with --allow-pid-only the question says "pid only".
    @Test func aTargetWithAHiddenStartIsRefusedUnlessPidOnlyIsAllowed() {
        var s = state([backend(4001, start: 0, user: "app", age: 30), backend(4002, age: 20)])
        #expect(s.press(.char("k")) == [])
        #expect(s.mode == .table)
        #expect(s.message?.isError == true)
        #expect(s.message?.text == "Terminate refused for 4001: backend_start not visible without pg_read_all_stats or pg_monitor, so a reused pid could not be told apart; --allow-pid-only to terminate by pid only; nothing was sent")
        s.allowPidOnly = true
        s.press(.char("A"), .char("k"))
        guard case .confirm(let c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.question == "Terminate 2 backends (4001, 4002) by PID ONLY? [y/N]")
        #expect(c.warnings.first == "pid only for 1: backend_start hidden (needs pg_read_all_stats or pg_monitor), a session given the same pid would be signalled")
        guard case .signal(.terminate, let sent, pidOnly: true)? = s.press(.char("y")).first else { Issue.record("nothing sent"); return }
        #expect(sent.map(\.id) == [BackendID(pid: 4001, start: 0), BackendID(pid: 4002, start: 1000)])
        // Targets whose start is known are never "pid only".
        s.press(.char("/"), .char("4"), .char("0"), .char("0"), .char("2"), .enter, .char("k"))
        guard case .confirm(let known) = s.mode else { Issue.record("no confirmation"); return }
        #expect(known.question == "Terminate 1 backend (4002)? [y/N]")
        #expect(!known.pidOnly)
    }

    /// Issue 13: `3 A k` under load also marks healthy transactions: the summary gives the
    /// youngest too, and those younger than idle-warn are pointed out.
    @Test func theConfirmationShowsTheYoungestAndWarnsBelowIdleWarn() {
        var s = state([backend(1, state: .idleInTransaction, xact: 440), backend(2, state: .idleInTransaction, xact: 0.4),
                       backend(3, state: .idleInTransaction, xact: 300)])
        s.idleWarn = 60
        s.press(.char("3"), .char("A"), .char("k"))
        guard case .confirm(let c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.summary == "3 idle in transaction, oldest 7:20, youngest 0s")
        #expect(c.warnings == ["1 idle in transaction for less than 1:00 (idle-warn)"])
    }
}
