/// Which backends the table shows: the view, the text filter, idle and background toggles.
public struct Filter: Sendable, Equatable {
    /// Case-insensitive substring over pid, database, user, application, client, state and query.
    public var text: String = ""
    public var showIdle: Bool = true
    public var showBackground: Bool = false
    public var view: View = .all

    public init(text: String = "", showIdle: Bool = true, showBackground: Bool = false, view: View = .all) {
        self.text = text
        self.showIdle = showIdle
        self.showBackground = showBackground
        self.view = view
    }

    /// Keeps the backends that pass every part of the filter, in their order.
    public func apply(_ backends: [Backend]) -> [Backend] {
        kept(backends).map { backends[$0] }
    }

    /// The indices of the backends that pass, in order: no backend is copied. `withText: false`
    /// leaves the text out (the blocking tree applies it to whole trees: `matchesText`).
    func kept(_ backends: [Backend], withText: Bool = true) -> [Int] {
        let needle = Needle(withText ? text : "")
        var out: [Int] = []
        out.reserveCapacity(backends.count)
        backends.withUnsafeBufferPointer { b in
            for i in b.indices where matches(b[i], needle: needle) { out.append(i) }
        }
        return out
    }

    public func matches(_ b: Backend) -> Bool { matches(b, needle: Needle(text)) }

    func matches(_ b: Backend, needle: Needle) -> Bool {
        if !showBackground && !b.isClientBackend { return false }
        if !showIdle && b.state == .idle && view != .idleInTransaction && view != .blocking { return false }
        if !view.includes(b) { return false }
        return matchesText(b, needle: needle)
    }

    /// The text part alone: pid, database, user, application, client, state or query.
    func matchesText(_ b: Backend, needle: Needle) -> Bool {
        if needle.isEmpty { return true }
        for field in [b.database, b.user, b.application, b.client, b.state.label, b.query] {
            if needle.found(in: field) { return true }
        }
        if b.state.isIdleInTransaction && needle.found(in: b.state.fullLabel) { return true }
        return needle.couldBePid && needle.found(in: String(b.pid))
    }
}

/// A case-insensitive search string. ASCII needles (the usual case) are matched on UTF-8
/// bytes, cheap enough for thousands of rows per refresh; others through full lowercasing.
struct Needle {
    let bytes: [UInt8]
    /// All digits: worth comparing with pids.
    var couldBePid: Bool { !bytes.isEmpty && bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    let lowered: String?

    init(_ text: String) {
        bytes = text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        lowered = bytes.allSatisfy { $0 < 0x80 } ? nil : text.lowercased()
    }

    var isEmpty: Bool { bytes.isEmpty }

    func found(in haystack: String) -> Bool {
        if let lowered { return haystack.lowercased().contains(lowered) }
        return Needle.contains(haystack, bytes)
    }

    static func contains(_ haystack: String, _ needle: [UInt8]) -> Bool {
        var hay = haystack
        return hay.withUTF8 { buf -> Bool in
            let n = needle.count
            if n > buf.count { return false }
            let first = needle[0]
            var i = 0
            let last = buf.count - n
            while i <= last {
                let c = buf[i] >= 65 && buf[i] <= 90 ? buf[i] + 32 : buf[i]
                if c == first {
                    var j = 1
                    while j < n {
                        let d = buf[i + j] >= 65 && buf[i + j] <= 90 ? buf[i + j] + 32 : buf[i + j]
                        if d != needle[j] { break }
                        j += 1
                    }
                    if j == n { return true }
                }
                i += 1
            }
            return false
        }
    }
}

/// The views on number keys: `1` all, `2` active, `3` idle in transaction, `4` waiting for a lock,
/// `5` the blocking tree (who blocks whom; the rows in tree order rather than sorted).
public enum View: Int, Sendable, CaseIterable {
    case all = 1, active, idleInTransaction, waiting, blocking

    public var title: String {
        switch self {
        case .all: return "all"
        case .active: return "active"
        case .idleInTransaction: return "idle in transaction"
        case .waiting: return "waiting for a lock"
        case .blocking: return "blocking tree"
        }
    }

    /// The name `--view` and the config file take: `idle-in-transaction`.
    public var optionName: String {
        switch self {
        case .all: return "all"
        case .active: return "active"
        case .idleInTransaction: return "idle-in-transaction"
        case .waiting: return "waiting"
        case .blocking: return "blocking"
        }
    }

    public static func named(_ name: String) -> View? { allCases.first { $0.optionName == name.lowercased() } }

    func includes(_ b: Backend) -> Bool {
        switch self {
        case .all: return true
        case .active: return b.state == .active || b.state == .fastpath
        case .idleInTransaction: return b.state.isIdleInTransaction
        case .waiting: return b.waiting
        case .blocking: return true  // the tree decides, over every row that passes the rest; the text picks whole trees
        }
    }
}
