import Testing
@testable import PGTopConfig
import PGTopCore

/// The config file read by the real TOML parser: good files, and every bad line named.
@Suite struct ConfigFileTests {
    static let sample = """
        # pgtop configuration
        refresh = 2
        idle-warn = 300
        view = "idle-in-transaction"
        sort = "pid"
        sort-order = "asc"
        min-duration = "5m"
        columns = ["pid", "user", "application", "state", "elapsed", "query"]

        [colors]
        selected = "black on 45"
        stuck = "bold red"

        [profile.prod]
        conninfo = "postgresql://admin@db1/app?sslmode=require"
        refresh = 5

        [profile.prod.colors]
        selected = "white on red"

        [profile.local]
        host = "/var/run/postgresql"
        port = 5433
        """

    @Test func readsTheTopLevel() throws {
        let file = try ConfigFile.parse(Self.sample, path: "cfg")
        let s = file.top
        #expect(s.refresh == 2)
        #expect(s.idleWarn == 300)
        #expect(s.view == .idleInTransaction)
        #expect(s.sortOrder == SortOrder(column: .pid, descending: false))
        #expect(s.minDuration == 300)
        #expect(s.columns == [.pid, .user, .application, .state, .elapsed, .query])
        #expect(s.colors?[.selected] == StyleSpec(foreground: 0, background: 45))
        #expect(s.colors?[.stuck] == StyleSpec(bold: true, foreground: 1))
        #expect(s.conninfo == nil)
        #expect(Set(file.profiles.keys) == ["prod", "local"])
    }

    @Test func aProfileOverridesTheTopLevel() throws {
        let file = try ConfigFile.parse(Self.sample, path: "cfg")
        let prod = try file.settings(profile: "prod")
        #expect(prod.conninfo == "postgresql://admin@db1/app?sslmode=require")
        #expect(prod.refresh == 5)
        #expect(prod.idleWarn == 300)                                    // from the top
        #expect(prod.colors?[.selected] == StyleSpec(foreground: 7, background: 1))
        #expect(prod.colors?[.stuck] == StyleSpec(bold: true, foreground: 1))  // merged style by style
        let local = try file.settings(profile: "local")
        #expect(local.port == "5433")
        #expect(local.host == "/var/run/postgresql")
        #expect(try file.settings(profile: nil) == file.top)
    }

    @Test func commandLineWinsOverProfileAndFile() throws {
        let file = try ConfigFile.parse(Self.sample, path: "cfg")
        var flags = Settings()
        flags.refresh = 0.5
        flags.sort = .elapsed   // a --sort without direction takes the column's own
        let s = try file.settings(profile: "prod").overridden(by: flags)
        #expect(s.refresh == 0.5)
        #expect(s.sortOrder == SortOrder(column: .elapsed, descending: true))
        #expect(s.conninfo == "postgresql://admin@db1/app?sslmode=require")
    }

    @Test func anUnknownProfileListsTheKnownOnes() throws {
        let file = try ConfigFile.parse(Self.sample, path: "/home/x/.config/pgtop/config")
        #expect(throws: ConfigError(path: "/home/x/.config/pgtop/config", line: nil, message: "no profile 'staging'; profiles: local, prod")) {
            try file.settings(profile: "staging")
        }
    }

    /// The one-line message for a bad file: the file, the line, what was expected.
    static func message(_ text: String) -> String {
        do {
            _ = try ConfigFile.parse(text, path: "config")
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func badValuesNameTheLineAndWhatWasExpected() {
        #expect(Self.message("refresh = 2\nrefresh2 = 1\n") == "config line 2: unknown setting 'refresh2' (did you mean refresh?)")
        #expect(Self.message("# c\n\nrefresh = \"fast\"\n")
                == "config line 3: refresh: expected a number of seconds, at least 0.1; got \"fast\"")
        #expect(Self.message("view = \"stuck\"\n")
                == "config line 1: view: expected one of all, active, idle-in-transaction, waiting, blocking; got \"stuck\"")
        #expect(Self.message("columns = [\"pid\", \"query\", \"user\"]\n").hasPrefix("config line 1: columns: expected a list of columns from pid, database"))
        #expect(Self.message("[profile.prod]\nport = 99999\n") == "config line 2: profile.prod.port: expected a port number; got 99999")
        #expect(Self.message("[colors]\nselected = \"black on purple\"\n").hasPrefix(
            "config line 2: colors.selected: expected a look such as \"bold yellow\""))
        #expect(Self.message("[colors]\nshiny = \"red\"\n").hasPrefix("config line 2: colors: unknown style 'shiny'; styles: normal, header,"))
        #expect(Self.message("profile = 3\n") == "config line 1: profile: expected tables [profile.NAME]")
        #expect(Self.message("[profile.prod]\nsort = \"cpu\"\nvieww = \"all\"\n")
                == "config line 3: unknown setting 'vieww' in [profile.prod] (did you mean view?)")
    }

    @Test func syntaxErrorsComeFromTheParserWithTheirLine() {
        let m = Self.message("refresh = 2\nview = = \"all\"\n")
        #expect(m.hasPrefix("config line 2: not TOML: "))
        #expect(Self.message("[profile.prod\nrefresh = 1\n").hasPrefix("config line 1: not TOML: "))
    }

    @Test func aMissingFileIsEmptyUnlessNamed() throws {
        let path = "/nonexistent-dir-pgtop/config"
        #expect(try ConfigFile.load(path: path).top == Settings())
        #expect(throws: ConfigError(path: path, line: nil, message: "no such file")) { try ConfigFile.load(path: path, required: true) }
    }
}
