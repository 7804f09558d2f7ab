/// The one table that binds keys to actions. The help screen is generated from it, so it can
/// never drift from what the keys do.
public enum KeyMap {
    public struct Binding: Sendable {
        public let keys: [Key]
        public let action: Action
        public let help: String
    }

    public static let bindings: [Binding] = [
        Binding(keys: [.up], action: .moveUp, help: "Move the selection up"),
        Binding(keys: [.down], action: .moveDown, help: "Move the selection down"),
        Binding(keys: [.pageUp], action: .pageUp, help: "One page up"),
        Binding(keys: [.pageDown], action: .pageDown, help: "One page down"),
        Binding(keys: [.home, .char("g")], action: .home, help: "First row"),
        Binding(keys: [.end, .char("G")], action: .end, help: "Last row"),
        Binding(keys: [.char(" ")], action: .toggleMark, help: "Mark or unmark the selected row, then move down"),
        Binding(keys: [.char("A")], action: .markAll, help: "Mark every row shown"),
        Binding(keys: [.char("U")], action: .unmarkAll, help: "Clear all marks"),
        Binding(keys: [.char("k"), .function(9)], action: .terminate,
                help: "Terminate the marked backends, or the selected one (asks first)"),
        Binding(keys: [.char("c")], action: .cancel,
                help: "Cancel the query of the marked backends, or the selected one (asks first)"),
        Binding(keys: [.char("<"), .char(",")], action: .sortLeft, help: "Sort by the column to the left"),
        Binding(keys: [.char(">"), .char("."), .function(6)], action: .sortRight, help: "Sort by the column to the right"),
        Binding(keys: [.char("I")], action: .invertSort, help: "Invert the sort order"),
        Binding(keys: [.char("T")], action: .cycleElapsed,
                help: "ELAPSED since query / transaction start / state change (idle for) / backend start"),
        Binding(keys: [.char("1")], action: .view(.all), help: "View: all backends"),
        Binding(keys: [.char("2")], action: .view(.active), help: "View: active"),
        Binding(keys: [.char("3")], action: .view(.idleInTransaction), help: "View: idle in transaction"),
        Binding(keys: [.char("4")], action: .view(.waiting), help: "View: waiting for a lock"),
        Binding(keys: [.char("5"), .function(5)], action: .view(.blocking), help: "View: blocking tree (who blocks whom)"),
        Binding(keys: [.enter], action: .openDetail,
                help: "Detail of the selected backend: whole query, locks, every field (w saves the query)"),
        Binding(keys: [.char("/"), .function(3), .function(4)], action: .openFilter,
                help: "Filter by database, user, application, client, state, query"),
        Binding(keys: [.char("m")], action: .openMinDuration,
                help: "Show only rows at least this old on the ELAPSED clock: 90s, 5m, 2h; empty clears (--min-duration)"),
        Binding(keys: [.char("i")], action: .toggleIdle, help: "Hide or show idle sessions"),
        Binding(keys: [.char("b")], action: .toggleBackground,
                help: "Show or hide background processes (autovacuum, walsender, ...)"),
        Binding(keys: [.char("H")], action: .toggleHostColumns, help: "CPU%, RES, READ/s, WRITE/s per backend (on the database host)"),
        Binding(keys: [.char("s")], action: .toggleStats, help: "Show or hide the server figures line (rates, cache hit, xmin age)"),
        Binding(keys: [.char("C"), .function(2)], action: .chooseColumns,
                help: "Choose the columns: show, hide and reorder them (S saves them)"),
        Binding(keys: [.char("S")], action: .saveLayout,
                help: "Save the layout (columns, sort, view, clock, threshold, refresh) to the config file"),
        Binding(keys: [.char("+")], action: .slower, help: "Refresh less often"),
        Binding(keys: [.char("-")], action: .faster, help: "Refresh more often"),
        Binding(keys: [.char("Z")], action: .togglePause, help: "Pause or resume updates"),
        Binding(keys: [.ctrl("l")], action: .redraw, help: "Redraw the screen"),
        Binding(keys: [.char("?"), .char("h"), .function(1)], action: .help, help: "This help"),
        Binding(keys: [.char("q"), .ctrl("c"), .function(10)], action: .quit, help: "Quit"),
    ]

    static let table: [Key: Action] = {
        var table: [Key: Action] = [:]
        for binding in bindings {
            for key in binding.keys { table[key] = binding.action }
        }
        return table
    }()

    /// The action bound to `key` in the table view, if any.
    public static func action(for key: Key) -> Action? { table[key] }

    /// How the help screen and footer name an action's keys: `k, F9`.
    public static func keyNames(for action: Action) -> String {
        bindings.first { $0.action == action }?.keys.map(\.name).joined(separator: ", ") ?? ""
    }
}
