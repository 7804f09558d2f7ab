import CNCursesShim
import PGTopCore

/// Style to curses attributes, in one table: the one place to change how pgtop looks.
/// Colours are accents on the terminal's own default colours, so dark and light backgrounds
/// both work; without colours (or with NO_COLOR) the attributes alone carry the meaning.
struct Theme {
    private var attributes: [Style: UInt32] = [:]

    init(colors: Bool) {
        let bold = pgtop_attr_bold(), reverse = pgtop_attr_reverse(), dim = pgtop_attr_dim()
        var table: [Style: UInt32] = [
            .normal: pgtop_attr_normal(), .header: bold, .warn: bold, .alarm: bold | reverse,
            .columnTitle: reverse, .sortedColumnTitle: reverse | bold, .selected: reverse,
            .marked: bold | pgtop_attr_underline(), .selectedMarked: reverse | bold | pgtop_attr_underline(),
            .stuck: bold, .dim: dim, .footer: pgtop_attr_normal(), .footerKey: reverse, .prompt: bold,
        ]
        if colors {
            // Pairs: 1 yellow, 2 red, 3 black on cyan, 4 black on yellow, 5 white on red, 6 cyan.
            init_pair(1, Int16(COLOR_YELLOW), -1)
            init_pair(2, Int16(COLOR_RED), -1)
            init_pair(3, Int16(COLOR_BLACK), Int16(COLOR_CYAN))
            init_pair(4, Int16(COLOR_BLACK), Int16(COLOR_YELLOW))
            init_pair(5, Int16(COLOR_WHITE), Int16(COLOR_RED))
            init_pair(6, Int16(COLOR_CYAN), -1)
            table[.warn] = bold | pgtop_color_pair(1)
            table[.stuck] = pgtop_color_pair(1)
            table[.marked] = bold | pgtop_color_pair(1)
            table[.alarm] = bold | pgtop_color_pair(5)
            table[.selected] = pgtop_color_pair(3)
            table[.selectedMarked] = bold | pgtop_color_pair(4)
            table[.sortedColumnTitle] = bold | pgtop_color_pair(3)
            table[.footerKey] = pgtop_color_pair(3)
            table[.header] = bold | pgtop_color_pair(6)
        }
        attributes = table
    }

    func attribute(_ style: Style) -> UInt32 { attributes[style] ?? pgtop_attr_normal() }
}
