import PGTopCore

/// Writes settings into a config file's text where they belong, leaving every other line
/// (comments, other keys, other profiles) as it was: a key already in the section gets its
/// line replaced, a new one goes after the section's last key; a missing profile section is
/// added at the end.
///
///     ConfigEditor.set(layout, in: text, profile: "prod")
///
/// The keys named in `removing` lose their lines in that section (a threshold cleared on the
/// screen); other sections keep theirs.
enum ConfigEditor {
    static func set(_ settings: Settings, in text: String, profile: String?, removing: [String] = []) -> String {
        var lines = text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let header = profile.map { "[profile.\(quotedKey($0))]" }
        var section = range(of: header, in: lines)
        if section == nil, let header {
            if let last = lines.last, !last.trimmingCharacters().isEmpty { lines.append("") }
            lines.append(header)
            section = lines.count..<lines.count
        }
        guard var section else { return text }
        for at in section.reversed() where keyName(lines[at]).map(removing.contains) == true {
            lines.remove(at: at)
            section = section.lowerBound..<(section.upperBound - 1)
        }
        for key in SettingKey.all {
            guard let value = key.value(in: settings) else { continue }
            let line = "\(key.name) = \(toml(value))"
            if let at = section.first(where: { keyName(lines[$0]) == key.name }) {
                lines[at] = line
            } else {
                // After the section's last key or header, before the blank lines that end it.
                var at = section.upperBound
                while at > section.lowerBound && lines[at - 1].trimmingCharacters().isEmpty { at -= 1 }
                lines.insert(line, at: at)
                section = section.lowerBound..<(section.upperBound + 1)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The lines of a section's body: the top level (nil) runs to the first table header.
    static func range(of header: String?, in lines: [String]) -> Range<Int>? {
        let headers = lines.indices.filter { lines[$0].trimmingCharacters().hasPrefix("[") }
        guard let header else { return 0..<(headers.first ?? lines.count) }
        guard let start = headers.first(where: { normalized(lines[$0]) == normalized(header) }) else { return nil }
        let end = headers.first { $0 > start } ?? lines.count
        return (start + 1)..<end
    }

    static func normalized(_ header: String) -> String {
        String(header.trimmingCharacters().prefix { $0 != "#" }.filter { $0 != " " && $0 != "\t" && $0 != "\"" })
    }

    /// The key a `key = value` line sets, if it is such a line.
    static func keyName(_ line: String) -> String? {
        let trimmed = line.trimmingCharacters()
        guard !trimmed.hasPrefix("#"), let end = SourceLines.keyEnd(trimmed) else { return nil }
        return SourceLines.path(trimmed[..<end]).joined(separator: ".")
    }

    static func quotedKey(_ name: String) -> String {
        name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } && !name.isEmpty ? name : tomlString(name)
    }

    /// The value in TOML.
    static func toml(_ value: SettingValue) -> String {
        switch value {
        case .string(let s): return tomlString(s)
        case .integer(let i): return String(i)
        case .double(let d): return "\(d)"
        case .bool(let b): return b ? "true" : "false"
        case .array(let items): return "[" + items.map(toml).joined(separator: ", ") + "]"
        case .table(let entries): return "{ " + entries.keys.sorted().map { "\(quotedKey($0)) = \(toml(entries[$0]!))" }.joined(separator: ", ") + " }"
        }
    }

    /// A basic TOML string. JSON's escapes (`\"`, `\\`, `\n`, `\u001b`) are all TOML's too.
    static func tomlString(_ s: String) -> String { Export.jsonString(s) }
}

extension ConfigFile {
    /// `S`: writes the screen's layout into the file, under the profile in use or at the top,
    /// after checking that the new text still reads as a good config. Says where it went.
    /// The keys in `removing` lose their lines in that section.
    public static func save(_ layout: Settings, to path: String, profile: String?, removing: [String] = []) throws(ConfigError) -> String {
        let before = try FileText.read(path) ?? "# pgtop configuration (TOML): see `man pgtop` or docs/configuration.md\n"
        let after = ConfigEditor.set(layout, in: before, profile: profile, removing: removing)
        _ = try parse(after, path: path)
        try FileText.write(after, to: path)
        return (profile.map { "[profile.\($0)] in " } ?? "") + path
    }
}

extension String {
    func trimmingCharacters() -> Substring { Substring(self).trimmingCharacters() }
}
