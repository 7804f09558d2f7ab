/// What a key does on the help screen, which scrolls and searches like `less`.
public enum HelpAction: Sendable, Equatable {
    case lineUp, lineDown, pageUp, pageDown, top, bottom, search, next, previous, close
}

/// Where the help screen is: the first line shown, the search being typed (`/`), the last one
/// searched for (`n` finds it again) and whether it was found.
public struct HelpPosition: Sendable, Equatable {
    public var scroll = 0
    /// The text after `/`, while it is typed; nil when no search prompt is open.
    public var typing: String?
    public var searched = ""
    public var notFound = false

    public init(scroll: Int = 0) { self.scroll = scroll }
}

extension KeyMap {
    /// The help screen's keys; the help lists them too, so they cannot drift from what they do.
    public struct HelpBinding: Sendable {
        public let keys: [Key]
        public let action: HelpAction
        public let help: String
    }

    public static let helpBindings: [HelpBinding] = [
        HelpBinding(keys: [.up, .char("k")], action: .lineUp, help: "One line up"),
        HelpBinding(keys: [.down, .char("j"), .enter], action: .lineDown, help: "One line down"),
        HelpBinding(keys: [.pageUp, .char("b")], action: .pageUp, help: "One page up"),
        HelpBinding(keys: [.pageDown, .char(" "), .char("f")], action: .pageDown, help: "One page down"),
        HelpBinding(keys: [.home, .char("g")], action: .top, help: "The top"),
        HelpBinding(keys: [.end, .char("G")], action: .bottom, help: "The end"),
        HelpBinding(keys: [.char("/")], action: .search, help: "Search (type the text, then Enter)"),
        HelpBinding(keys: [.char("n")], action: .next, help: "The next line that matches"),
        HelpBinding(keys: [.char("N")], action: .previous, help: "The line before that matches"),
        HelpBinding(keys: [.char("q"), .escape, .function(1), .char("h"), .char("?")], action: .close, help: "Close it"),
    ]

    static let helpTable: [Key: HelpAction] = {
        var table: [Key: HelpAction] = [:]
        for binding in helpBindings {
            for key in binding.keys { table[key] = binding.action }
        }
        return table
    }()

    /// The action bound to `key` on the help screen, if any.
    public static func helpAction(for key: Key) -> HelpAction? { helpTable[key] }
}

extension AppState {
    mutating func handleHelpKey(_ key: Key, at position: HelpPosition) -> [Effect] {
        var p = position
        let lines = HelpView.entries(self)
        let room = HelpView.room(height: screen.height)
        let last = max(0, lines.count - room)
        if var typed = p.typing {
            switch key {
            case .enter:
                p.typing = nil
                if !typed.isEmpty { p.searched = typed }
                p = HelpView.find(p, in: lines, from: p.scroll, forward: true, last: last)
            case .escape: p.typing = nil
            case .backspace, .delete: _ = PromptText.erase(&typed); p.typing = typed
            case .ctrl("c"): return [.quit]
            case .char(let c): _ = PromptText.type(c, into: &typed); p.typing = typed
            default: break
            }
            mode = .help(p)
            return []
        }
        if key == .ctrl("c") || key == .function(10) { return [.quit] }
        guard let action = KeyMap.helpAction(for: key) else { return [] }
        p.notFound = false
        switch action {
        case .lineUp: p.scroll -= 1
        case .lineDown: p.scroll += 1
        case .pageUp: p.scroll -= room
        case .pageDown: p.scroll += room
        case .top: p.scroll = 0
        case .bottom: p.scroll = last
        case .search: p.typing = ""
        case .next, .previous:
            p = HelpView.find(p, in: lines, from: p.scroll + (action == .next ? 1 : -1), forward: action == .next, last: last)
        case .close:
            mode = .table
            return []
        }
        p.scroll = max(0, min(p.scroll, last))
        mode = .help(p)
        return []
    }
}
