import Testing
@testable import PGTopCore

@Suite struct SelectionTests {
    @Test func selectionFollowsTheBackendAcrossRefreshes() {
        var s = state([backend(1, age: 30), backend(2, age: 20), backend(3, age: 10)])
        s.press(.down)
        #expect(s.selectedBackend?.pid == 2)
        // pid 2 becomes the oldest: it moves to the top, and the selection with it
        s.receive(Snapshot(backends: [backend(1, age: 31), backend(2, age: 99), backend(3, age: 11)]))
        #expect(s.selectedBackend?.pid == 2)
        #expect(s.selectedIndex == 0)
    }

    @Test func whenTheSelectedBackendEndsTheNearestRowIsSelected() {
        var s = state([backend(1, age: 30), backend(2, age: 20), backend(3, age: 10)])
        s.press(.down)
        s.receive(Snapshot(backends: [backend(1, age: 31), backend(3, age: 11)]))
        #expect(s.selectedBackend?.pid == 3)
        s.receive(Snapshot(backends: [backend(1, age: 32)]))
        #expect(s.selectedBackend?.pid == 1)
        s.receive(Snapshot(backends: []))
        #expect(s.selectedBackend == nil)
    }

    @Test func movementKeysStopAtTheEnds() {
        var s = state((1...50).map { backend(Int32($0), age: Double(100 - $0)) })
        s.setPageSize(10)
        s.press(.up)
        #expect(s.selectedIndex == 0)
        s.press(.pageDown)
        #expect(s.selectedIndex == 10)
        #expect(s.scroll == 1)
        s.press(.end)
        #expect(s.selectedIndex == 49)
        #expect(s.scroll == 40)
        s.press(.down)
        #expect(s.selectedIndex == 49)
        s.press(.pageUp)
        #expect(s.selectedIndex == 39)
        s.press(.home)
        #expect(s.selectedIndex == 0)
        #expect(s.scroll == 0)
    }

    @Test func sortKeysMoveAndInvert() {
        var s = state([backend(1, user: "b", age: 1), backend(2, user: "a", age: 2)])
        #expect(s.sort == SortOrder(column: .elapsed, descending: true))
        s.press(.char(">"))
        #expect(s.sort.column == .query)
        s.press(.char("<"), .char("<"), .char("<"), .char("<"), .char("<"), .char("<"), .char("<"))
        #expect(s.sort.column == .user)
        #expect(s.rows.map(\.pid) == [2, 1])
        s.press(.char("I"))
        #expect(s.rows.map(\.pid) == [1, 2])
    }

    @Test func elapsedModeCycles() {
        var s = state([])
        s.press(.char("T"))
        #expect(s.elapsed == .transaction)
        s.press(.char("T"))
        #expect(s.elapsed == .state)
        s.press(.char("T"))
        #expect(s.elapsed == .backend)
        s.press(.char("T"))
        #expect(s.elapsed == .query)
    }

    @Test func refreshIntervalStepsAndPause() {
        var s = state([], interval: 1)
        s.press(.char("+"))
        #expect(s.interval == 2)
        s.press(.char("-"), .char("-"), .char("-"), .char("-"), .char("-"), .char("-"))
        #expect(s.interval == 0.1)
        #expect(s.press(.char("Z")) == [])
        #expect(s.paused)
        #expect(s.press(.char("Z")) == [.refreshNow])
        #expect(!s.paused)
    }
}

@Suite struct MarkTests {
    let rows = [backend(1, age: 30), backend(2, age: 20), backend(3, age: 10)]

    @Test func spaceMarksAndMovesDown() {
        var s = state(rows)
        s.press(.char(" "))
        #expect(s.isMarked(BackendID(pid: 1, start: 1000)))
        #expect(s.selectedBackend?.pid == 2)
        s.press(.up, .char(" "))
        #expect(s.marks.isEmpty)
    }

    @Test func markAllMarksOnlyWhatIsShownAndUClears() {
        var s = state(rows + [backend(4, state: .idleInTransaction)])
        s.press(.char("3"), .char("A"))
        #expect(s.marks == [BackendID(pid: 4, start: 1000)])
        s.press(.char("1"), .char("A"))
        #expect(s.marks.count == 4)
        s.press(.char("U"))
        #expect(s.marks.isEmpty)
    }

    @Test func marksOfEndedBackendsAreDropped() {
        var s = state(rows)
        s.press(.char("A"))
        // pid 2 ended, and pid 3 was reused by a new backend: neither mark survives
        s.receive(Snapshot(backends: [backend(1, age: 31), backend(3, start: 2000, age: 1)]))
        #expect(s.marks == [BackendID(pid: 1, start: 1000)])
    }
}

@Suite struct SignalKeyTests {
    let rows = [backend(4211, age: 30), backend(4212, age: 20), backend(4230, age: 10)]

    @Test func terminateTheSelectedRowAfterY() {
        var s = state(rows)
        s.press(.down)
        #expect(s.press(.char("k")) == [])
        guard case .confirm(let c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.question == "Terminate 1 backend (4212)? [y/N]")
        #expect(s.press(.char("y")) == [.signal(.terminate, [rows[1]], pidOnly: false)])
        #expect(s.mode == .table)
    }

    @Test func terminateMarkedRowsNamesThemAll() {
        var s = state(rows)
        s.press(.char("A"), .char("k"))
        guard case .confirm(let c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.question == "Terminate 3 backends (4211, 4212, 4230)? [y/N]")
        #expect(c.summary == "3 idle, oldest 30s, youngest 10s")
    }

    @Test func anythingButYAborts() {
        for key: Key in [.char("n"), .char("Y"), .enter, .escape, .char("k"), .char(" ")] {
            var s = state(rows)
            s.press(.char("c"))
            #expect(s.press(key) == [])
            #expect(s.mode == .table)
            #expect(s.message?.text.contains("aborted") == true)
        }
    }

    @Test func cancelAsksToo() {
        var s = state(rows)
        s.press(.char("c"))
        guard case .confirm(let c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.kind == .cancel)
        #expect(c.question.hasPrefix("Cancel 1 backend (4211)"))
    }

    @Test func nothingSelectedNothingAsked() {
        var s = state([])
        s.press(.char("k"))
        #expect(s.mode == .table)
        #expect(s.message?.isError == true)
    }

    @Test func manyPidsAreShortened() {
        var s = state((1...20).map { backend(Int32($0), state: .idleInTransaction, age: 5, xact: Double($0 * 100)) })
        s.press(.char("3"), .char("A"), .char("k"))
        guard case .confirm(let c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.question == "Terminate 20 backends (1, 2, 3, 4, 5, 6, +14 more)? [y/N]")
        #expect(c.summary == "20 idle in transaction, oldest 33:20, youngest 1:40")
    }

    @Test func warnsAboutLockHoldersAndBackgroundProcesses() {
        var s = state([
            backend(1, state: .idleInTransaction, age: 50),
            backend(2, state: .active, age: 5, waiting: true, blockedBy: [1]),
            backend(3, state: .none, age: 1, type: "autovacuum worker"),
        ])
        s.press(.char("b"), .char("A"), .up, .char("U"))
        s.press(.home, .char(" "), .char("k"))
        guard case .confirm(let c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.targets == [BackendID(pid: 1, start: 1000)])
        #expect(c.warnings == ["1 idle in transaction for less than 1:00 (idle-warn)", "holds locks 1 other session(s) wait for"])
    }

    @Test func warnsAboutSuperusersAndBackgroundTargets() {
        var root = backend(1, user: "postgres", state: .idleInTransaction, age: 50)
        root.superuser = true
        var s = state([root, backend(2, state: .none, age: 1, type: "walsender")])
        s.press(.char("b"), .char("A"), .char("k"))
        guard case .confirm(let c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.warnings == ["1 idle in transaction for less than 1:00 (idle-warn)", "1 superuser session(s) (postgres)", "1 background process(es): walsender"])
    }

    @Test func reportGoesToTheFooterAndTerminatedMarksAreCleared() {
        var s = state(rows)
        s.press(.char("A"))
        s.receive(SignalReport(kind: .terminate, outcomes: [
            (BackendID(pid: 4211, start: 1000), .signalled),
            (BackendID(pid: 4212, start: 1000), .gone),
            (BackendID(pid: 4230, start: 1000), .denied("must be a superuser to terminate superuser process")),
        ]))
        #expect(s.message?.text == "1 terminated, 1 already gone, 1 denied: must be a superuser to terminate superuser process")
        #expect(s.marks == [BackendID(pid: 4230, start: 1000)])
    }
}

@Suite struct FilterPromptTests {
    @Test func slashTypesAFilterEnterKeepsItEscClearsIt() {
        var s = state([backend(1, db: "shop"), backend(2, db: "crm")])
        s.press(.char("/"), .char("s"), .char("H"))
        #expect(s.rows.map(\.pid) == [1])  // filters as it is typed
        s.press(.enter)
        #expect(s.mode == .table)
        #expect(s.filter.text == "sH")
        s.press(.char("k"))  // keys are table keys again
        #expect(s.mode != .table)
        s.press(.char("n"))
        s.press(.char("/"), .escape)
        #expect(s.filter.text == "")
        #expect(s.rows.count == 2)
    }

    @Test func backspaceToEmptyClears() {
        var s = state([backend(1, db: "shop"), backend(2, db: "crm")])
        s.press(.char("/"), .char("x"), .backspace, .enter)
        #expect(s.filter.text == "")
        #expect(s.rows.count == 2)
    }

    @Test func qInThePromptIsText() {
        var s = state([backend(1)])
        #expect(s.press(.char("/"), .char("q")) == [])
        #expect(s.filter.text == "q")
    }
}

@Suite struct KeyMapTests {
    @Test func everyKeyIsBoundOnce() {
        var seen: Set<Key> = []
        for binding in KeyMap.bindings {
            for key in binding.keys {
                #expect(!seen.contains(key), "\(key) bound twice")
                seen.insert(key)
            }
        }
    }

    @Test func theBasicsAreWhereUsersExpectThem() {
        #expect(KeyMap.action(for: .char("q")) == .quit)
        #expect(KeyMap.action(for: .char("k")) == .terminate)
        #expect(KeyMap.action(for: .char(" ")) == .toggleMark)
        #expect(KeyMap.action(for: .function(1)) == .help)
        #expect(KeyMap.action(for: .char("K")) == nil)
    }

    @Test func helpListsEveryBinding() {
        var s = state([])
        s.press(.char("?"))
        let text = ScreenLayout.render(s, width: 120, height: 40).text
        for binding in KeyMap.bindings {
            #expect(text.contains(binding.help))
        }
        s.press(.char("x"))
        #expect(s.mode == .table)
    }

    /// A 24-row terminal: the keys in two columns, every one of them there.
    @Test func helpOnAShortTerminalUsesTwoColumns() {
        var s = state([])
        s.press(.char("?"))
        let frame = ScreenLayout.render(s, width: 160, height: 24)
        #expect(!frame.lines[0].text.contains("more on a taller terminal"))
        for binding in KeyMap.bindings {
            let keys = binding.keys.map(\.name).joined(separator: ", ")
            #expect(frame.lines.contains { $0.text.contains("  " + keys + " ") }, "\(keys)")
        }
        #expect(frame.lines.contains { $0.text.contains("Mouse") })
        // Too narrow for two: one column, and the title says what is missing.
        let narrow = ScreenLayout.render(s, width: 80, height: 24)
        #expect(narrow.lines[0].text.contains("more on a taller terminal"))
    }
}

