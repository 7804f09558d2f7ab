import CNCursesShim
import PGTopCore

/// Style to curses attributes, in one table: the one place to change how pgtop looks.
///
/// Colours are accents on the terminal's own default colours (pair background -1), so dark
/// and light backgrounds both work; bars (selection, sorted column, key hints) are black on a
/// colour, readable on either. Without colours (a monochrome terminal, `NO_COLOR`) the
/// attributes alone carry the meaning.
struct Theme {
    /// Curses colour numbers; -1 is the terminal's default.
    enum Color: Int16 {
        case `default` = -1, black = 0, red = 1, green = 2, yellow = 3, blue = 4, magenta = 5, cyan = 6, white = 7
    }

    /// Attributes that do not need colours.
    struct Attributes: OptionSet {
        let rawValue: UInt8
        static let bold = Attributes(rawValue: 1)
        static let reverse = Attributes(rawValue: 2)
        static let dim = Attributes(rawValue: 4)
        static let underline = Attributes(rawValue: 8)
    }

    /// How a style looks on a terminal with colours, and without.
    struct Look {
        var monochrome: Attributes
        var color: Attributes
        var foreground: Color = .default
        var background: Color = .default
    }

    /// The theme.
    static func look(_ style: Style) -> Look {
        switch style {
        case .normal, .footer:
            return Look(monochrome: [], color: [])
        case .header, .prompt:
            return Look(monochrome: .bold, color: .bold)
        case .warn:
            return Look(monochrome: .bold, color: .bold, foreground: .yellow)
        case .alarm:
            return Look(monochrome: [.bold, .reverse], color: .bold, foreground: .red)
        case .columnTitle:
            return Look(monochrome: .reverse, color: .reverse)
        case .sortedColumnTitle:
            return Look(monochrome: [.reverse, .bold], color: .bold, foreground: .black, background: .cyan)
        case .selected:
            return Look(monochrome: .reverse, color: [], foreground: .black, background: .cyan)
        case .marked:
            return Look(monochrome: [.bold, .underline], color: .bold, foreground: .yellow)
        case .selectedMarked:
            return Look(monochrome: [.reverse, .bold, .underline], color: .bold, foreground: .black, background: .yellow)
        case .stuck:
            return Look(monochrome: .bold, color: [], foreground: .red)
        case .dim:
            return Look(monochrome: .dim, color: .dim)
        case .footerKey:
            return Look(monochrome: .reverse, color: [], foreground: .black, background: .cyan)
        }
    }

    /// Whether styles are drawn with colours.
    let colors: Bool
    private let attributes: [Style: UInt32]

    /// With `colors`, defines one colour pair per style (start_color and use_default_colors
    /// must have succeeded).
    init(colors: Bool) {
        self.colors = colors
        var table: [Style: UInt32] = [:]
        for (index, style) in Style.allCases.enumerated() {
            let look = Self.look(style)
            var value = Self.curses(colors ? look.color : look.monochrome)
            if colors && (look.foreground != .default || look.background != .default) {
                let pair = Int16(index + 1)
                init_pair(pair, look.foreground.rawValue, look.background.rawValue)
                value |= pgtop_color_pair(pair)
            }
            table[style] = value
        }
        attributes = table
    }

    /// Colour pairs the theme needs, besides pair 0.
    static var pairsNeeded: Int { Style.allCases.count }

    /// The curses attributes (colour pair included) for `style`.
    func attribute(_ style: Style) -> UInt32 { attributes[style] ?? pgtop_attr_normal() }

    private static func curses(_ attributes: Attributes) -> UInt32 {
        var value = pgtop_attr_normal()
        if attributes.contains(.bold) { value |= pgtop_attr_bold() }
        if attributes.contains(.reverse) { value |= pgtop_attr_reverse() }
        if attributes.contains(.dim) { value |= pgtop_attr_dim() }
        if attributes.contains(.underline) { value |= pgtop_attr_underline() }
        return value
    }
}
