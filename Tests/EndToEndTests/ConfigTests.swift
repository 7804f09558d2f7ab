import Foundation
import Testing
import PGTopCore

extension EndToEnd {
    /// The config file through the real binary: profiles with connection strings, the command
    /// line winning, one-line errors naming the file and line, and on the screen the columns,
    /// colours, mouse and `S` writing the layout back.
    @Suite(.serialized, .timeLimit(.minutes(2))) struct ConfigTests {
        func write(_ text: String) throws -> String {
            let path = Harness.temporaryPath("config")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        var connection: String { "host=\(Harness.cluster.socketDirectory) port=\(Harness.cluster.port) user=postgres dbname=postgres" }

        @Test func aProfileConnectsAndTheCommandLineWins() throws {
            let app = try Harness.connect(application: "cfg-profile")
            defer { app.close() }
            let config = try write("""
                # top level: defaults for every server
                format = "csv"
                columns = ["pid", "application", "state", "elapsed"]
                audit-log = false

                [profile.test]
                conninfo = "\(connection)"
                format = "json"
                filter = "cfg-profile"

                [profile.other]
                conninfo = "host=/nonexistent port=1"
                """)
            // The profile's connection and format (over the top level's csv).
            let json = Harness.runBinary(["--config", config, "--profile", "test", "--once"])
            #expect(json.status == 0, "\(json.output)")
            #expect(json.output.hasPrefix("{\"pid\":\(app.backendPid),"), "\(json.output)")
            #expect(json.output.split(separator: "\n").count == 1)
            // The command line over the profile; the top level's columns for the table.
            let table = Harness.runBinary(["--config", config, "--profile", "test", "--once", "--format", "table"])
            #expect(table.output.split(separator: "\n").first?.split(separator: " ") == ["PID", "APPLICATION", "STATE", "ELAPSED"])
            #expect(table.output.contains("cfg-profile"))
            // Connection flags replace the profile's connection as a whole.
            let flags = Harness.runBinary(["--config", config, "--profile", "other", "--once", "-h", Harness.cluster.socketDirectory,
                                           "-p", "\(Harness.cluster.port)", "-U", "postgres", "-d", "postgres", "--filter", "cfg-profile"])
            #expect(flags.status == 0, "\(flags.output)")
            #expect(flags.output.hasPrefix("pid,backend_start,"))   // the top level's csv
            // Without --config, $XDG_CONFIG_HOME/pgtop/config.
            let home = Harness.temporaryPath("xdg")
            try FileManager.default.createDirectory(atPath: home + "/pgtop", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: config, toPath: home + "/pgtop/config")
            let xdg = Harness.runBinary(["--profile", "test", "--once"], environment: ["XDG_CONFIG_HOME": home])
            #expect(xdg.output.hasPrefix("{\"pid\":\(app.backendPid),"), "\(xdg.output)")
        }

        /// Issue 13: `--profile p -U other` threw away the profile's host and port (and so
        /// tried the default socket). Flags now change single fields; a conninfo on the command
        /// line still replaces the profile's connection whole.
        @Test func connectionFlagsMergeIntoTheProfile() throws {
            let config = try write("""
                audit-log = false
                [profile.here]
                host = "\(Harness.cluster.socketDirectory)"
                port = \(Harness.cluster.port)
                user = "postgres"
                dbname = "no_such_database"
                """)
            let other = Harness.runBinary(["--config", config, "--profile", "here", "--once", "-U", "no_such_role"])
            #expect(other.status == 2)
            #expect(other.output.contains("role \"no_such_role\" does not exist"), "\(other.output)")   // the profile's server answered
            let database = Harness.runBinary(["--config", config, "--profile", "here", "--once", "-d", "postgres"])
            #expect(database.status == 0, "\(database.output)")
            let argument = Harness.runBinary(["--config", config, "--profile", "here", "--once", "postgres"])
            #expect(argument.status == 0, "\(argument.output)")
            // A conninfo replaces it whole: the profile's dbname is not used.
            let whole = Harness.runBinary(["--config", config, "--profile", "here", "--once",
                                           "host=\(Harness.cluster.socketDirectory) port=\(Harness.cluster.port) user=postgres"])
            #expect(whole.status == 0, "\(whole.output)")
            let stale = Harness.runBinary(["--config", config, "--profile", "here", "--once"])
            #expect(stale.status == 2 && stale.output.contains("no_such_database"), "\(stale.output)")
        }

        @Test func aBadFileIsOneLineNamingTheFileAndTheLine() throws {
            let config = try write("refresh = 2\n\n[profile.prod]\nconninfo = \"host=db1\"\nview = \"stuck\"\n")
            let bad = Harness.runBinary(["--config", config, "--once"])
            #expect(bad.status == 2)
            #expect(bad.output == "pgtop: \(config) line 5: profile.prod.view: expected one of all, active, idle-in-transaction, waiting, blocking; got \"stuck\"\n")
            let syntax = try write("refresh = 2\ncolumns = [\"pid\"\n")
            let broken = Harness.runBinary(["--config", syntax, "--once"])
            #expect(broken.status == 2)
            #expect(broken.output.hasPrefix("pgtop: \(syntax) line "), "\(broken.output)")
            #expect(broken.output.contains(": not TOML: "))
            #expect(broken.output.split(separator: "\n").count == 1)
            let good = try write("[profile.a]\nhost = \"x\"\n[profile.b]\nhost = \"y\"\n")
            let unknown = Harness.runBinary(["--config", good, "--profile", "prod", "--once"])
            #expect(unknown.output == "pgtop: \(good): no profile 'prod'; profiles: a, b\n")
            let missing = Harness.runBinary(["--config", "/nonexistent/pgtop.toml", "--once"])
            #expect(missing.output == "pgtop: /nonexistent/pgtop.toml: no such file\n")
            let flag = Harness.runBinary(["--columns", "pid,bogus", "--once"])
            #expect(flag.status == 2)
            #expect(flag.output.hasPrefix("pgtop: --columns: expected a list of columns from pid, database,"), "\(flag.output)")
        }

        /// On the screen: the chosen columns and colours, a click selects a row and sorts by a
        /// title, the wheel scrolls, and `S` writes the layout back keeping the file's comments.
        @Test func theScreenUsesTheFileAndSavesItsLayout() throws {
            let apps = try (1...6).map { try Harness.connect(application: "cfg-screen-\($0)") }
            defer { apps.forEach { $0.close() } }
            let config = try write("""
                # my layout
                columns = [   # a multi-line array: S said "not TOML" before
                  "pid", "application",
                  "state", "elapsed", "query",
                ]
                filter = "cfg-screen"
                sort = "application"
                sort-order = "asc"

                [colors]
                selected = "bold white on 22"
                """)
            let tmux = try Tmux("env -u NO_COLOR " + Harness.command("--config \(config)"), width: 110, height: 30,
                                environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
            let screen = try tmux.wait(for: "cfg-screen-6")
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            let title = try #require(lines.firstIndex { $0.contains(" PID ") })
            #expect(lines[title].split(separator: " ") == ["PID", "APPLICATION▲", "STATE", "ELAPSED", "QUERY"])
            #expect(lines[title + 1].contains("cfg-screen-1"))
            try tmux.wait(for: "the file's look for the selection") { _ in
                (try? tmux.capture(attributes: true).contains("1m\u{1B}[37m\u{1B}[48;5;22m")) == true
            }

            // The mouse as xterm (and tmux, and most terminals) reports it in SGR mode, which the
            // xterm-256color entry asks for: ESC [ < button ; x ; y M (press) or m (release), from 1.
            func mouse(_ button: Int, x: Int, y: Int, release: Bool = false) throws {
                try tmux.type("\u{1B}[<\(button);\(x + 1);\(y + 1)" + (release ? "m" : "M"))
            }
            try mouse(0, x: 10, y: title + 4)   // press on the 4th row
            try mouse(0, x: 10, y: title + 4, release: true)
            func selectedRow() -> String {
                String((try? tmux.capture(attributes: true))?.split(separator: "\n").first { $0.contains("48;5;22m") } ?? "")
            }
            try tmux.wait(for: "the 4th row selected") { _ in selectedRow().contains("cfg-screen-4") }
            try mouse(0, x: 2, y: title)        // the PID title
            try mouse(0, x: 2, y: title, release: true)
            try tmux.wait(for: "Sort: PID")
            try tmux.wait(for: "the selection kept") { _ in selectedRow().contains("cfg-screen-4") }
            try mouse(65, x: 10, y: title + 2)  // wheel down: three rows, from the 4th pid to the 6th (the last)
            try tmux.wait(for: "the wheel") { _ in selectedRow().contains("cfg-screen-6") }

            try tmux.send("S")
            try tmux.wait(for: "Layout saved to \(config)")
            let saved = Harness.read(config)
            #expect(saved.hasPrefix("# my layout\ncolumns = [\"pid\", \"application\", \"state\", \"elapsed\", \"query\"]\nfilter"), "\(saved)")
            #expect(saved.contains("sort = \"pid\"\nsort-order = \"asc\"\n"))
            #expect(saved.contains("filter = \"cfg-screen\""))          // left as it was
            #expect(saved.contains("[colors]\nselected = \"bold white on 22\""))
            try tmux.send("q")
        }
    
        /// `--config` on a FIFO: refused at once (before the fix pgtop blocked in open(2)
        /// forever), one line, exit 2. A huge dotted key is one line too, at once.
        @Test func aFIFOOrAHugeKeyIsOneLineAtOnce() throws {
            let fifo = Harness.temporaryPath("fifo")
            #expect(mkfifo(fifo, 0o600) == 0)
            let blocked = Harness.runBinary(["--config", fifo, "--once"], timeout: 20)
            #expect(blocked.status == 2, "\(blocked.output)")
            #expect(blocked.output == "pgtop: \(fifo): a named pipe (FIFO), not a regular file: not read\n")
            let parts = (0..<20_000).map { "k\($0)" }.joined(separator: ".")
            let huge = try write("refresh = 2\n\(parts) = 1\n")
            let deep = Harness.runBinary(["--config", huge, "--once"], timeout: 60)
            #expect(deep.status == 2)
            #expect(deep.output.hasPrefix("pgtop: \(huge) line 2: unknown setting 'k0'"), "\(deep.output.prefix(200))")
        }

        /// `S` through a link to a file another user owns (root would take it over): not
        /// replaced, and the footer names the real target.
        @Test func saveThroughALinkToAnotherUsersFileIsRefused() throws {
            guard geteuid() == 0, let entry = getpwnam("nobody") else {
                print("skipped saveThroughALinkToAnotherUsersFileIsRefused: needs root and the user nobody")
                return
            }
            let (uid, gid) = (entry.pointee.pw_uid, entry.pointee.pw_gid)   // getpwnam's buffer is reused
            let theirs = try write("# theirs\n")
            #expect(chown(theirs, uid, gid) == 0)
            let link = Harness.temporaryPath("config-link")
            #expect(symlink(theirs, link) == 0)
            let tmux = try Tmux(Harness.command("--config \(link)"), width: 230, height: 20, environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "Connections")
            try tmux.send("S")
            try tmux.wait(for: "Layout not saved: \(theirs): owned by nobody (uid \(uid)), not by root (uid 0): not replaced (\(link) links to it)")
            try tmux.send("q")
            #expect(Harness.read(theirs) == "# theirs\n")
        }
    }
}
