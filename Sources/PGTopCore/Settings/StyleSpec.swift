/// How one style looks, as a config file's `[colors]` table says it: attributes, a foreground
/// and an optional background, each colour a name of the 8 basic ones, `default` (the
/// terminal's own) or a number 0-255.
///
///     try StyleSpec.parse("bold yellow")              // bold, yellow on the default background
///     try StyleSpec.parse("black on 45")              // needs a 256-colour terminal for 45
///     try StyleSpec.parse("reverse")                  // attributes only
public struct StyleSpec: Sendable, Equatable {
    public var bold = false
    public var reverse = false
    public var dim = false
    public var underline = false
    /// -1 is the terminal's default colour.
    public var foreground = -1
    public var background = -1

    public init(bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false,
                foreground: Int = -1, background: Int = -1) {
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
        self.foreground = foreground
        self.background = background
    }

    public static let colorNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// The highest colour number the look uses (-1 when it uses none).
    public var highestColor: Int { Swift.max(foreground, background) }

    /// Reads `text`; nil when a word is neither an attribute, a colour nor `on` in its place.
    public static func parse(_ text: String) -> StyleSpec? {
        var spec = StyleSpec()
        var words = text.lowercased().split(separator: " ").map(String.init)[...]
        var seenColor = false
        while let word = words.popFirst() {
            switch word {
            case "bold": spec.bold = true
            case "reverse": spec.reverse = true
            case "dim": spec.dim = true
            case "underline": spec.underline = true
            case "normal", "plain": break
            case "on":
                guard let next = words.popFirst(), let bg = color(next), words.isEmpty else { return nil }
                spec.background = bg
            default:
                guard !seenColor, let fg = color(word) else { return nil }
                spec.foreground = fg
                seenColor = true
            }
        }
        return spec
    }

    /// `yellow` -> 3, `default` -> -1, `208` -> 208.
    static func color(_ word: String) -> Int? {
        if word == "default" { return -1 }
        if let index = colorNames.firstIndex(of: word) { return index }
        if let n = Int(word), (0...255).contains(n) { return n }
        return nil
    }

    /// The spec as a config file writes it: `bold yellow on default`.
    public var text: String {
        var words: [String] = []
        if bold { words.append("bold") }
        if reverse { words.append("reverse") }
        if dim { words.append("dim") }
        if underline { words.append("underline") }
        if foreground != -1 || background != -1 { words.append(Self.name(foreground)) }
        if background != -1 { words += ["on", Self.name(background)] }
        return words.isEmpty ? "normal" : words.joined(separator: " ")
    }

    static func name(_ color: Int) -> String {
        color == -1 ? "default" : colorNames.indices.contains(color) ? colorNames[color] : String(color)
    }
}

extension Style {
    /// The name a config file's `[colors]` table uses: `selected`, `sorted-column-title`.
    public var configName: String {
        var out = ""
        for c in String(describing: self) {
            if c.isUppercase { out += "-" + c.lowercased() } else { out.append(c) }
        }
        return out
    }

    public static func named(_ name: String) -> Style? { allCases.first { $0.configName == name.lowercased() } }
}
