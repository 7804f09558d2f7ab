/// Where each key and table of a TOML text sits, by dotted path, so that an error about a
/// value can name its line (the parser only places syntax errors).
///
///     let lines = SourceLines("refresh = 2\n[profile.prod]\nview = \"x\"\n")
///     lines.line(of: ["profile", "prod", "view"])   // 3
struct SourceLines {
    private var lines: [String: Int] = [:]

    init(_ text: String) {
        var table: [String] = []
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.trimmingCharacters()
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("[") {
                let inner = line.drop { $0 == "[" }.prefix { $0 != "]" }
                table = Self.path(inner)
                record(table, number)
            } else if let equals = Self.keyEnd(line) {
                record(table + Self.path(line[..<equals]), number)
            }
        }
    }

    /// The line of the key or table at `path` (1-based); for a table given only by dotted keys,
    /// the line of its first key.
    func line(of path: [String]) -> Int? { lines[path.joined(separator: "\u{1F}")] }

    private mutating func record(_ path: [String], _ number: Int) {
        // Every prefix too, first mention wins: a table named only through its keys has a line.
        for end in stride(from: path.count, to: 0, by: -1) {
            let key = path[..<end].joined(separator: "\u{1F}")
            if lines[key] == nil { lines[key] = number }
        }
    }

    /// `a."b.c" . d` -> ["a", "b.c", "d"].
    static func path(_ text: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for c in text {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "." {
                parts.append(current)
                current = ""
            } else if c != " " && c != "\t" {
                current.append(c)
            }
        }
        parts.append(current)
        return parts
    }

    /// Where the key of a `key = value` line ends (the `=` outside quotes), if it is one.
    static func keyEnd(_ line: Substring) -> Substring.Index? {
        var quote: Character?
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "=" {
                return i
            }
            i = line.index(after: i)
        }
        return nil
    }
}
