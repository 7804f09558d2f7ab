import CNCursesShim
import PGTopCore

/// Style to curses attributes, in one table: the one place to change how pgtop looks.
///
/// Colours are accents on the terminal's own default colours (pair background -1), so dark
/// and light backgrounds both work; bars (selection, sorted column, key hints) are black on a
/// colour, readable on either. On a 256-colour terminal some accents use mid tones from the
/// 256 palette that read on both backgrounds (orange rather than yellow text). Without colours
/// (a monochrome terminal, `NO_COLOR`, `--no-color`) the attributes alone carry the meaning.
/// The config file's `[colors]` table replaces a style's colour look; a look that needs more
/// colours than the terminal has is ignored for the built-in one.
struct Theme {
    /// Curses colour numbers: the 8 basic ones; -1 is the terminal's default.
    enum Color {
        static let `default`: Int16 = -1, black: Int16 = 0, red: Int16 = 1, green: Int16 = 2, yellow: Int16 = 3,
                   blue: Int16 = 4, magenta: Int16 = 5, cyan: Int16 = 6, white: Int16 = 7
    }

    /// Attributes that do not need colours.
    struct Attributes: OptionSet, Equatable {
        let rawValue: UInt8
        static let bold = Attributes(rawValue: 1)
        static let reverse = Attributes(rawValue: 2)
        static let dim = Attributes(rawValue: 4)
        static let underline = Attributes(rawValue: 8)
    }

    /// How a style looks on a terminal with colours, and without.
    struct Look: Equatable {
        var monochrome: Attributes
        var color: Attributes
        var foreground: Int16 = Color.default
        var background: Int16 = Color.default
    }

    /// The theme on 8 colours (and without any).
    static func look(_ style: Style) -> Look {
        switch style {
        case .normal, .footer:
            return Look(monochrome: [], color: [])
        case .header, .prompt:
            return Look(monochrome: .bold, color: .bold)
        case .warn:
            return Look(monochrome: .bold, color: .bold, foreground: Color.yellow)
        case .alarm:
            return Look(monochrome: [.bold, .reverse], color: .bold, foreground: Color.red)
        case .columnTitle:
            return Look(monochrome: .reverse, color: .reverse)
        case .sortedColumnTitle:
            return Look(monochrome: [.reverse, .bold], color: .bold, foreground: Color.black, background: Color.cyan)
        case .selected:
            return Look(monochrome: .reverse, color: [], foreground: Color.black, background: Color.cyan)
        case .marked:
            return Look(monochrome: [.bold, .underline], color: .bold, foreground: Color.yellow)
        case .selectedMarked:
            return Look(monochrome: [.reverse, .bold, .underline], color: .bold, foreground: Color.black, background: Color.yellow)
        case .stuck:
            return Look(monochrome: .bold, color: [], foreground: Color.red)
        case .dim:
            return Look(monochrome: .dim, color: .dim)
        case .footerKey:
            return Look(monochrome: .reverse, color: [], foreground: Color.black, background: Color.cyan)
        }
    }

    /// Where 256 colours do better: text accents in mid tones (dark orange, brick red, grey)
    /// that read on white and on black, softer bars.
    static func look256(_ style: Style) -> Look? {
        var look = look(style)
        switch style {
        case .warn: look.foreground = 172
        case .alarm: look.foreground = 160
        case .stuck: look.foreground = 167
        case .marked: look.foreground = 172
        case .dim: look = Look(monochrome: .dim, color: [], foreground: 244)
        case .selected, .footerKey: look.foreground = 16; look.background = 117
        case .sortedColumnTitle: look.foreground = 16; look.background = 117
        case .selectedMarked: look.foreground = 16; look.background = 179
        default: return nil
        }
        return look
    }

    /// A style's look on a terminal of `colorCount` colours, the config's look over the built-in.
    static func resolve(_ style: Style, colorCount: Int, looks: [Style: StyleSpec]) -> Look {
        var look = colorCount >= 256 ? (look256(style) ?? look(style)) : look(style)
        if let spec = looks[style], spec.highestColor < colorCount {
            var attributes: Attributes = []
            if spec.bold { attributes.insert(.bold) }
            if spec.reverse { attributes.insert(.reverse) }
            if spec.dim { attributes.insert(.dim) }
            if spec.underline { attributes.insert(.underline) }
            look.color = attributes
            look.foreground = Int16(spec.foreground)
            look.background = Int16(spec.background)
        }
        return look
    }

    /// Whether styles are drawn with colours.
    let colors: Bool
    private let attributes: [Style: UInt32]

    /// With `colors`, defines one colour pair per style (start_color and use_default_colors
    /// must have succeeded).
    init(colors: Bool, colorCount: Int = 8, looks: [Style: StyleSpec] = [:]) {
        self.colors = colors
        var table: [Style: UInt32] = [:]
        for (index, style) in Style.allCases.enumerated() {
            let look = Self.resolve(style, colorCount: colors ? colorCount : 0, looks: looks)
            var value = Self.curses(colors ? look.color : look.monochrome)
            if colors && (look.foreground != Color.default || look.background != Color.default) {
                let pair = Int16(index + 1)
                init_pair(pair, look.foreground, look.background)
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
