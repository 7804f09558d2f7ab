/// The role of a piece of text on screen; the terminal layer maps each role to attributes
/// and colours, the core never names a colour.
public enum Style: Sendable, Hashable, CaseIterable {
    case normal
    /// Title line and figures at the top.
    case header
    /// A figure that needs attention (few free slots, long idle transaction).
    case warn
    /// A figure that is an alarm (no free slots, connection lost).
    case alarm
    /// The table's column titles, and the sorted column's title.
    case columnTitle
    case sortedColumnTitle
    /// The selected row; a marked row; a row both selected and marked.
    case selected
    case marked
    case selectedMarked
    /// A stuck row (idle in transaction for longer than the threshold).
    case stuck
    /// Stale data (paused, connection lost).
    case dim
    /// The key hints and messages at the bottom; prompts.
    case footer
    case footerKey
    case prompt
}

/// A run of text in one style. The text is already sanitised: printable, no control bytes.
public struct Span: Sendable, Equatable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .normal) {
        self.text = text
        self.style = style
    }
}

/// One screen line: spans drawn left to right from column 0. Its width in terminal cells
/// never exceeds the width it was laid out for; the rest of the line is blank.
public struct StyledLine: Sendable, Equatable {
    public var spans: [Span]
    /// The style of the blank cells after the last span (a selected row is highlighted to the
    /// right edge).
    public var fill: Style

    public init(_ spans: [Span] = [], fill: Style = .normal) {
        self.spans = spans
        self.fill = fill
    }

    public init(_ text: String, _ style: Style = .normal) {
        self.init([Span(text, style)], fill: style == .normal ? .normal : style)
    }

    /// The plain text, as a screen capture would show it.
    public var text: String { spans.map(\.text).joined() }
}

/// What the core renders: exactly `height` lines for a `width`-cell terminal, and where the
/// cursor belongs (when a prompt is open).
public struct Frame: Sendable, Equatable {
    public var lines: [StyledLine]
    public var cursor: (row: Int, column: Int)?

    public init(lines: [StyledLine], cursor: (row: Int, column: Int)? = nil) {
        self.lines = lines
        self.cursor = cursor
    }

    public static func == (a: Frame, b: Frame) -> Bool {
        a.lines == b.lines && a.cursor?.row == b.cursor?.row && a.cursor?.column == b.cursor?.column
    }

    public var text: String { lines.map(\.text).joined(separator: "\n") }
}
