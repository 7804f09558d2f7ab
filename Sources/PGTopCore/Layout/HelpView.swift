/// The help screen, generated from `KeyMap` so it always tells the truth. When the keys do not
/// fit the height in one column they go in two, side by side, if the width allows; what still
/// does not fit is cut, and the title says how to see it (a taller terminal).
enum HelpView {
    static func lines(_ state: AppState, width: Int, height: Int) -> [StyledLine] {
        let ascii = state.asciiOnly
        var entries = KeyMap.bindings.map { ($0.keys.map(\.name).joined(separator: ", "), $0.help) }
        entries.append(("Mouse", "Click a row to select it, a column title to sort by it (again: invert); the wheel scrolls"))
        let keyWidth = entries.map { CellWidth.of($0.0) }.max() ?? 10
        let room = max(1, height - 4)  // title, blank, blank, the note
        let columns = entries.count > room && width >= 100 ? 2 : 1
        let perColumn = (entries.count + columns - 1) / columns
        let cut = perColumn > room
        var title = "pgtop help: keys (any key returns)"
        if cut { title += "; \(entries.count - room * columns) more on a taller terminal" }
        var lines = [Line.fit([Span(title, .header)], width: width, ascii: ascii), StyledLine()]
        let cell = width / columns
        for row in 0..<min(perColumn, room) {
            var spans: [Span] = []
            for column in 0..<columns {
                let index = column * perColumn + row
                guard index < entries.count else { continue }
                let (keys, help) = entries[index]
                let text = Padding.column("  " + help, width: max(0, cell - keyWidth - 2), ascii: ascii)
                spans += [Span("  " + Padding.pad(keys, to: keyWidth), .footerKey), Span(column + 1 < columns ? text : text.trimmingTrailingSpaces(), .normal)]
            }
            lines.append(Line.fit(spans, width: width, ascii: ascii))
        }
        lines.append(StyledLine())
        lines.append(Line.fit([Span("Highlighted rows sit idle in transaction for \(Format.duration(state.idleWarn)) or more; * marks a row.", .normal)], width: width, ascii: ascii))
        return Array(lines.prefix(height))
    }
}
