/// Fitting sanitised text into a column of a given width.
public enum Padding {
    /// `text` cut to `width` cells and padded with spaces to exactly `width` cells.
    ///
    ///     Padding.column("postgres", width: 5)                      // "postg"
    ///     Padding.column("42", width: 5, alignRight: true)          // "   42"
    public static func column(_ text: String, width: Int, alignRight: Bool = false, ascii: Bool = false) -> String {
        guard width > 0 else { return "" }
        let (fitted, cells) = Sanitizer.fit(text, width: width, ascii: ascii)
        let pad = String(repeating: " ", count: width - cells)
        return alignRight ? pad + fitted : fitted + pad
    }

    /// Already-clean text padded (never cut) to `width` cells.
    public static func pad(_ text: String, to width: Int) -> String {
        let cells = CellWidth.of(text)
        return cells >= width ? text : text + String(repeating: " ", count: width - cells)
    }
}
