/// The lines under the table: the last action's result, the main keys, and prompts.
enum FooterView {
    static let hints: [(Action, String)] = [
        (.help, "Help"), (.toggleMark, "Mark"), (.terminate, "Terminate"), (.cancel, "Cancel"),
        (.openFilter, "Filter"), (.sortLeft, "Sort"), (.view(.idleInTransaction), "Idle txn"), (.view(.blocking), "Blockers"),
        (.togglePause, "Pause"), (.quit, "Quit"),
    ]

    /// The footer lines (one or two) and the cursor position within them, if a prompt is open.
    static func lines(_ state: AppState, width: Int, count: Int) -> (lines: [StyledLine], cursorColumn: Int?) {
        let ascii = state.asciiOnly
        var prompt: StyledLine?
        var detail: StyledLine?
        var cursor: Int?
        switch state.mode {
        case .confirm(let c):
            prompt = Line.fit([Span(c.question, .alarm)], width: width, fill: .alarm, ascii: ascii)
            var spans = [Span(c.summary, .footer)]
            if !c.warnings.isEmpty { spans.append(Span("  WARNING: " + c.warnings.joined(separator: "; "), .warn)) }
            detail = Line.fit(spans, width: width, ascii: ascii)
        case .filter(let draft):
            let label = "Filter: "
            let shown = Sanitizer.clean(draft, ascii: ascii)
            prompt = Line.fit([Span(label, .prompt), Span(shown, .normal)], width: width, ascii: ascii)
            detail = Line.fit([Span("Enter keeps the filter, Esc clears it", .footer)], width: width, ascii: ascii)
            cursor = min(width - 1, CellWidth.of(label) + CellWidth.of(shown))
        case .minDuration(let draft):
            let label = "Only \(state.elapsed.columnTitle) at least: "
            let shown = Sanitizer.clean(draft, ascii: ascii)
            prompt = Line.fit([Span(label, .prompt), Span(shown, .normal)], width: width, ascii: ascii)
            let now = state.minDurationLabel.map { "Esc keeps \($0)" } ?? "Esc keeps none"
            detail = Line.fit([Span("90, 90s, 5m, 2h, 1d; Enter sets it, empty clears it, \(now)", .footer)], width: width, ascii: ascii)
            cursor = min(width - 1, CellWidth.of(label) + CellWidth.of(shown))
        default: break
        }
        let message = state.message.map {
            Line.fit([Span($0.text, $0.isError ? .alarm : .footer)], width: width, ascii: ascii)
        } ?? StyledLine()
        var keys = keyLine(width: width, ascii: ascii)
        if case .columns = state.mode {
            keys = Line.fit([Span("Space Show/hide  [ ] Move  Enter Done  S Save", .footer)], width: width, ascii: ascii)
        }
        if case .detail = state.mode {
            keys = Line.fit([Span("Esc Back  Up/Down/PgUp/PgDn Scroll  k Terminate  c Cancel  w Write the query to a file", .footer)],
                            width: width, ascii: ascii)
        }
        if count >= 2 {
            return ([detail ?? message, prompt ?? keys], cursor)
        }
        if let prompt { return ([prompt], cursor) }
        return ([state.message == nil ? keys : message], nil)
    }

    static func keyLine(width: Int, ascii: Bool) -> StyledLine {
        var spans: [Span] = []
        for (action, label) in hints {
            let key = action == .sortLeft ? "<>" : (KeyMap.keyNames(for: action).split(separator: ",").first.map(String.init) ?? "")
            spans.append(Span(key, .footerKey))
            spans.append(Span(" " + label + "  ", .footer))
        }
        return Line.fit(spans, width: width, ascii: ascii)
    }
}
