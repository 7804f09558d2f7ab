/// The statements of a TOML text, in order, found in one pass over its bytes: table headers
/// and `key = value` lines with the lines each spans (a multi-line array, inline table or
/// string is one statement), so that `SourceLines` can name a key's line and `ConfigEditor`
/// can replace a whole value. Strings, comments and brackets are followed, so a `[` or a
/// `key = 1` inside a multi-line string or array is not taken for a header or a key. Checking
/// the text is TOMLKit's job: a malformed line is skipped, never a reason to stop or loop.
///
///     columns = [      # statement 1: keyValue(["columns"]), lines 0...2
///       "pid",
///     ]
///     [profile.prod]   # statement 2: table(["profile", "prod"]), line 3
struct TOMLStatement: Equatable {
    enum Kind: Equatable {
        case table
        case arrayTable
        case keyValue
    }

    var kind: Kind
    /// For a header, the table it opens; for a key, the table it is in (the last header's).
    var table: [String]
    /// A key's dotted path from its table (`prod.refresh` -> ["prod", "refresh"]); empty for a header.
    var key: [String]
    /// The key as written (`"sort-order"`, `prod . refresh`).
    var keyText: String
    /// 0-based lines, first to last.
    var lines: ClosedRange<Int>
    /// The first line's leading blanks.
    var indent: String
    /// What follows the value on its last line: blanks and a comment, as written.
    var trailer: String

    /// Every statement of `text`; linear in its length.
    static func scan(_ text: String) -> [TOMLStatement] {
        var scanner = Scanner(Array(text.utf8))
        return scanner.statements()
    }
}

private struct Scanner {
    let b: [UInt8]
    var i = 0
    var line = 0

    init(_ bytes: [UInt8]) { b = bytes }

    static let newline = UInt8(ascii: "\n"), hash = UInt8(ascii: "#"), quote = UInt8(ascii: "\""),
               apostrophe = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\"), dot = UInt8(ascii: "."),
               equals = UInt8(ascii: "="), open = UInt8(ascii: "["), close = UInt8(ascii: "]"),
               openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")

    func at(_ k: Int) -> UInt8? { k < b.count ? b[k] : nil }
    func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D }
    func text(_ range: Range<Int>) -> String { String(decoding: b[range], as: UTF8.self) }

    mutating func skipBlanks() { while i < b.count && isBlank(b[i]) { i += 1 } }
    mutating func skipToLineEnd() { while i < b.count && b[i] != Self.newline { i += 1 } }

    mutating func statements() -> [TOMLStatement] {
        var out: [TOMLStatement] = []
        var table: [String] = []
        while i < b.count {
            let lineStart = i
            skipBlanks()
            guard i < b.count else { break }
            let indent = text(lineStart..<i)
            let first = line
            switch b[i] {
            case Self.newline:
                break
            case Self.hash:
                skipToLineEnd()
            case Self.open:
                let array = at(i + 1) == Self.open
                i += array ? 2 : 1
                let (path, _) = key()
                table = path
                if at(i) == Self.close { i += array && at(i + 1) == Self.close ? 2 : 1 }
                let end = i
                skipToLineEnd()
                out.append(TOMLStatement(kind: array ? .arrayTable : .table, table: path, key: [], keyText: "",
                                         lines: first...first, indent: indent, trailer: text(end..<i)))
            default:
                let start = i
                let (path, keyEnd) = key()
                guard at(i) == Self.equals, !path.isEmpty else {
                    skipToLineEnd()
                    break
                }
                i += 1
                let valueEnd = value()
                out.append(TOMLStatement(kind: .keyValue, table: table, key: path, keyText: text(start..<keyEnd),
                                         lines: first...line, indent: indent, trailer: text(valueEnd..<i)))
            }
            if at(i) == Self.newline {
                i += 1
                line += 1
            }
        }
        return out
    }

    /// A dotted key (`a."b.c".'d'`), unquoted and unescaped; stops at `=`, `]` or the line's end.
    /// Also where its text ends, blanks after it left out.
    mutating func key() -> ([String], Int) {
        var parts: [String] = []
        var end = i
        while true {
            skipBlanks()
            guard let c = at(i) else { break }
            if c == Self.quote || c == Self.apostrophe {
                i += 1
                parts.append(singleLineString(c))
            } else {
                let start = i
                while let d = at(i), !isBlank(d), d != Self.dot, d != Self.equals, d != Self.close, d != Self.newline,
                      d != Self.hash, d != Self.quote, d != Self.apostrophe {
                    i += 1
                }
                if i == start { break }
                parts.append(text(start..<i))
            }
            end = i
            skipBlanks()
            guard at(i) == Self.dot else { break }
            i += 1
        }
        return (parts, end)
    }

    /// A one-line string after its opening quote, up to and past its closing one; a basic
    /// string's escapes decoded.
    mutating func singleLineString(_ delimiter: UInt8) -> String {
        var bytes: [UInt8] = []
        while let c = at(i), c != Self.newline {
            i += 1
            if c == delimiter { break }
            if c == Self.backslash && delimiter == Self.quote, let e = at(i), e != Self.newline {
                i += 1
                bytes += unescaped(e)
            } else {
                bytes.append(c)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes of `\e` (after the backslash; `\u` and `\U` read their hex digits too).
    mutating func unescaped(_ e: UInt8) -> [UInt8] {
        switch e {
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "e"): return [0x1B]
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = e == UInt8(ascii: "u") ? 4 : 8
            let digits = i + count <= b.count ? text(i..<(i + count)) : ""
            guard let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else { return [e] }
            i += count
            return Array(String(Character(scalar)).utf8)
        default: return [e]
        }
    }

    /// A value, to the line break that ends it (not consumed): strings of all four kinds,
    /// arrays and inline tables over any number of lines, comments inside them. Returns where
    /// its last byte ends, so that blanks and a comment after it are the statement's trailer.
    mutating func value() -> Int {
        var depth = 0
        var end = i
        while let c = at(i) {
            switch c {
            case Self.newline:
                if depth == 0 { return end }
                i += 1
                line += 1
            case 0x20, 0x09, 0x0D:
                i += 1
            case Self.hash:
                skipToLineEnd()
            case Self.quote, Self.apostrophe:
                if at(i + 1) == c && at(i + 2) == c {
                    i += 3
                    multiLineString(c)
                } else {
                    i += 1
                    _ = singleLineString(c)
                }
                end = i
            case Self.open, Self.openBrace:
                depth += 1
                i += 1
                end = i
            case Self.close, Self.closeBrace:
                depth = max(0, depth - 1)
                i += 1
                end = i
            default:
                i += 1
                end = i
            }
        }
        return end
    }

    /// A `"""` or `'''` string after its opening delimiter, past its closing one (which may
    /// have one or two more quotes before it: `""""a""""`), counting its lines.
    mutating func multiLineString(_ delimiter: UInt8) {
        while let c = at(i) {
            if c == Self.newline {
                line += 1
            } else if c == Self.backslash && delimiter == Self.quote {
                i += 1
                if at(i) == Self.newline { line += 1 }
            } else if c == delimiter && at(i + 1) == delimiter && at(i + 2) == delimiter {
                i += 3
                var extra = 0
                while extra < 2 && at(i) == delimiter {
                    i += 1
                    extra += 1
                }
                return
            }
            i += 1
        }
    }
}
