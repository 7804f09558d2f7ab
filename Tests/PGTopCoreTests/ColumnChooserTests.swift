import Testing
@testable import PGTopCore

/// `C` / F2: show, hide and reorder columns on the screen; `S` saves what it made.
@Suite struct ColumnChooserTests {
    @Test func theListHasTheShownColumnsFirstInOrder() {
        let e = ColumnChooser.entries([.user, .pid, .query])
        #expect(e.prefix(3).map(\.column) == [.user, .pid, .query])
        #expect(e.prefix(3).allSatisfy { $0.shown })
        #expect(e.count == Column.allCases.count)
        #expect(e.dropFirst(3).allSatisfy { !$0.shown })
    }

    @Test func toggleKeepsQueryLastAndOneColumnShown() {
        #expect(ColumnChooser.toggle(.user, in: [.pid, .query]) == [.pid, .user, .query])
        #expect(ColumnChooser.toggle(.query, in: [.pid]) == [.pid, .query])
        #expect(ColumnChooser.toggle(.pid, in: [.pid, .query]) == [.query])
        #expect(ColumnChooser.toggle(.query, in: [.query]) == [.query])
    }

    @Test func moveNeverPassesQuery() {
        #expect(ColumnChooser.move(.user, by: -1, in: [.pid, .user, .query]) == [.user, .pid, .query])
        #expect(ColumnChooser.move(.user, by: 1, in: [.pid, .user, .query]) == [.pid, .user, .query])
        #expect(ColumnChooser.move(.query, by: -1, in: [.pid, .user, .query]) == [.pid, .user, .query])
        #expect(ColumnChooser.move(.pid, by: -1, in: [.pid, .user, .query]) == [.pid, .user, .query])
    }

    @Test func keysOnTheScreen() {
        var s = AppState()
        s.receive(Snapshot(backends: [backend(7, user: "alice", age: 5)]))
        _ = s.handle(.function(2))
        #expect(s.mode == .columns(cursor: 0))
        var frame = ScreenLayout.render(s, width: 100, height: 30)
        #expect(frame.lines.contains { $0.text.hasPrefix(" [x] PID ") })
        #expect(frame.lines.contains { $0.text.contains("Space Show/hide") })
        _ = s.handle(.down)                 // DATABASE
        _ = s.handle(.char(" "))            // hidden
        #expect(!s.columns.contains(.database))
        #expect(s.mode == .columns(cursor: ColumnChooser.entries(s.columns).firstIndex { $0.column == .database }!))
        frame = ScreenLayout.render(s, width: 100, height: 30)
        #expect(frame.lines.contains { $0.text.hasPrefix(" [ ] DATABASE ") })
        _ = s.handle(.up)                   // back to the first shown... the cursor follows the list
        _ = s.handle(.escape)
        #expect(s.mode == .table)
        frame = ScreenLayout.render(s, width: 100, height: 30)
        let title = frame.lines.first { $0.text.contains(" PID ") }?.text ?? ""
        #expect(!title.contains("DATABASE") && !title.contains(" DB "))

        _ = s.handle(.char("C"))
        _ = s.handle(.down)                 // USER (second now)
        _ = s.handle(.char("["))            // before PID
        #expect(s.columns.prefix(2) == [.user, .pid])
        #expect(s.handle(.char("S")) == [.saveLayout(Settings.layout(of: s))])
        #expect(Settings.layout(of: s).columns?.prefix(2) == [.user, .pid])
    }
}
