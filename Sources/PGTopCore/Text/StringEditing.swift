/// Small string edits the core needs, without Foundation.
extension Substring {
    /// Spaces and tabs off both ends.
    public func trimmingCharacters() -> Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}

extension String {
    /// Spaces off the end (a table line without its padding).
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }

    /// Every `target` character replaced by `replacement`.
    public func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}

/// A one-line prompt's text as it is typed (the `/` filter): a length cap, and each key
/// O(1) amortised however long the paste (the length is the UTF-8 count, which a native
/// String keeps; never `count`, which walks the whole text).
///
///     var text = ""
///     PromptText.type("a", into: &text)          // .changed, text == "a"
///     PromptText.erase(&text)                    // .changed, text == ""
enum PromptText {
    /// The most a prompt holds, in UTF-8 bytes. The filter matches pg_stat_activity's fields,
    /// the longest of which is the query cut to 256 characters (1,024 bytes at most): a longer
    /// filter cannot match anything.
    static let limit = 1024

    enum Outcome: Equatable {
        case changed
        /// Nothing to do (erase on an empty text).
        case unchanged
        /// The character would take the text over `limit`: it was dropped.
        case full
    }

    static func type(_ c: Character, into text: inout String, limit: Int = limit) -> Outcome {
        guard text.utf8.count + c.utf8.count <= limit else { return .full }
        text.append(c)
        return .changed
    }

    static func erase(_ text: inout String) -> Outcome {
        guard !text.isEmpty else { return .unchanged }
        text.removeLast()
        return .changed
    }
}
