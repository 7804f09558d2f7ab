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
    /// A mouse button press or a wheel turn, at a cell of the screen.
    case mouse(Mouse)
    /// The terminal's bracketed paste: what comes between `pasteBegin` and `pasteEnd` was pasted,
    /// not typed. It is text for a prompt, never keys to act on.
    case pasteBegin, pasteEnd

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
        case .pasteBegin, .pasteEnd: return "paste"
        case .mouse(let m): return m.kind == .press ? "Click" : "Wheel"
        }
    }
}

/// What the mouse did, and where: `x` the column, `y` the row, both from 0 at the top left.
public struct Mouse: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case press, wheelUp, wheelDown }
    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
