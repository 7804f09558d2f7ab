/// The column chooser, as htop's Setup > Columns: every column in a list, the shown ones first
/// in their order, then the hidden ones. Space shows or hides the one under the cursor, `[` `]`
/// (or F7 F8) move it up or down the order, Enter or Esc closes; `S` then saves the result.
///
///     ColumnChooser.entries([.pid, .elapsed, .query])
///     // [(pid, true), (elapsed, true), (query, true), (database, false), (user, false), ...]
public enum ColumnChooser {
    public struct Entry: Sendable, Equatable {
        public var column: Column
        public var shown: Bool
    }

    /// The list for the columns now chosen.
    public static func entries(_ chosen: [Column]) -> [Entry] {
        chosen.map { Entry(column: $0, shown: true) }
            + Column.allCases.filter { !chosen.contains($0) }.map { Entry(column: $0, shown: false) }
    }

    /// Shows or hides `column`: shown again, it goes before QUERY (which stays last); the last
    /// column shown cannot go.
    static func toggle(_ column: Column, in chosen: [Column]) -> [Column] {
        var columns = chosen
        if let at = columns.firstIndex(of: column) {
            if columns.count > 1 { columns.remove(at: at) }
        } else if column == .query {
            columns.append(.query)
        } else {
            columns.insert(column, at: columns.firstIndex(of: .query) ?? columns.count)
        }
        return columns
    }

    /// Moves a shown column one place earlier (`by: -1`) or later (`by: 1`); QUERY stays last.
    static func move(_ column: Column, by step: Int, in chosen: [Column]) -> [Column] {
        guard column != .query, let at = chosen.firstIndex(of: column) else { return chosen }
        let to = at + step
        guard chosen.indices.contains(to), chosen[to] != .query else { return chosen }
        var columns = chosen
        columns.swapAt(at, to)
        return columns
    }
}

extension AppState {
    mutating func handleColumnsKey(_ key: Key, cursor: Int) -> [Effect] {
        let entries = ColumnChooser.entries(columns)
        let cursor = max(0, min(cursor, entries.count - 1))
        let column = entries[cursor].column
        switch key {
        case .up: mode = .columns(cursor: max(0, cursor - 1))
        case .down: mode = .columns(cursor: min(entries.count - 1, cursor + 1))
        case .home, .char("g"): mode = .columns(cursor: 0)
        case .end, .char("G"): mode = .columns(cursor: entries.count - 1)
        case .char(" "):
            columns = ColumnChooser.toggle(column, in: columns)
            mode = .columns(cursor: ColumnChooser.entries(columns).firstIndex { $0.column == column } ?? cursor)
        case .char("["), .function(7), .char("]"), .function(8):
            let step = key == .char("[") || key == .function(7) ? -1 : 1
            columns = ColumnChooser.move(column, by: step, in: columns)
            mode = .columns(cursor: ColumnChooser.entries(columns).firstIndex { $0.column == column } ?? cursor)
        case .enter, .escape, .char("q"), .char("C"), .function(2):
            mode = .table
        case .char("S"):
            return [.saveLayout(Settings.layout(of: self))]
        case .ctrl("c"), .function(10):
            return [.quit]
        default:
            break
        }
        return []
    }
}
