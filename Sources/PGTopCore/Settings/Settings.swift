/// Every setting a config file, a profile or the command line can give; nil is "not given".
/// Later sources win: built-in defaults, the config file's top level, the chosen profile,
/// then the command line.
///
///     let settings = file.top.overridden(by: file.profiles["prod"]!).overridden(by: flags)
///     settings.apply(to: &state)
public struct Settings: Sendable, Equatable {
    // Where to connect (profiles mostly say only this).
    public var conninfo: String?
    public var host: String?
    public var port: String?
    public var user: String?
    public var dbname: String?
    // The screen and --once.
    public var refresh: Double?
    public var idleWarn: Double?
    public var view: View?
    public var filter: String?
    public var minDuration: Double?
    public var sort: Column?
    /// The sort direction; nil is the column's natural one.
    public var sortDescending: Bool?
    public var elapsed: ElapsedMode?
    public var columns: [Column]?
    public var showIdle: Bool?
    public var showBackground: Bool?
    public var showStats: Bool?
    public var hostColumns: Bool?
    // Looks.
    public var color: Bool?
    public var mouse: Bool?
    public var colors: [Style: StyleSpec]?
    // Scripts and the audit log.
    public var format: ExportFormat?
    public var auditLog: String?
    public var noAuditLog: Bool?
    /// Cancel/terminate a session whose backend_start is hidden by its pid alone.
    public var allowPidOnly: Bool?

    public init() {}

    /// These settings with every value `other` gives put over them. The colour table merges
    /// style by style; a command-line `--sort` without a direction takes the column's own.
    public func overridden(by other: Settings) -> Settings {
        var merged = self
        func take<T>(_ path: WritableKeyPath<Settings, T?>) {
            if let value = other[keyPath: path] { merged[keyPath: path] = value }
        }
        take(\.conninfo); take(\.host); take(\.port); take(\.user); take(\.dbname)
        take(\.refresh); take(\.idleWarn); take(\.view); take(\.filter); take(\.minDuration)
        if other.sort != nil { merged.sortDescending = nil }
        take(\.sort); take(\.sortDescending); take(\.elapsed); take(\.columns)
        take(\.showIdle); take(\.showBackground); take(\.showStats); take(\.hostColumns)
        take(\.color); take(\.mouse); take(\.format); take(\.auditLog); take(\.noAuditLog)
        take(\.allowPidOnly)
        if let colors = other.colors { merged.colors = (merged.colors ?? [:]).merging(colors) { $1 } }
        return merged
    }

    /// The command line's connection over a profile's (these settings), field by field: `-h`,
    /// `-p`, `-U`, `-d` each replace only their own field, so `--profile prod -U other` keeps
    /// prod's host and port; a database name given as the argument is `-d` (unless `-d` is
    /// given too). A conninfo string or URI given as the argument replaces the profile's whole
    /// connection, as it would in psql. Then every other flag over the profile's setting.
    ///
    ///     profile.overridden(byCommandLine: flags)
    public func overridden(byCommandLine flags: Settings) -> Settings {
        var base = self
        var flags = flags
        if let argument = flags.conninfo {
            if Self.isWholeConnection(argument) {
                base.conninfo = nil; base.host = nil; base.port = nil; base.user = nil; base.dbname = nil
            } else {
                flags.conninfo = nil
                flags.dbname = flags.dbname ?? argument
            }
        }
        return base.overridden(by: flags)
    }

    /// A `key=value` conninfo or a `postgresql://` / `postgres://` URI, not a database name.
    public static func isWholeConnection(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") || text.contains("=")
    }

    /// The sort these settings ask for (elapsed, longest first, when they say nothing).
    public var sortOrder: SortOrder {
        let column = sort ?? .elapsed
        return SortOrder(column: column, descending: sortDescending ?? column.defaultDescending)
    }

    /// Sets up the screen's (or --once's) state: view, filter, sort, clock, columns, toggles.
    public func apply(to state: inout AppState) {
        if let refresh { state.interval = refresh }
        if let idleWarn { state.idleWarn = idleWarn }
        state.filter.view = view ?? state.filter.view
        state.filter.text = filter ?? state.filter.text
        if let showIdle { state.filter.showIdle = showIdle }
        if let showBackground { state.filter.showBackground = showBackground }
        state.sort = sortOrder
        state.elapsed = elapsed ?? state.elapsed
        if let columns { state.columns = columns }
        if let showStats { state.showStats = showStats }
        if let hostColumns { state.showHostColumns = hostColumns }
        state.minDuration = minDuration
        if let allowPidOnly { state.allowPidOnly = allowPidOnly }
    }

    /// What `S` writes back: the screen's layout as settings (columns, sort, view, clock, refresh,
    /// toggles, the `m` threshold). The filter text is left out: it is a question of the moment,
    /// not a layout.
    public static func layout(of state: AppState) -> Settings {
        var s = Settings()
        s.minDuration = state.minDuration
        s.columns = state.columns
        s.sort = state.sort.column
        s.sortDescending = state.sort.descending
        s.view = state.filter.view
        s.elapsed = state.elapsed
        s.refresh = state.interval
        s.showIdle = state.filter.showIdle
        s.showBackground = state.filter.showBackground
        s.showStats = state.showStats
        s.hostColumns = state.showHostColumns
        return s
    }

    /// The config keys `S` owns; one the layout leaves unset (`min-duration` after `m` cleared
    /// it) is taken out of the section it saves to, so the file does not bring it back.
    public static let layoutKeys = ["refresh", "view", "min-duration", "sort", "sort-order", "elapsed", "columns",
                                    "show-idle", "show-background", "show-stats", "host-columns"]

    /// The layout keys `layout` has no value for: what `S` removes.
    public static func unsetLayoutKeys(in layout: Settings) -> [String] {
        layoutKeys.filter { SettingKey.named($0)?.value(in: layout) == nil }
    }
}
