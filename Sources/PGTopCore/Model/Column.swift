/// A column of the backend table, in display order.
public enum Column: Int, Sendable, CaseIterable, Hashable {
    case pid, database, user, client, application, state, wait, blockedBy, cpu, memory, readRate, writeRate, elapsed, query

    public var title: String {
        switch self {
        case .pid: return "PID"
        case .database: return "DATABASE"
        case .user: return "USER"
        case .client: return "CLIENT"
        case .application: return "APPLICATION"
        case .state: return "STATE"
        case .wait: return "WAIT"
        case .blockedBy: return "BLOCKED BY"
        case .cpu: return "CPU%"
        case .memory: return "RES"
        case .readRate: return "READ/s"
        case .writeRate: return "WRITE/s"
        case .elapsed: return "ELAPSED"
        case .query: return "QUERY"
        }
    }

    /// The name `--sort` takes: `pid`, `blocked-by`, `read-rate`.
    public var optionName: String {
        switch self {
        case .blockedBy: return "blocked-by"
        case .readRate: return "read-rate"
        case .writeRate: return "write-rate"
        default: return String(describing: self)
        }
    }

    /// `pid`, `blocked-by`, `BLOCKED_BY`: the column `--sort` or `--columns` names.
    public static func named(_ name: String) -> Column? {
        let wanted = Substring(name.lowercased().replacingAll("_", with: "-")).trimmingCharacters()
        return allCases.first { $0.optionName == wanted }
    }

    /// `pid,user,elapsed,query`: known names, each once, `query` (the one that takes the rest of
    /// the width) only last; nil otherwise.
    public static func list(_ text: String) -> [Column]? {
        var columns: [Column] = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let column = named(String(name)), !columns.contains(column) else { return nil }
            columns.append(column)
        }
        if let q = columns.firstIndex(of: .query), q != columns.count - 1 { return nil }
        return columns.isEmpty ? nil : columns
    }

    /// The table's columns when nothing else is asked: all of them, the /proc ones showing only
    /// while `H` is on.
    public static let standard: [Column] = allCases

    /// The columns a table shows, in order, from the chosen ones: the /proc ones only with
    /// `host` (and then all four, those not chosen before ELAPSED or at the end).
    public static func shown(_ chosen: [Column], host: Bool) -> [Column] {
        var columns = chosen.filter { host || !$0.isHost }
        if host {
            let missing = allCases.filter { $0.isHost && !columns.contains($0) }
            let at = columns.firstIndex(of: .elapsed) ?? columns.firstIndex(of: .query) ?? columns.count
            columns.insert(contentsOf: missing, at: at)
        }
        return columns
    }

    /// The columns from /proc, shown when pgtop runs on the database host and `H` is on.
    public var isHost: Bool { self == .cpu || self == .memory || self == .readRate || self == .writeRate }

    /// The title used when the column is narrower than `title`.
    public var shortTitle: String {
        switch self {
        case .database: return "DB"
        case .application: return "APP"
        case .blockedBy: return "BLKD BY"
        default: return title
        }
    }

    /// The title on the table for the ELAPSED clock in use: ELAPSED says which (`XACT AGE`).
    public func title(elapsed: ElapsedMode) -> String { self == .elapsed ? elapsed.columnTitle : title }

    /// The short title for the ELAPSED clock in use.
    public func shortTitle(elapsed: ElapsedMode) -> String { self == .elapsed ? elapsed.columnTitle : shortTitle }

    /// Numbers and durations read best right-aligned.
    public var alignRight: Bool { self == .pid || self == .elapsed || isHost }

    /// The order in which a natural sort starts: durations longest first, text A to Z.
    public var defaultDescending: Bool { self == .elapsed || self == .state || isHost }

    /// The text a cell of this column shows for `backend`.
    public func text(_ backend: Backend, elapsed: ElapsedMode) -> String {
        switch self {
        case .pid: return String(backend.pid)
        case .database: return backend.database
        case .user: return backend.user
        case .client: return backend.client
        case .application: return backend.isClientBackend || !backend.application.isEmpty
            ? backend.application : backend.backendType
        case .state: return backend.state.label
        case .wait: return Column.waitText(backend)
        case .blockedBy: return backend.blockedBy.map(String.init).joined(separator: ",")
        case .cpu: return backend.usage?.cpu.map { Format.quantity($0) } ?? ""
        case .memory: return backend.usage.map { Format.bytes(Double($0.residentBytes)) } ?? ""
        case .readRate: return backend.usage?.readRate.map { Format.bytes($0) } ?? ""
        case .writeRate: return backend.usage?.writeRate.map { Format.bytes($0) } ?? ""
        case .elapsed:
            // An aborted transaction's age since its error: the transaction is older still.
            let lowerBound = elapsed == .transaction && backend.transactionAgeSource == .stateChange
            return (lowerBound ? ">" : "") + Format.duration(backend.age(elapsed))
        case .query: return backend.query
        }
    }

    /// The cell shows nothing: sorted last in either direction (WAIT, BLOCKED BY).
    func isEmptyCell(_ b: Backend) -> Bool {
        switch self {
        case .wait: return Column.waitText(b).isEmpty
        case .blockedBy: return b.blockedBy.isEmpty
        default: return text(b, elapsed: .query).isEmpty
        }
    }

    /// WAIT: the wait event of an active backend (`transactionid`, `DataFileRead`), `waiting`
    /// on servers before 9.6. An idle session's `ClientRead` is what idle means: left out.
    static func waitText(_ b: Backend) -> String {
        if !b.waitEvent.isEmpty {
            if b.state == .idle || b.state.isIdleInTransaction, b.waitEvent == "ClientRead" { return "" }
            return b.waitEvent
        }
        return b.waiting ? "waiting" : ""
    }
}
