import PGTopCore

/// Writes settings into a config file's text where they belong, leaving every other line
/// (comments, other keys, other profiles) as it was: a key already set gets its whole
/// statement replaced (a multi-line array too), written as it was (`"sort"`, `prod.view`) with
/// the comment after it kept; a new one goes after the last key of its table, whether that
/// table is a `[profile.NAME]` section or dotted keys (`prod.view = ...` under `[profile]`);
/// a missing profile section is added at the end. The statements come from `TOMLStatement`,
/// so a line inside a multi-line string or array is never taken for a key or a header.
///
///     try ConfigEditor.set(layout, in: text, profile: "prod")
///
/// The keys named in `removing` lose their statements in that table (a threshold cleared on
/// the screen); other tables keep theirs.
enum ConfigEditor {
    /// Why the text cannot take the settings: the profile is an inline table
    /// (`prod = { ... }`), which is not edited.
    struct Refusal: Error, Equatable {
        var line: Int
        var message: String
    }

    static func set(_ settings: Settings, in text: String, profile: String?, removing: [String] = []) throws(Refusal) -> String {
        var lines = text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let place = profile.map { ["profile", $0] } ?? []
        for name in removing {
            let target = place + [name]
            for own in TOMLStatement.scan(lines.joined(separator: "\n")).reversed()
            where own.kind == .keyValue && path(own, is: target) {
                lines.removeSubrange(own.lines)
            }
        }
        for key in SettingKey.all {
            guard let value = key.value(in: settings) else { continue }
            try set(key.name, to: toml(value), at: place, in: &lines)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One key: its statement replaced, or a line added after the last key of `place`, or (no
    /// such table yet) a new section. The text is scanned again for each key (a few per `S`).
    static func set(_ name: String, to value: String, at place: [String], in lines: inout [String]) throws(Refusal) {
        let statements = TOMLStatement.scan(lines.joined(separator: "\n"))
        let target = place + [name]
        if let own = statements.first(where: { $0.kind == .keyValue && path($0, is: target) }) {
            lines.replaceSubrange(own.lines, with: [own.indent + own.keyText + " = " + value + own.trailer])
            return
        }
        if !place.isEmpty, let inline = statements.first(where: { $0.kind == .keyValue && path($0, isPrefixOf: place) }) {
            throw Refusal(line: inline.lines.lowerBound + 1,
                          message: "[\(dotted(place))] is written inline (`\(inline.keyText) = ...`); S edits a [\(dotted(place))] section or its dotted keys: not saved")
        }
        // The last statement of the table: its header, or a key in it (the prefix is how that
        // key reaches the table from its own: `prod.` under `[profile]`).
        var last: (statement: TOMLStatement, prefix: [String])?
        for s in statements {
            if s.kind == .table && s.table == place && !place.isEmpty {
                last = (s, [])
            } else if s.kind == .keyValue && s.table.count <= place.count && place.starts(with: s.table)
                        && s.table.count + s.key.count > place.count && path(s, startsWith: place) {
                last = (s, Array(place[s.table.count...]))
            }
        }
        if let (s, prefix) = last {
            let indent = s.kind == .keyValue ? s.indent : ""
            lines.insert(indent + (prefix + [name]).map(quotedKey).joined(separator: ".") + " = " + value,
                         at: s.lines.upperBound + 1)
        } else if place.isEmpty {
            // No key at the top yet: after its comments, before the blank lines ending it.
            var at = statements.first { $0.kind != .keyValue }?.lines.lowerBound ?? lines.count
            while at > 0 && lines[at - 1].trimmingCharacters().isEmpty { at -= 1 }
            lines.insert(quotedKey(name) + " = " + value, at: at)
        } else {
            if let end = lines.last, !end.trimmingCharacters().isEmpty { lines.append("") }
            lines.append("[" + place.map(quotedKey).joined(separator: ".") + "]")
            lines.append(quotedKey(name) + " = " + value)
        }
    }

    /// The statement's whole path (its table's, then its key's) compared without building it.
    static func path(_ s: TOMLStatement, is target: [String]) -> Bool {
        s.table.count + s.key.count == target.count && path(s, startsWith: target)
    }

    static func path(_ s: TOMLStatement, startsWith prefix: [String]) -> Bool {
        s.table.count + s.key.count >= prefix.count && [s.table, s.key].joined().starts(with: prefix)
    }

    static func path(_ s: TOMLStatement, isPrefixOf place: [String]) -> Bool {
        s.table.count + s.key.count <= place.count && place.starts(with: [s.table, s.key].joined())
    }

    static func dotted(_ path: [String]) -> String { path.map(quotedKey).joined(separator: ".") }

    static func quotedKey(_ name: String) -> String {
        name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } && !name.isEmpty ? name : tomlString(name)
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
        let after: String
        do {
            after = try ConfigEditor.set(layout, in: before, profile: profile, removing: removing)
        } catch {
            throw ConfigError(path: path, line: error.line, message: error.message)
        }
        _ = try parse(after, path: path)
        try FileText.write(after, to: path)
        return (profile.map { "[profile.\($0)] in " } ?? "") + path
    }
}

extension String {
    func trimmingCharacters() -> Substring { Substring(self).trimmingCharacters() }
}
