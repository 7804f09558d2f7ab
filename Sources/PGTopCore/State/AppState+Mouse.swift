/// The mouse, as in htop: a click on a row selects it, a click on a column title sorts by that
/// column (again: the other way), the wheel moves the selection three rows.
extension AppState {
    /// Rows the wheel moves per notch.
    static let wheelStep = 3

    mutating func handle(_ mouse: Mouse) -> [Effect] {
        switch mode {
        case .table:
            return handleTableMouse(mouse)
        case .detail(let id, let scroll):
            switch mouse.kind {
            case .wheelUp: mode = .detail(id, scroll: max(0, scroll - Self.wheelStep))
            case .wheelDown: mode = .detail(id, scroll: scroll + Self.wheelStep)
            case .press: break
            }
        case .help(var position):
            // The wheel scrolls the help; a click closes it.
            switch mouse.kind {
            case .wheelUp: position.scroll = max(0, position.scroll - Self.wheelStep)
            case .wheelDown:
                let last = max(0, HelpView.entries(self).count - HelpView.room(height: screen.height))
                position.scroll = min(last, position.scroll + Self.wheelStep)
            case .press:
                mode = .table
                return []
            }
            mode = .help(position)
        case .filter, .minDuration, .replayTime, .confirm, .columns:
            break  // a prompt waits for its keys: a stray click must not answer it
        }
        return []
    }

    mutating func handleTableMouse(_ mouse: Mouse) -> [Effect] {
        switch mouse.kind {
        case .wheelUp: select(selectedIndex - Self.wheelStep)
        case .wheelDown: select(selectedIndex + Self.wheelStep)
        case .press:
            let (width, height) = screen
            guard width >= ScreenLayout.minimumWidth, height >= ScreenLayout.minimumHeight else { break }
            let g = ScreenLayout.geometry(height: height, stats: showStats, timeline: replay != nil)
            let titleRow = g.headerLines + g.timelineLines
            if mouse.y == titleRow {
                let (layout, _) = TableView.layout(self, width: width, height: g.tableLines)
                guard let column = layout.column(at: mouse.x) else { break }
                if column == sort.column {
                    sort.descending.toggle()
                } else {
                    sort = SortOrder(column: column, descending: column.defaultDescending)
                }
                recompute()
            } else if mouse.y > titleRow && mouse.y < titleRow + g.tableLines {
                let index = scroll + mouse.y - titleRow - 1
                if index < rows.count { select(index) }
            }
        }
        return []
    }
}
