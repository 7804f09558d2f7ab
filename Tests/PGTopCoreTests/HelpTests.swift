import Testing
@testable import PGTopCore

/// Issue 13.4: the help could not scroll (at 80x24 "15 more on a taller terminal", and any key
/// closed it). It scrolls and searches like less, and its keys come from KeyMap's table.
@Suite struct HelpTests {
    func open(_ width: Int, _ height: Int) -> AppState {
        var s = state([backend(1)])
        s.setScreen(width: width, height: height)
        s.press(.char("?"))
        return s
    }

    func screen(_ s: AppState, _ width: Int, _ height: Int) -> [String] {
        ScreenLayout.render(s, width: width, height: height).lines.map(\.text)
    }

    /// Paging down from the top shows every binding, at 80x24 and at 40x12.
    @Test(arguments: [(80, 24), (40, 12)])
    func everyKeyIsReachableByScrolling(width: Int, height: Int) {
        var s = open(width, height)
        var seen = screen(s, width, height).joined(separator: "\n")
        #expect(!seen.contains("taller terminal"))
        for _ in 0..<20 {
            s.press(.pageDown)
            seen += screen(s, width, height).joined(separator: "\n")
        }
        #expect(s.mode != .table)
        for binding in KeyMap.bindings + [] {
            let keys = binding.keys.map(\.name).joined(separator: ", ")
            #expect(seen.contains("  " + keys), "\(keys)")
        }
        for binding in KeyMap.helpBindings {
            #expect(seen.contains(binding.keys.map(\.name).joined(separator: ", ")))
        }
        #expect(screen(s, width, height).last?.contains("(END)") == true)
    }

    @Test func scrollKeysMoveLikeLess() {
        var s = open(80, 24)
        let room = HelpView.room(height: 24)
        let total = HelpView.entries(s).count
        s.press(.down, .down)
        #expect(s.mode == .help(HelpPosition(scroll: 2)))
        s.press(.up)
        #expect(s.mode == .help(HelpPosition(scroll: 1)))
        s.press(.char(" "))
        #expect(s.mode == .help(HelpPosition(scroll: 1 + room)))
        s.press(.char("G"))
        #expect(s.mode == .help(HelpPosition(scroll: total - room)))
        s.press(.down)  // at the end it stays
        #expect(s.mode == .help(HelpPosition(scroll: total - room)))
        s.press(.pageUp, .char("g"))
        #expect(s.mode == .help(HelpPosition(scroll: 0)))
        let first = screen(s, 80, 24)
        #expect(first[0].contains("lines 1-\(room) of \(total)"), "\(first[0])")
        #expect(first.last?.contains("more below") == true)
    }

    @Test func slashSearchesAndNFindsTheNext() {
        var s = open(80, 24)
        s.press(.char("/"), .char("Q"), .char("u"), .char("i"), .char("t"))
        #expect(screen(s, 80, 24).last == "/Quit")
        s.press(.enter)
        guard case .help(let p) = s.mode else { Issue.record("help closed"); return }
        let entries = HelpView.entries(s)
        let quit = entries.firstIndex { $0.text == "Quit" }!
        #expect(p.scroll == min(quit, entries.count - HelpView.room(height: 24)))
        #expect(screen(s, 80, 24).contains { $0.contains("q, Ctrl-C, F10") })
        // n: the next line holding the text; past the last match it says so.
        s.press(.char("g"), .char("/"), .char("s"), .char("o"), .char("r"), .char("t"), .enter)
        guard case .help(let sort) = s.mode else { return }
        let sorts = entries.indices.filter { entries[$0].searchable.contains("sort") }
        #expect(sort.scroll == min(sorts[0], entries.count - HelpView.room(height: 24)))
        s.press(.char("n"))
        guard case .help(let next) = s.mode else { return }
        #expect(next.scroll == min(sorts[1], entries.count - HelpView.room(height: 24)))
        s.press(.char("/"), .char("z"), .char("z"), .char("z"), .enter)
        #expect(screen(s, 80, 24).last == "Not found: zzz")
        // Esc leaves the search prompt, then the help.
        s.press(.char("/"), .escape)
        #expect(s.mode != .table)
        s.press(.escape)
        #expect(s.mode == .table)
    }

    @Test(arguments: [Key.char("q"), .escape, .function(1), .char("h"), .char("?")])
    func theseKeysCloseIt(key: Key) {
        var s = open(80, 24)
        s.press(key)
        #expect(s.mode == .table)
    }

    @Test func helpKeysAreBoundOnce() {
        var seen: Set<Key> = []
        for binding in KeyMap.helpBindings {
            for key in binding.keys {
                #expect(!seen.contains(key), "\(key) bound twice")
                seen.insert(key)
            }
        }
    }
}
