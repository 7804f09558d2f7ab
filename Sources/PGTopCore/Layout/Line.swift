/// Building screen lines that never exceed the width.
enum Line {
    /// Sanitises and cuts spans so the whole line fits in `width` cells; a cut is marked `…`.
    static func fit(_ spans: [Span], width: Int, fill: Style = .normal, ascii: Bool) -> StyledLine {
        var left = width
        var out: [Span] = []
        for span in spans where left > 0 {
            // A span cut short ends in `…`: the line never stops mid-word without saying so.
            let (text, cells) = Padding.elided(span.text, width: left, ascii: ascii, foldSpaces: false)
            if !text.isEmpty { out.append(Span(text, span.style)) }
            left -= cells
        }
        return StyledLine(out, fill: fill)
    }
}
