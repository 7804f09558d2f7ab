/// Turns text a client sent (query, application name, user, database) into text that is safe
/// to put on a terminal and measures it in cells. One rule everywhere:
///
/// - newlines, tabs and other white space become a single space (runs are folded);
/// - every other control character (C0, DEL, C1), the replacement character that stands for
///   invalid UTF-8, unassigned and private-use code points, and characters newer than the
///   terminals we can count on (Unicode 13) are shown as `?`;
/// - invisible format characters (right-to-left marks and other bidi controls, zero-width
///   joiners and spaces, variation selectors) are dropped: they change how a terminal draws
///   the text around them but not what it says;
/// - combining marks stay only after a printable base, at most three per base;
/// - in ASCII mode (a terminal whose locale is not UTF-8) every other non-ASCII character is
///   shown as `?`.
///
///     Sanitizer.fit("SELECT\n\t1\u{1B}[2J", width: 20).text  // "SELECT 1?[2J"
public enum Sanitizer {
    /// Sanitises `text` and cuts it to at most `width` cells. A wide character that would
    /// straddle the edge is left out, so the result may be one cell short.
    /// - Parameter foldSpaces: fold runs of white space into one space (client text); pass
    ///   false for text pgtop built itself, whose padding must stay.
    public static func fit(_ text: String, width: Int, ascii: Bool = false, foldSpaces: Bool = true) -> (text: String, cells: Int) {
        guard width > 0 else { return ("", 0) }
        if let plain = plainASCII(text, width: width, foldSpaces: foldSpaces) { return plain }
        return fitScalars(text, width: width, ascii: ascii, foldSpaces: foldSpaces)
    }

    /// `fit`, scalar by scalar: controls, combining marks, wide characters.
    static func fitScalars(_ text: String, width: Int, ascii: Bool, foldSpaces: Bool) -> (text: String, cells: Int) {
        var out = String.UnicodeScalarView()
        var cells = 0
        var lastWasSpace = false
        var combining = 0
        var haveBase = false
        for scalar in text.unicodeScalars {
            switch classify(scalar, ascii: ascii) {
            case .space:
                if lastWasSpace && foldSpaces { continue }
                if cells + 1 > width { return (String(out), cells) }
                out.append(" ")
                cells += 1
                lastWasSpace = true
                haveBase = false
            case .drop:
                continue
            case .combining:
                if !haveBase || combining >= 3 { continue }
                out.append(scalar)
                combining += 1
            case .printable(let replacement, let w):
                if cells + w > width { return (String(out), cells) }
                out.append(replacement)
                cells += w
                lastWasSpace = false
                combining = 0
                haveBase = true
            }
        }
        return (String(out), cells)
    }

    /// The common case, decided on bytes: printable ASCII with no run of spaces to fold is
    /// its own rendering, a cell per byte. nil: anything else, for the scalar-by-scalar path.
    static func plainASCII(_ text: String, width: Int, foldSpaces: Bool) -> (text: String, cells: Int)? {
        var text = text
        return text.withUTF8 { bytes -> (text: String, cells: Int)? in
            var previous: UInt8 = 0
            for b in bytes {
                guard b >= 0x20 && b < 0x7F, !(foldSpaces && b == 0x20 && previous == 0x20) else { return nil }
                previous = b
            }
            if bytes.count <= width { return (String(decoding: bytes, as: UTF8.self), bytes.count) }
            return (String(decoding: UnsafeBufferPointer(rebasing: bytes.prefix(width)), as: UTF8.self), width)
        }
    }

    /// Sanitises all of `text` (no width limit); for one-line fields of bounded size.
    public static func clean(_ text: String, ascii: Bool = false) -> String {
        fit(text, width: Int.max, ascii: ascii).text
    }

    enum Class {
        case space, drop, combining
        case printable(Unicode.Scalar, Int)
    }

    static let question: Unicode.Scalar = "?"

    static func classify(_ scalar: Unicode.Scalar, ascii: Bool) -> Class {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return v == 0x20 ? .space : .printable(scalar, 1) }
        if v == 0x09 || v == 0x0A || v == 0x0B || v == 0x0C || v == 0x0D { return .space }
        if v < 0xA0 { return .printable(question, 1) }  // C0, DEL, C1
        if ascii {
            return isInvisible(scalar) || CellWidth.isZeroWidth(scalar) ? .drop : .printable(question, 1)
        }
        if v == 0xFFFD { return .printable(question, 1) }
        if isInvisible(scalar) { return .drop }
        let props = scalar.properties
        switch props.generalCategory {
        case .unassigned, .privateUse, .surrogate: return .printable(question, 1)
        case .lineSeparator, .paragraphSeparator, .spaceSeparator: return .space
        case .control: return .printable(question, 1)
        default: break
        }
        if let age = props.age, age.major > 13 { return .printable(question, 1) }
        if CellWidth.isZeroWidth(scalar) { return .combining }
        return .printable(scalar, CellWidth.of(scalar))
    }

    /// Format characters and variation selectors: nothing to show, but they steer the
    /// terminal's drawing of their neighbours.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v) { return true }
        if v == 0x034F || (0x180B...0x180F).contains(v) { return true }  // grapheme joiner, Mongolian FVS
        if (0x1160...0x11FF).contains(v) { return true }  // conjoining jamo: fold into '?' via drop
        return scalar.properties.generalCategory == .format
    }
}
