import Glibc
import PGTopCore

/// The view, filter, sort and output options of the command line, checked, and how they set
/// up the state: the screen starts with them, `--once` prints what they select.
struct ScriptOptions {
    var view: View
    var filter: String
    var sort: SortOrder
    var elapsed: ElapsedMode
    var minDuration: Double?
    var format: ExportFormat

    func apply(to state: inout AppState) {
        state.filter.view = view
        state.filter.text = filter
        state.sort = sort
        state.elapsed = elapsed
        state.minDuration = minDuration
    }

    static func view(_ name: String) -> View? {
        ["all": .all, "active": .active, "idle-in-transaction": .idleInTransaction, "waiting": .waiting,
         "blocking": .blocking][name.lowercased()]
    }

    static func column(_ name: String) -> Column? {
        let wanted = name.lowercased().replacingAll("_", with: "-")
        return Column.allCases.first { $0.optionName == wanted }
    }

    /// `90`, `90s`, `5m`, `2h`, `1d` (also `1.5h`) in seconds; nil when it is none of those.
    static func duration(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var number = Substring(text.lowercased())
        var unit = 1.0
        if let last = number.last, let u = units[last] {
            unit = u
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return value * unit
    }
}

/// `--once` and `--iterations`: snapshots printed to stdout, no terminal needed.
enum Script {
    /// Prints `count` snapshots `interval` seconds apart; true when any had a row.
    static func run(session: Session, options: ScriptOptions, count: Int, interval: Double) throws -> Bool {
        var matched = false
        var state = AppState(interval: interval)
        state.server = session.server
        options.apply(to: &state)
        for i in 0..<count {
            if i > 0 { usleep(UInt32(interval * 1_000_000)) }
            state.receive(Snapshot(backends: try session.fetchOnce()))
            matched = matched || !state.rows.isEmpty
            let text = Export.render(state.rows, as: options.format, elapsed: options.elapsed, header: i == 0 || options.format == .table)
            if options.format == .table && count > 1 && i > 0 { Console.out("") }
            Console.out(text, newline: false)
        }
        return matched
    }
}
