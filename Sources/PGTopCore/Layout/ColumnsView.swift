/// The column chooser in place of the table: every column, shown ones first in their order,
/// each with a box and what it holds; the cursor's line highlighted.
enum ColumnsView {
    static func lines(_ state: AppState, cursor: Int, width: Int, height: Int) -> [StyledLine] {
        guard height > 0 else { return [] }
        let ascii = state.asciiOnly
        let entries = ColumnChooser.entries(state.columns)
        var lines = [Line.fit([Span(" Columns: Space shows or hides, [ ] (F7 F8) move, Enter done, S saves to the config file", .columnTitle)],
                              width: width, fill: .columnTitle, ascii: ascii)]
        // Keep the cursor on screen.
        let rows = max(1, height - 1)
        let first = max(0, min(cursor - rows / 2, entries.count - rows))
        for (index, entry) in entries.enumerated().dropFirst(first).prefix(rows) {
            let box = entry.shown ? "[x]" : "[ ]"
            let text = " \(box) " + Padding.pad(entry.column.title, to: 12) + " " + about(entry.column)
            let style: Style = index == cursor ? .selected : (entry.shown ? .normal : .dim)
            lines.append(Line.fit([Span(text, style)], width: width, fill: index == cursor ? .selected : .normal, ascii: ascii))
        }
        return lines
    }

    static func about(_ column: Column) -> String {
        switch column {
        case .pid: return "process id of the backend"
        case .database: return "database it is connected to"
        case .user: return "role it logged in as"
        case .client: return "client address, local for a Unix socket"
        case .application: return "application_name (or the kind of background process)"
        case .state: return "active, idle, idle in transaction, ..."
        case .wait: return "what it waits for (lock, I/O, ...)"
        case .blockedBy: return "pids holding the lock it waits for"
        case .cpu: return "CPU% from /proc (on the database host, with H)"
        case .memory: return "resident memory from /proc (with H)"
        case .readRate: return "bytes read per second from /proc (with H)"
        case .writeRate: return "bytes written per second from /proc (with H)"
        case .elapsed: return "since query, transaction, state change or backend start (T)"
        case .query: return "the query text; takes the rest of the width, always last"
        }
    }
}
