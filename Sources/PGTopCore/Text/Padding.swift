/// Fitting sanitised text into a column of a given width.
public enum Padding {
    /// `text` cut to `width` cells and padded with spaces to exactly `width` cells.
    ///
    ///     Padding.column("postgres", width: 5)                      // "post…"
    ///     Padding.column("42", width: 5, alignRight: true)          // "   42"
    public static func column(_ text: String, width: Int, alignRight: Bool = false, ascii: Bool = false) -> String {
        guard width > 0 else { return "" }
        let (fitted, cells) = elided(text, width: width, ascii: ascii)
        let pad = String(repeating: " ", count: width - cells)
        return alignRight ? pad + fitted : fitted + pad
    }

    /// Already-clean text padded (never cut) to `width` cells.
    public static func pad(_ text: String, to width: Int) -> String {
        let cells = CellWidth.of(text)
        return cells >= width ? text : text + String(repeating: " ", count: width - cells)
    }

    /// `Sanitizer.fit`, but a text cut short says so: its last cell is `…` (`~` in ASCII), so a
    /// cut value is never taken for a whole one (`autovacuum la…`, not `autovacuum launc`).
    ///
    ///     Padding.elided("autovacuum launcher", width: 14)   // ("autovacuum la…", 14)
    ///     Padding.elided("idle", width: 14)                  // ("idle", 4)
    public static func elided(_ text: String, width: Int, ascii: Bool = false, foldSpaces: Bool = true) -> (text: String, cells: Int) {
        guard width > 0 else { return ("", 0) }
        // Two cells more than the room tells whether anything was left out (a wide character
        // that does not fit in one more cell would fit in two).
        let probe = Sanitizer.fit(text, width: width + 2, ascii: ascii, foldSpaces: foldSpaces)
        if probe.cells <= width { return probe }
        let mark = ascii ? "~" : "…"
        let kept = Sanitizer.fit(text, width: width - 1, ascii: ascii, foldSpaces: foldSpaces)
        // A cut after a space would end in `space…`: the space goes (and the cell with it).
        var head = kept.text
        var cells = kept.cells
        while head.last == " " { head.removeLast(); cells -= 1 }
        return (head + mark, cells + 1)
    }
}
