/// A value as a config file or the command line gave it, before it is checked: what a TOML
/// parser hands over, without its types.
///
///     .string("5m"), .integer(2), .double(0.5), .bool(false), .array([.string("pid")])
public enum SettingValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    case array([SettingValue])
    /// A table where a value was expected (`[colors]` is the one table a setting may be).
    case table([String: SettingValue])

    /// How an error message quotes it: `"fast"`, `2`, `true`, `["pid", 3]`, `a table`.
    public var quoted: String {
        switch self {
        case .string(let s): return "\"" + Sanitizer.fit(s, width: 40).text + "\""
        case .integer(let i): return String(i)
        case .double(let d): return "\(d)"
        case .bool(let b): return b ? "true" : "false"
        case .array(let items): return "[" + items.map(\.quoted).joined(separator: ", ") + "]"
        case .table: return "a table"
        }
    }

    var number: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .double(let d): return d.isFinite ? d : nil
        default: return nil
        }
    }

    var text: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
