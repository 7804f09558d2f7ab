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
            let label = state.filterCut ? "Filter (full): " : "Filter: "
            // The end of a long text, where the typing is, with an ellipsis for what is left out.
            let shown = tail(Sanitizer.clean(draft, ascii: ascii), cells: max(1, width - CellWidth.of(label) - 1), ascii: ascii)
            prompt = Line.fit([Span(label, state.filterCut ? .warn : .prompt), Span(shown, .normal)], width: width, ascii: ascii)
            detail = state.filterCut
                ? Line.fit([Span("Filter cut at \(PromptText.limit) bytes (no field is longer); Enter keeps it, Esc clears it", .warn)],
                           width: width, ascii: ascii)
                : Line.fit([Span("Enter keeps the filter, Esc clears it", .footer)], width: width, ascii: ascii)
            cursor = min(width - 1, CellWidth.of(label) + CellWidth.of(shown))
        case .minDuration(let draft):
            let label = "Only \(state.elapsed.columnTitle) at least: "
            let shown = Sanitizer.clean(draft, ascii: ascii)
            prompt = Line.fit([Span(label, .prompt), Span(shown, .normal)], width: width, ascii: ascii)
            let now = state.minDurationLabel.map { "Esc keeps \($0)" } ?? "Esc keeps none"
            detail = Line.fit([Span("90, 90s, 5m, 2h, 1d; Enter sets it, empty clears it, \(now)", .footer)], width: width, ascii: ascii)
            cursor = min(width - 1, CellWidth.of(label) + CellWidth.of(shown))
        case .replayTime(let draft):
            let label = "Go to time: "
            let shown = Sanitizer.clean(draft, ascii: ascii)
            prompt = Line.fit([Span(label, .prompt), Span(shown, .normal)], width: width, ascii: ascii)
            let here = state.replay.map { ", Esc stays at \($0.clock.time($0.time))" } ?? ", Esc stays"
            detail = Line.fit([Span("03:12, 03:12:30, 2026-11-24 20:30, -10m, +2h; Enter goes there\(here)", .footer)],
                              width: width, ascii: ascii)
            cursor = min(width - 1, CellWidth.of(label) + CellWidth.of(shown))
        default: break
        }
        let message = state.message.map {
            Line.fit([Span($0.text, $0.isError ? .alarm : .footer)], width: width, ascii: ascii)
        } ?? StyledLine()
        var keys = state.replay == nil ? keyLine(width: width, ascii: ascii) : replayKeyLine(width: width, ascii: ascii)
        if case .columns = state.mode {
            keys = items([("Space", "Show/hide"), ("[ ]", "Move"), ("Enter", "Done"), ("S", "Save")], width: width, ascii: ascii)
        }
        if case .detail = state.mode {
            keys = state.replay == nil
                ? items([("Esc", "Back"), ("Up/Down/PgUp/PgDn", "Scroll"), ("k", "Terminate"), ("c", "Cancel"),
                         ("w", "Write the query to a file")], width: width, ascii: ascii)
                : items([("Esc", "Back"), ("Up/Down/PgUp/PgDn", "Scroll"), ("Right [ ] n N", "Move in time"),
                         ("w", "Write the query to a file")], width: width, ascii: ascii)
        }
        if count >= 2 {
            return ([detail ?? message, prompt ?? keys], cursor)
        }
        if let prompt { return ([prompt], cursor) }
        return ([state.message == nil ? keys : message], nil)
    }

    static func keyLine(width: Int, ascii: Bool) -> StyledLine {
        items(hints.map { action, label in
            (action == .sortLeft ? "<>" : (KeyMap.keyNames(for: action).split(separator: ",").first.map(String.init) ?? ""), label)
        }, width: width, ascii: ascii)
    }

    /// The replay's keys, named from `KeyMap.replayBindings` and the table's.
    static let replayHints: [(keys: [ReplayCommand], label: String)] = [
        ([.step(-1), .step(1)], "Step"), ([.jump(seconds: -60), .jump(seconds: 60)], "Minute"), ([.togglePlay], "Play"),
        ([.faster, .slower], "Speed"), ([.nextEvent, .previousEvent], "Event"),
    ]

    static func replayKeyLine(width: Int, ascii: Bool) -> StyledLine {
        func name(_ command: ReplayCommand) -> String {
            let key = KeyMap.replayBindings.first { $0.action == .command(command) }?.keys.first
            switch key {
            case .left?: return ascii ? "<-" : "←"
            case .right?: return ascii ? "->" : "→"
            default: return key?.name ?? ""
            }
        }
        let time = KeyMap.replayBindings.first { $0.action == .askTime }?.keys.first?.name ?? "t"
        var list: [(key: String, label: String)] = [(KeyMap.keyNames(for: .help).split(separator: ",").first.map(String.init) ?? "?", "Help")]
        list += replayHints.map { hint in (hint.keys.map(name).joined(separator: hint.keys.count > 1 && ascii ? " " : ""), hint.label) }
        list.insert((time, "Time"), at: 5)
        list += [("/", "Filter"), ("5", "Blockers"), ("q", "Quit")]
        return items(list, width: width, ascii: ascii)
    }

    /// `key label` items two spaces apart, in order; an item that does not fit is left out
    /// whole (`5 Bloc` never shows), and a later, shorter one may still fit.
    static func items(_ items: [(key: String, label: String)], width: Int, ascii: Bool) -> StyledLine {
        var spans: [Span] = []
        var used = 0
        for (key, label) in items {
            let cells = CellWidth.of(key) + 1 + CellWidth.of(label)
            let gap = spans.isEmpty ? 0 : 2
            guard used + gap + cells <= width else { continue }
            if gap > 0 { spans.append(Span("  ", .footer)) }
            spans.append(Span(key, .footerKey))
            spans.append(Span(" " + label, .footer))
            used += gap + cells
        }
        return Line.fit(spans, width: width, ascii: ascii)
    }

    /// The last `cells` cells of clean `text`, starting with `…` (`...` in ASCII) when it was cut.
    static func tail(_ text: String, cells: Int, ascii: Bool) -> String {
        if CellWidth.of(text) <= cells { return text }
        let ellipsis = ascii ? "..." : "…"
        var room = cells - CellWidth.of(ellipsis)
        var start = text.unicodeScalars.endIndex
        while start > text.unicodeScalars.startIndex {
            let before = text.unicodeScalars.index(before: start)
            let w = CellWidth.of(text.unicodeScalars[before])
            if w > room { break }
            room -= w
            start = before
        }
        // Do not begin on a combining mark: it belongs to the character left out.
        while start < text.unicodeScalars.endIndex, CellWidth.of(text.unicodeScalars[start]) == 0 {
            start = text.unicodeScalars.index(after: start)
        }
        return ellipsis + String(text.unicodeScalars[start...])
    }
}
