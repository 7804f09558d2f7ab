import ArgumentParser
import PGTopConfig
import PGTopCore
import PGTopPostgres

/// psql's connection flags and the database name, conninfo string or URI, shared by the
/// screen and `pgtop record` (the same words in both `--help`s).
struct ConnectionOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A database name, conninfo string or URI.", valueName: "conninfo"))
    var conninfo: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Database server host or socket directory.", valueName: "host"))
    var host: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Database server port.", valueName: "port"))
    var port: String?

    @Option(name: [.customShort("U"), .customLong("username")], help: ArgumentHelp("Database user name.", valueName: "user"))
    var user: String?

    @Option(name: [.customShort("d"), .customLong("dbname")], help: ArgumentHelp("Database name to connect to.", valueName: "dbname"))
    var dbname: String?

    /// The flags as settings (the config file's profile merges them field by field).
    func put(into s: inout Settings) {
        s.conninfo = conninfo; s.host = host; s.port = port; s.user = user; s.dbname = dbname
    }
}

/// The config file and the profile chosen in it, shared by the screen and `pgtop record`.
struct ConfigOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Settings file (default: $XDG_CONFIG_HOME/pgtop/config, TOML; see man pgtop).", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("Use the config file's [profile.NAME]: its connection and settings.", valueName: "name"))
    var profile: String?

    /// The config file's top level, the profile over it (unless `withProfile` is false: the
    /// demo watches its own cluster), the command line's `flags` over both.
    func settings(over flags: Settings, withProfile: Bool = true) throws -> (Settings, ConfigFile?) {
        guard let path = config ?? ConfigFile.defaultPath() else {
            if let profile { throw Failure("--profile \(profile): no config file (HOME is not set; use --config PATH)") }
            return (flags, nil)
        }
        do {
            let file = try ConfigFile.load(path: path, required: config != nil || profile != nil)
            let base = try file.settings(profile: withProfile ? profile : nil)
            return (base.overridden(byCommandLine: flags), file)
        } catch {
            throw Failure("\(error)")
        }
    }
}

extension Settings {
    /// How to reach the server these settings name.
    var connectionParameters: ConnectionParameters {
        ConnectionParameters(conninfo: conninfo, host: host, port: port, user: user, database: dbname)
    }
}
