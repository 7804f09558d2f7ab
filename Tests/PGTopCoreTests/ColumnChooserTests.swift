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
        let order = ColumnChooser.list([.pid, .query])
        #expect(ColumnChooser.toggle(.user, in: [.pid, .query], order: order) == [.pid, .user, .query])
        #expect(ColumnChooser.toggle(.query, in: [.pid], order: ColumnChooser.list([.pid])) == [.pid, .query])
        #expect(ColumnChooser.toggle(.pid, in: [.pid, .query], order: order) == [.query])
        #expect(ColumnChooser.toggle(.query, in: [.query], order: ColumnChooser.list([.query])) == [.query])
    }

    @Test func moveNeverPassesQuery() {
        let order: [Column] = [.pid, .user, .query, .database]
        #expect(ColumnChooser.move(at: 1, by: -1, in: order) == [.user, .pid, .query, .database])
        #expect(ColumnChooser.move(at: 1, by: 1, in: order) == order)
        #expect(ColumnChooser.move(at: 2, by: -1, in: order) == order)
        #expect(ColumnChooser.move(at: 0, by: -1, in: order) == order)
    }

    /// Issue 13.8: hiding moved the column (and the cursor) to the end of the list, so the next
    /// Space hid a different column. Now both stay; Space again shows it again in its place.
    @Test func hidingKeepsTheColumnsPlaceAndTheCursor() {
        var s = AppState()
        s.receive(Snapshot(backends: [backend(7)]))
        s.columns = Column.standard
        _ = s.handle(.char("C"))
        _ = s.handle(.down)
        _ = s.handle(.down)                       // USER, third
        let list = ColumnChooser.entries(s.columns).map(\.column)
        _ = s.handle(.char(" "))                  // hidden
        #expect(!s.columns.contains(.user))
        guard case .columns(let cursor, let order) = s.mode else { Issue.record("chooser closed"); return }
        #expect(cursor == 2)
        #expect(order == list)
        let screen = ScreenLayout.render(s, width: 100, height: 30).lines.map(\.text)
        let third = screen.firstIndex { $0.hasPrefix(" [x] DATABASE ") }.map { screen[$0 + 1] } ?? ""
        #expect(third.hasPrefix(" [ ] USER "), "\(screen)")
        _ = s.handle(.char(" "))                  // the same column again: shown, back in its place
        #expect(s.columns == Column.standard)
        _ = s.handle(.down)
        _ = s.handle(.char(" "))                  // the next one down is the next one hidden
        #expect(s.columns == Column.standard.filter { $0 != list[3] })
    }

    @Test func keysOnTheScreen() {
        var s = AppState()
        s.receive(Snapshot(backends: [backend(7, user: "alice", age: 5)]))
        _ = s.handle(.function(2))
        #expect(s.mode == .columns(cursor: 0, order: ColumnChooser.list(s.columns)))
        var frame = ScreenLayout.render(s, width: 100, height: 30)
        #expect(frame.lines.contains { $0.text.hasPrefix(" [x] PID ") })
        #expect(frame.lines.contains { $0.text.contains("Space Show/hide") })
        _ = s.handle(.down)                 // DATABASE
        _ = s.handle(.char(" "))            // hidden
        #expect(!s.columns.contains(.database))
        #expect(s.mode == .columns(cursor: 1, order: ColumnChooser.list(Column.standard)))
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
