/// The column chooser, as htop's Setup > Columns: every column in a list, the shown ones first
/// in their order, then the hidden ones. Space shows or hides the one under the cursor, `[` `]`
/// (or F7 F8) move it up or down the list, Enter or Esc closes; `S` then saves the result.
/// While the chooser is open the list keeps its order (`Mode.columns(cursor:order:)`): a column
/// hidden or shown stays where it is, and so does the cursor.
///
///     ColumnChooser.entries([.pid, .elapsed, .query])
///     // [(pid, true), (elapsed, true), (query, true), (database, false), (user, false), ...]
public enum ColumnChooser {
    public struct Entry: Sendable, Equatable {
        public var column: Column
        public var shown: Bool
    }

    /// The list when the chooser opens: the columns now chosen, then the others.
    public static func list(_ chosen: [Column]) -> [Column] {
        chosen + Column.allCases.filter { !chosen.contains($0) }
    }

    /// The entries of `order` (the list as it is while the chooser is open).
    public static func entries(_ chosen: [Column], order: [Column]? = nil) -> [Entry] {
        (order ?? list(chosen)).map { Entry(column: $0, shown: chosen.contains($0)) }
    }

    /// The columns shown, in the list's order, QUERY last.
    static func chosen(_ shown: Set<Column>, in order: [Column]) -> [Column] {
        let columns = order.filter { shown.contains($0) && $0 != .query }
        return shown.contains(.query) ? columns + [.query] : columns
    }

    /// Shows or hides `column`, in place in the list; the last column shown cannot go.
    static func toggle(_ column: Column, in chosen: [Column], order: [Column]) -> [Column] {
        var shown = Set(chosen)
        if shown.contains(column) {
            if shown.count > 1 { shown.remove(column) }
        } else {
            shown.insert(column)
        }
        return Self.chosen(shown, in: order)
    }

    /// The list with the entry at `index` moved one place earlier (`by: -1`) or later (`by: 1`);
    /// QUERY does not move and nothing passes it.
    static func move(at index: Int, by step: Int, in order: [Column]) -> [Column] {
        let to = index + step
        guard order.indices.contains(index), order.indices.contains(to), order[index] != .query, order[to] != .query else { return order }
        var list = order
        list.swapAt(index, to)
        return list
    }
}

extension AppState {
    mutating func handleColumnsKey(_ key: Key, cursor: Int, order: [Column]) -> [Effect] {
        let order = order.count == Column.allCases.count ? order : ColumnChooser.list(columns)
        let cursor = max(0, min(cursor, order.count - 1))
        switch key {
        case .up: mode = .columns(cursor: max(0, cursor - 1), order: order)
        case .down: mode = .columns(cursor: min(order.count - 1, cursor + 1), order: order)
        case .home, .char("g"): mode = .columns(cursor: 0, order: order)
        case .end, .char("G"): mode = .columns(cursor: order.count - 1, order: order)
        case .char(" "):
            columns = ColumnChooser.toggle(order[cursor], in: columns, order: order)
            mode = .columns(cursor: cursor, order: order)
        case .char("["), .function(7), .char("]"), .function(8):
            let step = key == .char("[") || key == .function(7) ? -1 : 1
            let moved = ColumnChooser.move(at: cursor, by: step, in: order)
            columns = ColumnChooser.chosen(Set(columns), in: moved)
            mode = .columns(cursor: moved == order ? cursor : cursor + step, order: moved)
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
