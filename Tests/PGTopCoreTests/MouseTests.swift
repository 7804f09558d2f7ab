import Testing
@testable import PGTopCore

/// Clicks and the wheel against the laid-out screen: the row under the pointer, the column
/// title under it.
@Suite struct MouseTests {
    func state() -> AppState {
        var state = AppState()
        state.showStats = false
        state.receive(Snapshot(backends: (1...30).map { backend($0, user: "u\($0 % 3)", age: Double($0)) }))
        state.setScreen(width: 100, height: 24)
        return state
    }

    /// The screen row of the table's title.
    func titleRow(_ state: AppState) -> Int {
        let frame = ScreenLayout.render(state, width: 100, height: 24)
        return frame.lines.firstIndex { $0.text.contains(" PID ") } ?? -1
    }

    /// The cell where `word` starts (the title line is ASCII here).
    func offset(of word: String, in text: String) -> Int {
        let chars = Array(text), w = Array(word)
        return (0...(chars.count - w.count)).first { Array(chars[$0..<$0 + w.count]) == w } ?? -1
    }

    @Test func clickingARowSelectsIt() {
        var s = state()
        let title = titleRow(s)
        #expect(s.selectedBackend?.pid == 30)          // longest first
        _ = s.handle(.mouse(Mouse(.press, x: 10, y: title + 3)))
        #expect(s.selectedIndex == 2)
        #expect(s.selectedBackend?.pid == 28)
        let frame = ScreenLayout.render(s, width: 100, height: 24)
        #expect(frame.lines[title + 3].spans.first?.style == .selected)
        // Below the last row, or on the header: nothing happens.
        _ = s.handle(.mouse(Mouse(.press, x: 10, y: 0)))
        #expect(s.selectedIndex == 2)
    }

    @Test func clickingATitleSortsByItAndAgainInverts() {
        var s = state()
        let title = titleRow(s)
        let text = ScreenLayout.render(s, width: 100, height: 24).lines[title].text
        let userX = offset(of: "USER", in: text)
        _ = s.handle(.mouse(Mouse(.press, x: userX + 1, y: title)))
        #expect(s.sort == SortOrder(column: .user, descending: false))
        _ = s.handle(.mouse(Mouse(.press, x: userX, y: title)))
        #expect(s.sort == SortOrder(column: .user, descending: true))
        let pidX = offset(of: "PID", in: text)
        _ = s.handle(.mouse(Mouse(.press, x: pidX, y: title)))
        #expect(s.sort.column == .pid)
    }

    @Test func theWheelMovesTheSelectionAndScrollsTheDetail() {
        var s = state()
        _ = s.handle(.mouse(Mouse(.wheelDown, x: 0, y: 5)))
        #expect(s.selectedIndex == 3)
        _ = s.handle(.mouse(Mouse(.wheelUp, x: 0, y: 5)))
        _ = s.handle(.mouse(Mouse(.wheelUp, x: 0, y: 5)))
        #expect(s.selectedIndex == 0)
        _ = s.handle(.enter)
        _ = s.handle(.mouse(Mouse(.wheelDown, x: 0, y: 5)))
        if case .detail(_, let scroll) = s.mode { #expect(scroll == 3) } else { Issue.record("not in the detail view") }
    }

    @Test func aClickNeverAnswersAPrompt() {
        var s = state()
        _ = s.handle(.char("k"))
        guard case .confirm = s.mode else { Issue.record("no confirmation"); return }
        #expect(s.handle(.mouse(Mouse(.press, x: 5, y: 10))).isEmpty)
        guard case .confirm = s.mode else { Issue.record("the click answered the prompt"); return }
    }
}
