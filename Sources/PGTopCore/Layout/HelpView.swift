/// The help screen, generated from `KeyMap` so it always tells the truth.
enum HelpView {
    static func lines(_ state: AppState, width: Int, height: Int) -> [StyledLine] {
        let ascii = state.asciiOnly
        var lines = [Line.fit([Span("pgtop help: keys (any key returns)", .header)], width: width, ascii: ascii), StyledLine()]
        let keyWidth = KeyMap.bindings.map { $0.keys.map(\.name).joined(separator: ", ").count }.max() ?? 10
        for binding in KeyMap.bindings {
            let keys = Padding.pad(binding.keys.map(\.name).joined(separator: ", "), to: keyWidth)
            lines.append(Line.fit([Span("  " + keys, .footerKey), Span("  " + binding.help, .normal)], width: width, ascii: ascii))
        }
        let mouse = Padding.pad("Mouse", to: keyWidth)
        lines.append(Line.fit([Span("  " + mouse, .footerKey),
                               Span("  Click a row to select it, a column title to sort by it (again: invert); the wheel scrolls", .normal)],
                              width: width, ascii: ascii))
        lines.append(StyledLine())
        lines.append(Line.fit([Span("Highlighted rows sit idle in transaction for \(Format.duration(state.idleWarn)) or more; * marks a row.", .normal)], width: width, ascii: ascii))
        return Array(lines.prefix(height))
    }
}
