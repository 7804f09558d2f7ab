/// A key press as the core sees it, decoded by the terminal layer.
public enum Key: Sendable, Hashable {
    /// A printable character (`k`, `/`, `A`, space is `.char(" ")`).
    case char(Character)
    /// Ctrl plus a letter, lowercase: Ctrl-C is `.ctrl("c")`.
    case ctrl(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab
    /// Function keys F1...F12.
    case function(Int)
    /// The terminal changed size.
    case resize

    /// How the help screen names the key.
    public var name: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .tab: return "Tab"
        case .function(let n): return "F\(n)"
        case .resize: return "resize"
        }
    }
}
