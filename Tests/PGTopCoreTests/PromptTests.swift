import Testing
@testable import PGTopCore

/// A paste into the filter prompt: capped, and what each key costs counted (how many times the
/// rows are filtered and sorted), never timed.
@Suite struct PromptTests {
    static func many(_ n: Int) -> [Backend] {
        (1...Int32(n)).map { backend($0, app: "app-\($0 % 7)", query: "SELECT \($0)") }
    }

    @Test func theTextStopsAtTheCapAndTheFooterSaysSo() {
        var s = state(Self.many(20))
        s.press(.char("/"))
        for _ in 0..<20_000 { s.press(.char("x")) }
        #expect(s.filter.text.utf8.count <= PromptText.limit)
        #expect(s.filter.text.utf8.count > PromptText.limit - 4)
        #expect(s.filterCut)
        let screen = ScreenLayout.render(s, width: 120, height: 24).text
        #expect(screen.contains("Filter cut at 1024 bytes"), "\(screen)")
        #expect(screen.contains("Filter (full): …xxx"))
        // Erasing makes room again; the footer no longer says it is full.
        s.press(.backspace)
        #expect(!s.filterCut)
        s.press(.char("y"))
        #expect(s.filter.text.hasSuffix("y"))
    }

    @Test func aKeyPastTheCapCostsNoRefilter() {
        var s = state(Self.many(50))
        s.press(.char("/"))
        let before = s.recomputes
        for _ in 0..<20_000 { s.press(.char("q")) }
        // One refilter per character kept, none for the 18,976 dropped.
        #expect(s.recomputes - before <= PromptText.limit)
        #expect(s.mode == .filter(draft: s.filter.text))
    }

    /// A megabyte pasted in the batches the terminal reads: one refilter per batch, and the
    /// multi-byte characters are capped by their bytes.
    @Test func aPasteRefiltersOncePerBatch() {
        var s = state(Self.many(2_000))
        s.press(.char("/"))
        let before = s.recomputes
        let batch = 4096
        let paste: [Key] = Array(repeating: .char("é"), count: 1_000_000)
        var batches = 0
        for start in stride(from: 0, to: paste.count, by: batch) {
            for key in paste[start..<min(paste.count, start + batch)] { _ = s.handleInBatch(key) }
            s.applyTypedFilter()
            batches += 1
        }
        #expect(s.recomputes - before <= 1)  // the first batch filled it; the rest changed nothing
        #expect(batches == 245)
        #expect(s.filter.text.utf8.count == PromptText.limit)  // 512 two-byte characters
        #expect(s.rows.isEmpty)
        // Enter closes the prompt; the next key is a table key, on rows filtered by the whole text.
        s.press(.enter)
        #expect(s.mode == .table)
        s.press(.escape)
        #expect(s.filter.text.utf8.count == PromptText.limit)
    }

    @Test func aTableKeyAfterTheBatchSeesTheFilteredRows() {
        var s = state([backend(1, db: "shop"), backend(2, db: "crm"), backend(3, db: "shop")])
        for key: Key in [.char("/"), .char("c"), .char("r"), .enter, .char(" ")] { _ = s.handleInBatch(key) }
        s.applyTypedFilter()
        #expect(s.rows.map(\.pid) == [2])
        #expect(s.marks == [BackendID(pid: 2, start: 1000)])  // Space marked the row the filter left
    }

    @Test func theTailOfALongTextIsShown() {
        #expect(FooterView.tail("abcdef", cells: 10, ascii: false) == "abcdef")
        #expect(FooterView.tail("abcdef", cells: 4, ascii: false) == "…def")
        #expect(FooterView.tail("abcdef", cells: 5, ascii: true) == "...ef")
        #expect(FooterView.tail("a日本", cells: 4, ascii: false) == "…本")
    }
}

/// A bracketed paste is text for the filter prompt and never keys: a pasted line break is not
/// Enter, and a pasted `sky` in the table does not toggle, ask and confirm a terminate.
@Suite struct BracketedPasteTests {
    func paste(_ text: String) -> [Key] {
        [.pasteBegin] + text.map { $0 == "\r" || $0 == "\n" ? Key.enter : $0 == "\t" ? .tab : .char($0) } + [.pasteEnd]
    }

    @Test func aPasteInTheTableDoesNothingAndSaysSo() {
        var s = state([backend(1), backend(2)])
        var effects: [Effect] = []
        for key in paste("sky\rk y q A") { effects += s.handleInBatch(key) }
        #expect(effects.isEmpty)
        #expect(s.mode == .table)
        #expect(s.marks.isEmpty)
        #expect(s.showStats)
        #expect(s.message?.text.hasPrefix("Paste ignored") == true)
        // Typed afterwards, the same keys are keys again.
        #expect(s.press(.char("q")) == [.quit])
    }

    @Test func aPasteInThePromptIsTextItsLineBreaksSpaces() {
        var s = state([backend(1, db: "shop"), backend(2, db: "crm")])
        s.press(.char("/"))
        for key in paste("sh\rop\tky") { _ = s.handleInBatch(key) }
        s.applyTypedFilter()
        #expect(s.mode == .filter(draft: "sh op ky"))
        #expect(s.message == nil)
        s.press(.enter)
        #expect(s.filter.text == "sh op ky")
    }

    @Test func aPasteDuringAConfirmationAnswersNothing() {
        var s = state([backend(1)])
        s.press(.char("k"))
        var effects: [Effect] = []
        for key in paste("y") { effects += s.handleInBatch(key) }
        #expect(effects.isEmpty)
        guard case .confirm = s.mode else { Issue.record("the confirmation was answered: \(s.mode)"); return }
        #expect(s.press(.char("n")) == [])
    }
}
