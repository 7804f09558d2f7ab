import Glibc
import PGTopCore
import TOMLKit

/// The config file (`$XDG_CONFIG_HOME/pgtop/config`, TOML): defaults for every setting at the
/// top, the look in `[colors]`, named profiles in `[profile.NAME]` (usually a `conninfo` and
/// whatever else differs for that server, their own `[profile.NAME.colors]` too).
///
///     refresh = 2
///     columns = ["pid", "user", "application", "state", "elapsed", "query"]
///     [colors]
///     selected = "black on 45"
///     [profile.prod]
///     conninfo = "postgresql://admin@db1/app?sslmode=require"
///
///     let file = try ConfigFile.load(path: path)
///     let settings = try file.settings(profile: "prod")
public struct ConfigFile: Sendable {
    public let path: String
    /// The top level's settings.
    public let top: Settings
    public let profiles: [String: Settings]

    /// `$XDG_CONFIG_HOME/pgtop/config`, else `$HOME/.config/pgtop/config`.
    public static func defaultPath() -> String? {
        if let xdg = environment("XDG_CONFIG_HOME"), xdg.hasPrefix("/") { return xdg + "/pgtop/config" }
        if let home = environment("HOME"), !home.isEmpty { return home + "/.config/pgtop/config" }
        return nil
    }

    /// Reads and checks the file. A file that is not there is an empty config unless `required`
    /// (the user named it with `--config`).
    public static func load(path: String, required: Bool = false) throws(ConfigError) -> ConfigFile {
        guard let text = try FileText.read(path) else {
            if required { throw ConfigError(path: path, line: nil, message: "no such file") }
            return ConfigFile(path: path, top: Settings(), profiles: [:])
        }
        return try parse(text, path: path)
    }

    /// Checks `text` as the file at `path` would be checked.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> ConfigFile {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(path: path, line: error.source.begin.line,
                              message: "not TOML: \(Sanitizer.clean(error.description).lowercasedFirst) (column \(error.source.begin.column))")
        } catch {
            throw ConfigError(path: path, line: nil, message: "not TOML: \(error)")
        }
        let lines = SourceLines(text)
        func failure(_ at: [String], _ message: String) -> ConfigError {
            ConfigError(path: path, line: lines.line(of: at), message: message)
        }
        var top = Settings()
        var profiles: [String: Settings] = [:]
        for key in table.keys.sorted(by: { (lines.line(of: [$0]) ?? 0) < (lines.line(of: [$1]) ?? 0) }) {
            guard let value = table[key] else { continue }
            if key == "profile" {
                guard let section = value.table else { throw failure([key], "profile: expected tables [profile.NAME]") }
                for name in section.keys {
                    guard let body = section[name]?.table else {
                        throw failure([key, name], "profile.\(name): expected a table [profile.\(name)] of settings")
                    }
                    profiles[name] = try settings(body, at: [key, name], failure)
                }
            } else {
                try read(key, value, at: [], into: &top, failure)
            }
        }
        return ConfigFile(path: path, top: top, profiles: profiles)
    }

    /// The settings for a run: the top level, then the profile's over it.
    public func settings(profile: String?) throws(ConfigError) -> Settings {
        guard let profile else { return top }
        guard let chosen = profiles[profile] else {
            let known = profiles.keys.sorted()
            throw ConfigError(path: path, line: nil, message: "no profile '\(profile)'"
                              + (known.isEmpty ? " (the file has none)" : "; profiles: " + known.joined(separator: ", ")))
        }
        return top.overridden(by: chosen)
    }

    // MARK: - Tables to settings

    static func settings(_ table: TOMLTable, at path: [String], _ failure: ([String], String) -> ConfigError) throws(ConfigError) -> Settings {
        var settings = Settings()
        for key in table.keys {
            guard let value = table[key] else { continue }
            try read(key, value, at: path, into: &settings, failure)
        }
        return settings
    }

    static func read(_ key: String, _ value: TOMLValueConvertible, at path: [String], into settings: inout Settings,
                     _ failure: ([String], String) -> ConfigError) throws(ConfigError) {
        let name = (path + [key]).joined(separator: ".")
        if key == "colors" {
            guard let table = value.table else { throw failure(path + [key], "\(name): expected a table of styles [colors]") }
            var colors: [Style: StyleSpec] = [:]
            for styleName in table.keys {
                let at = path + [key, styleName]
                guard let style = Style.named(styleName) else {
                    throw failure(at, "\(name): unknown style '\(styleName)'; styles: "
                                  + Style.allCases.map(\.configName).joined(separator: ", "))
                }
                guard let text = table[styleName]?.string, let spec = StyleSpec.parse(text) else {
                    throw failure(at, "\(name).\(styleName): expected \(SettingKey.styleExpected); got "
                                  + (table[styleName].map(settingValue)?.quoted ?? "nothing"))
                }
                colors[style] = spec
            }
            settings.colors = colors
            return
        }
        guard let setting = SettingKey.named(key) else {
            let hint = SettingKey.suggestion(for: key).map { " (did you mean \($0)?)" } ?? ""
            let where_ = path.isEmpty ? "" : " in [\(path.joined(separator: "."))]"
            throw failure(path + [key], "unknown setting '\(key)'\(where_)\(hint)")
        }
        do {
            try setting.read(settingValue(value), into: &settings)
        } catch {
            var error = error
            error.key = name
            throw failure(path + [key], error.description)
        }
    }

    /// TOMLKit's value as the core's, dates as their text.
    static func settingValue(_ value: TOMLValueConvertible) -> SettingValue {
        switch value.type {
        case .string: return .string(value.string ?? "")
        case .int: return .integer(value.int ?? 0)
        case .double: return .double(value.double ?? .nan)
        case .bool: return .bool(value.bool ?? false)
        case .array: return .array(value.array.map { $0.map(settingValue) } ?? [])
        case .table:
            var entries: [String: SettingValue] = [:]
            if let t = value.table { for k in t.keys { if let v = t[k] { entries[k] = settingValue(v) } } }
            return .table(entries)
        default: return .string(String(describing: value))
        }
    }

    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}

/// A config file problem, said in one line that names the file and, where it can, the line:
/// `~/.config/pgtop/config line 4: refresh: expected a number of seconds, at least 0.1; got "fast"`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var message: String

    /// One printable line whatever the file holds (a key may be any string, escapes included).
    public var description: String { Sanitizer.clean(path + (line.map { " line \($0)" } ?? "") + ": " + message) }
}

extension String {
    var lowercasedFirst: String { first.map { $0.lowercased() + dropFirst() } ?? self }
}
