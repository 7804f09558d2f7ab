/// The settings by name, in one table: what a config file line may say, what it expects, how
/// it is read and how `S` writes it back. The config reference in docs/ follows this table.
///
///     try SettingKey.named("refresh")!.read(.double(0.5), &settings)   // settings.refresh = 0.5
///     SettingKey.named("refresh")!.write(settings)                     // .double(0.5)
public struct SettingKey: Sendable {
    public let name: String
    /// What a good value looks like, for error messages and the docs.
    public let expected: String
    let read: @Sendable (SettingValue, inout Settings) -> Bool
    let write: @Sendable (Settings) -> SettingValue?

    /// Reads `value` into `settings`, or says what was expected.
    public func read(_ value: SettingValue, into settings: inout Settings) throws(SettingError) {
        guard read(value, &settings) else { throw SettingError(key: name, expected: expected, got: value) }
    }

    /// The value `settings` holds for this key, as a config file writes it; nil when unset.
    public func value(in settings: Settings) -> SettingValue? { write(settings) }

    public static func named(_ name: String) -> SettingKey? { all.first { $0.name == name } }

    /// The known name nearest to a misspelt one (`refersh` -> `refresh`), if any is close.
    public static func suggestion(for name: String) -> String? {
        let scored = all.map { ($0.name, Self.distance($0.name, name)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    public static let all: [SettingKey] = [
        text("conninfo", "a conninfo string or URI", \.conninfo),
        text("host", "a host name or socket directory", \.host),
        SettingKey(name: "port", expected: "a port number",
                   read: { v, s in
                       if case .integer(let p) = v, (1...65535).contains(p) { s.port = String(p); return true }
                       if let p = v.text, let n = Int(p), (1...65535).contains(n) { s.port = p; return true }
                       return false
                   }, write: { s in s.port.flatMap(Int.init).map(SettingValue.integer) }),
        text("user", "a role name", \.user),
        text("dbname", "a database name", \.dbname),
        seconds("refresh", "a number of seconds, at least 0.1", minimum: 0.1, \.refresh),
        seconds("idle-warn", "a number of seconds", minimum: 0, \.idleWarn),
        named("view", View.allCases.map(\.optionName), \.view, View.named, \.optionName),
        text("filter", "any text", \.filter),
        SettingKey(name: "min-duration", expected: "a duration: seconds, or 90s, 5m, 2h, 1d",
                   read: { v, s in
                       if let n = v.number, n >= 0 { s.minDuration = n; return true }
                       guard let t = v.text, let n = DurationText.seconds(t) else { return false }
                       s.minDuration = n
                       return true
                   }, write: { s in s.minDuration.map(number) }),
        named("sort", Column.allCases.map(\.optionName), \.sort, Column.named, \.optionName),
        SettingKey(name: "sort-order", expected: "\"asc\" or \"desc\"",
                   read: { v, s in
                       switch v.text?.lowercased() {
                       case "asc": s.sortDescending = false
                       case "desc": s.sortDescending = true
                       default: return false
                       }
                       return true
                   }, write: { s in s.sortDescending.map { .string($0 ? "desc" : "asc") } }),
        named("elapsed", ElapsedMode.allCases.map(\.rawValue), \.elapsed, { ElapsedMode(rawValue: $0.lowercased()) }, \.rawValue),
        SettingKey(name: "columns", expected: "a list of columns from " + Column.allCases.map(\.optionName).joined(separator: ", ")
                                                + " (each once; query, if listed, last)",
                   read: { v, s in
                       guard case .array(let items) = v else {
                           guard let t = v.text, let columns = Column.list(t) else { return false }
                           s.columns = columns
                           return true
                       }
                       let names = items.compactMap(\.text)
                       guard names.count == items.count, let columns = Column.list(names.joined(separator: ",")) else { return false }
                       s.columns = columns
                       return true
                   }, write: { s in s.columns.map { .array($0.map { .string($0.optionName) }) } }),
        flag("show-idle", \.showIdle),
        flag("show-background", \.showBackground),
        flag("show-stats", \.showStats),
        flag("host-columns", \.hostColumns),
        flag("color", \.color),
        flag("mouse", \.mouse),
        flag("allow-pid-only", \.allowPidOnly),
        named("format", ExportFormat.allCases.map(\.rawValue), \.format, { ExportFormat(rawValue: $0.lowercased()) }, \.rawValue),
        SettingKey(name: "audit-log", expected: "a file path, or false for no audit log",
                   read: { v, s in
                       switch v {
                       case .string(let path) where !path.isEmpty: s.auditLog = path
                       case .bool(false): s.noAuditLog = true
                       default: return false
                       }
                       return true
                   }, write: { s in s.noAuditLog == true ? .bool(false) : s.auditLog.map(SettingValue.string) }),
    ]

    /// The `[colors]` table: a style name and its look.
    public static let styleExpected = "a look such as \"bold yellow\", \"black on cyan\" or \"underline 208 on default\""

    // MARK: - Builders

    static func text(_ name: String, _ expected: String, _ path: WritableKeyPath<Settings, String?> & Sendable) -> SettingKey {
        SettingKey(name: name, expected: expected,
                   read: { v, s in
                       guard let t = v.text else { return false }
                       s[keyPath: path] = t
                       return true
                   }, write: { s in s[keyPath: path].map(SettingValue.string) })
    }

    static func seconds(_ name: String, _ expected: String, minimum: Double,
                        _ path: WritableKeyPath<Settings, Double?> & Sendable) -> SettingKey {
        SettingKey(name: name, expected: expected,
                   read: { v, s in
                       guard let n = v.number, n >= minimum else { return false }
                       s[keyPath: path] = n
                       return true
                   }, write: { s in s[keyPath: path].map(number) })
    }

    static func flag(_ name: String, _ path: WritableKeyPath<Settings, Bool?> & Sendable) -> SettingKey {
        SettingKey(name: name, expected: "true or false",
                   read: { v, s in
                       guard case .bool(let b) = v else { return false }
                       s[keyPath: path] = b
                       return true
                   }, write: { s in s[keyPath: path].map(SettingValue.bool) })
    }

    static func named<T>(_ name: String, _ choices: [String], _ path: WritableKeyPath<Settings, T?> & Sendable,
                         _ parse: @escaping @Sendable (String) -> T?, _ render: @escaping @Sendable (T) -> String) -> SettingKey {
        SettingKey(name: name, expected: "one of " + choices.joined(separator: ", "),
                   read: { v, s in
                       guard let t = v.text, let value = parse(t) else { return false }
                       s[keyPath: path] = value
                       return true
                   }, write: { s in s[keyPath: path].map { .string(render($0)) } })
    }

    /// Whole numbers as integers (`refresh = 2`, not `2.0`).
    static func number(_ d: Double) -> SettingValue {
        d == d.rounded() && abs(d) < 1e15 ? .integer(Int(d)) : .double(d)
    }

    /// Levenshtein distance, for suggestions between short names.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let current = row[j]
                row[j] = Swift.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}

/// A setting with a value of the wrong kind: says which, what was expected and what was found.
public struct SettingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var expected: String
    public var got: SettingValue

    public var description: String { "\(key): expected \(expected); got \(got.quoted)" }
}
