import ArgumentParser
import PGTopCore

/// The display flags the screen and `pgtop replay` share: the first view, the filter, the
/// threshold, the sort, the clock, the columns, colours and mouse. Each is the setting of the
/// same name, checked with the config file's words for a bad value.
struct DisplayOptions: ParsableArguments {
    @Option(help: ArgumentHelp("First view: all, active, idle-in-transaction, waiting, blocking (default all).", valueName: "view"))
    var view: String?

    @Option(help: ArgumentHelp("Only backends whose pid, database, user, application, client, state or query contains this (any case).", valueName: "text"))
    var filter: String?

    @Option(help: ArgumentHelp("Only backends older than this by the ELAPSED clock: 90, 90s, 5m, 2h, 1d (on the screen: m).", valueName: "duration"))
    var minDuration: String?

    @Option(help: ArgumentHelp("Sort column: pid, database, user, client, application, state, wait, blocked-by, cpu, memory, read-rate, write-rate, elapsed, query (natural direction; default elapsed).", valueName: "column"))
    var sort: String?

    @Option(help: ArgumentHelp("ELAPSED since the query start, transaction start, state change (idle for) or backend start: query, transaction, state, backend (default query).", valueName: "clock"))
    var elapsed: String?

    @Option(help: ArgumentHelp("The table's columns, in order, comma-separated (query, if given, last); e.g. pid,user,state,elapsed,query.", valueName: "list"))
    var columns: String?

    @Flag(help: "No colours: bold, reverse and underline only (as when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "Leave the mouse to the terminal (no click to select or sort, no wheel).")
    var noMouse = false

    /// Puts the flags given into `s`.
    func put(into s: inout Settings) throws {
        try Self.read("view", view.map(SettingValue.string), into: &s)
        try Self.read("filter", filter.map(SettingValue.string), into: &s)
        try Self.read("min-duration", minDuration.map(SettingValue.string), into: &s)
        try Self.read("sort", sort.map(SettingValue.string), into: &s)
        try Self.read("elapsed", elapsed.map(SettingValue.string), into: &s)
        try Self.read("columns", columns.map(SettingValue.string), into: &s)
        if noColor { s.color = false }
        if noMouse { s.mouse = false }
    }

    /// One flag's value as the setting `name`; a bad value is a usage error in the config
    /// file's words (`--sort: expected one of ...`).
    static func read(_ name: String, _ value: SettingValue?, into s: inout Settings) throws {
        guard let value else { return }
        do { try SettingKey.named(name)!.read(value, into: &s) } catch { throw ValidationError("--\(error)") }
    }
}
