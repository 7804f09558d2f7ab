import Glibc
import PGTopCore
import Testing
@testable import PGTopTerminal

/// Cutting text to the cells left on a row, the way curses counts them (wcwidth).
@Suite struct ScreenClipTests {
    init() { setlocale(LC_CTYPE, "C.UTF-8") }

    @Test func asciiIsOneCellEach() {
        #expect(Screen.clip("hello", toCells: 3) == ("hel", 3))
        #expect(Screen.clip("hello", toCells: 10) == ("hello", 5))
        #expect(Screen.clip("hello", toCells: 0) == ("", 0))
        #expect(Screen.clip("", toCells: 4) == ("", 0))
    }

    @Test func aWideCharacterThatWouldStraddleTheEdgeIsLeftOut() {
        #expect(Screen.clip("日本語", toCells: 6) == ("日本語", 6))
        #expect(Screen.clip("日本語", toCells: 5) == ("日本", 4))
        #expect(Screen.clip("a😀b", toCells: 2) == ("a", 1))
        #expect(Screen.clip("a😀b", toCells: 3) == ("a😀", 3))
    }

    @Test func combiningMarksStayWithTheirBase() {
        let text = "e\u{301}e\u{301}x"  // éé x, combining accents
        #expect(Screen.clip(text, toCells: 2) == ("e\u{301}e\u{301}", 2))
        #expect(Screen.clip(text, toCells: 1) == ("e\u{301}", 1))
    }

    @Test func widthsAgreeWithTheCoreForWhatTheSanitizerLetsThrough() {
        for text in ["日本語", "😀", "é", "e\u{301}", "한국어", "ｱ", "€", "abc"] {
            let cells = text.reduce(0) { $0 + Screen.width(of: $1) }
            #expect(cells == CellWidth.of(text), "\(text)")
        }
    }
}

@Suite struct ThemeTests {
    @Test func withoutColoursStylesThatMustStandOutDoSoByAttributesAlone() {
        let theme = Theme(colors: false)
        let normal = theme.attribute(.normal)
        for style in [Style.header, .warn, .alarm, .columnTitle, .sortedColumnTitle, .selected, .marked,
                      .selectedMarked, .stuck, .dim, .footerKey, .prompt] {
            #expect(theme.attribute(style) != normal, "\(style)")
        }
        // The row states must be told apart from each other, and from the titles.
        let rows = [Style.selected, .marked, .selectedMarked].map(theme.attribute)
        #expect(Set(rows).count == 3)
        #expect(theme.attribute(.alarm) != theme.attribute(.warn))
        #expect(theme.attribute(.sortedColumnTitle) != theme.attribute(.columnTitle))
    }

    @Test func coloursAreAccentsOnTheDefaultBackground() {
        for count in [8, 256] {
            for style in Style.allCases {
                let look = Theme.resolve(style, colorCount: count, looks: [:])
                // A colour on the terminal's own background only with the default background;
                // a coloured background only with black text, readable on dark and light themes.
                if look.background != Theme.Color.default { #expect([0, 16].contains(look.foreground), "\(style)") }
                #expect(look.foreground < count && look.background < count, "\(style) on \(count) colours")
                // Never yellow text (unreadable on white) on 256 colours.
                if count == 256 && look.background == Theme.Color.default { #expect(look.foreground != Theme.Color.yellow) }
            }
        }
        #expect(Theme.look(.normal).foreground == Theme.Color.default)
        #expect(Theme.look(.footer).foreground == Theme.Color.default)
    }

    @Test func theConfigsLooksOverrideTheBuiltInOnesWhenTheTerminalHasTheColours() {
        let looks: [Style: StyleSpec] = [.selected: StyleSpec(bold: true, foreground: 15, background: 24),
                                         .stuck: StyleSpec(underline: true, foreground: 1)]
        let on256 = Theme.resolve(.selected, colorCount: 256, looks: looks)
        #expect(on256 == Theme.Look(monochrome: .reverse, color: .bold, foreground: 15, background: 24))
        // Colour 24 on an 8-colour terminal: the built-in look instead, not garbage.
        #expect(Theme.resolve(.selected, colorCount: 8, looks: looks) == Theme.look(.selected))
        #expect(Theme.resolve(.stuck, colorCount: 8, looks: looks).color == .underline)
        // Without colours the attributes of the built-in monochrome look stay.
        #expect(Theme.resolve(.selected, colorCount: 0, looks: looks).monochrome == .reverse)
    }
}

/// One at a time: the terminfo look-up (setupterm) is not thread-safe.
@Suite(.serialized) struct TerminalErrorTests {
    @Test func refusesAMissingTerm() {
        #expect(TerminalError.refusal(term: nil)?.description == "TERM is not set, so the terminal type is unknown; try TERM=xterm-256color")
        #expect(TerminalError.refusal(term: "")?.description == "TERM is not set, so the terminal type is unknown; try TERM=xterm-256color")
    }

    @Test func refusesDumbAndUnknownTerminals() {
        #expect(TerminalError.refusal(term: "dumb")?.description
            == "TERM=dumb cannot move the cursor; a full-screen terminal is needed, e.g. TERM=xterm-256color")
        let unknown = TerminalError.refusal(term: "nonexistent-pgtop-term")?.description ?? ""
        #expect(unknown.hasPrefix("unknown terminal TERM=nonexistent-pgtop-term"))
    }

    @Test func acceptsARealTerminal() {
        #expect(TerminalError.refusal(term: "xterm") == nil)
        #expect(TerminalError.refusal(term: "screen") == nil)
    }

    @Test func termIsShownWithoutControlCharacters() {
        #expect(TerminalError.printable("xterm\u{1B}[2J") == "xterm?[2J")
    }
}
