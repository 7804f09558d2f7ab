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
