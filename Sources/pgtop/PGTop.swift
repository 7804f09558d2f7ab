import ArgumentParser
import Glibc
import PGTopConfig
import PGTopCore
import PGTopPostgres
import PGTopTerminal

/// The `pgtop` command line: psql's connection flags, then the screen.
struct PGTop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pgtop",
        abstract: "A top-like view of a PostgreSQL server's backends: sort, mark, cancel and terminate.",
        discussion: """
            Connection options work as in psql; everything else libpq understands (PGHOST,
            PGPORT, PGUSER, PGDATABASE, PGSERVICE, PGPASSWORD, ~/.pgpass, sslmode, URIs)
            works too.

            Examples:
              pgtop                    # the local server, as psql would connect
              pgtop -h db1 -p 5433 -U postgres
              pgtop "postgresql://admin@db1/app?sslmode=require"
              pgtop --profile prod     # [profile.prod] of the config file
              pgtop --demo             # a throwaway cluster with a live incident
              pgtop --once --view idle-in-transaction --min-duration 10m --format json

            Commands (the first word; see pgtop COMMAND --help):
              pgtop record [options]   # the flight recorder: headless, into a SQLite file
              pgtop replay FILE        # a recording in the same screen, over recorded time
              pgtop report FILE        # a recording's post-mortem on one page

            Without a terminal on stdout pgtop runs only with --once or --iterations: one
            snapshot (or N, one refresh apart) of exactly what the screen would show, as
            an aligned table, CSV with a header row, or JSON Lines (one object per backend
            per line). --once --terminate (or --cancel) acts on exactly the backends
            selected, with the same pid-reuse guard and audit log as the screen; without
            --yes it prints what it would do. Exit status: 0 ok; 1 nothing matched (only
            with --fail-if-empty); 2 usage or connection error, or a backend refused or
            failed; 3 dry run (no --yes).

            Settings come from the config file ($XDG_CONFIG_HOME/pgtop/config, else
            ~/.config/pgtop/config; TOML), then its [profile.NAME] section chosen by
            --profile, then the command line, which wins. Keys are the long options' names
            (refresh = 2, view, sort, sort-order = "asc", elapsed, min-duration,
            idle-warn, filter, columns = ["pid", "user", "elapsed", "query"], show-idle,
            show-background, show-stats, host-columns, color, mouse, format, audit-log,
            allow-pid-only) and, mostly in profiles, conninfo, host, port, user, dbname:
            -h, -p, -U and -d change only their own field of the profile's connection
            (--profile prod -U other keeps prod's host and port); a conninfo string or
            URI given on the command line replaces it whole. A [colors] table sets a
            style's look: selected = "black on 117", stuck = "bold 167" (names, 0-255,
            bold, dim, reverse, underline). S on the screen saves the layout there (under
            the profile in use).
            """,
        version: PGTop.version,
        helpNames: [.long, .customShort("?")]
    )

    static let version = "0.1.0"

    /// The commands named by the first word (`pgtop record ...`), each in a file of its name.
    static let subcommands: [String: ParsableCommand.Type] = [
        "record": Record.self,
        "replay": Replay.self,
        "report": Report.self,
    ]

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Refresh interval in seconds, at least 0.1 (default 1).", valueName: "seconds"))
    var refresh: Double?

    @Option(help: ArgumentHelp("Highlight sessions idle in transaction for this many seconds (default 60).", valueName: "seconds"))
    var idleWarn: Double?

    @Option(help: ArgumentHelp("Append every cancel/terminate to this file (default: $XDG_STATE_HOME/pgtop/actions.log).", valueName: "path"))
    var auditLog: String?

    @Flag(help: "Keep no audit log.")
    var noAuditLog = false

    @Flag(help: "Start a throwaway local PostgreSQL cluster with a live incident in it, watch it, remove it on exit.")
    var demo = false

    @Option(help: ArgumentHelp("Where --demo finds initdb and pg_ctl (default: PATH, then the newest /usr/lib/postgresql/*/bin).", valueName: "dir"))
    var demoBin: String?

    @OptionGroup var settingsFile: ConfigOptions

    @OptionGroup var display: DisplayOptions

    @Flag(help: "Print one snapshot and exit (no terminal needed).")
    var once = false

    @Option(help: ArgumentHelp("Print this many snapshots, one refresh apart, and exit.", valueName: "n"))
    var iterations: Int?

    @Option(help: ArgumentHelp("Output of --once/--iterations: table, csv, json (JSON Lines; default table).", valueName: "format"))
    var format: String?

    @Flag(help: "With --once/--iterations: exit 1 when no backend matched.")
    var failIfEmpty = false

    @Flag(help: "With --once: terminate exactly the backends selected (only with --yes; without it, say what would be done and exit 3).")
    var terminate = false

    @Flag(help: "With --once: cancel the queries of exactly the backends selected (only with --yes; else a dry run, exit 3).")
    var cancel = false

    @Flag(help: "Really send --terminate or --cancel.")
    var yes = false

    @Option(help: ArgumentHelp("Record what the screen watches, on its connection, into FILE as pgtop record does; a bare --record: $XDG_STATE_HOME/pgtop/HOST-PORT.pgtop. Write it --record=FILE.", valueName: "file"))
    var record: String?
    /// A bare `--record`, as Entry rewrites it (`bareRecordFlag`): the default file.
    @Flag(name: .customLong("record-default-file"), help: .hidden) var recordDefaultFile = false

    @Flag(help: "Cancel/terminate (k, c, --terminate, --cancel) a session whose backend_start is hidden from this role (no pg_read_all_stats) by its pid alone: a session given the same pid in the meantime would be signalled.")
    var allowPidOnly = false

    @Option(help: .hidden) var demoWorkload: String?
    @Option(help: .hidden) var demoDir: String?
    /// The man page's KEYS, CONFIGURATION, FILES, ENVIRONMENT and EXIT STATUS, for scripts/generate-docs.sh.
    @Flag(help: .hidden) var manualSections = false

    func validate() throws {
        _ = try flagSettings()
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1, got \(iterations)") }
        if terminate || cancel {
            guard once else { throw ValidationError("--terminate and --cancel act once: they need --once") }
            guard !(terminate && cancel) else { throw ValidationError("--terminate or --cancel, not both") }
        }
        if yes && !(terminate || cancel) { throw ValidationError("--yes confirms --terminate or --cancel; neither was given") }
        if (record != nil || recordDefaultFile) && (once || iterations != nil) {
            throw ValidationError("--record records the screen; without one, use pgtop record")
        }
        if record != nil && recordDefaultFile { throw ValidationError("--record once: --record=FILE or a bare --record") }
        if demo && settingsFile.profile != nil { throw ValidationError("--demo watches its own cluster: --profile does not apply") }
    }

    /// What the command line itself says, checked: each flag as the setting of the same name,
    /// with the same words for a bad value as the config file has.
    func flagSettings() throws -> Settings {
        var s = Settings()
        connection.put(into: &s)
        func read(_ name: String, _ value: SettingValue?) throws { try DisplayOptions.read(name, value, into: &s) }
        try read("refresh", refresh.map(SettingValue.double))
        try read("idle-warn", idleWarn.map(SettingValue.double))
        try display.put(into: &s)
        try read("format", format.map(SettingValue.string))
        try read("audit-log", auditLog.map(SettingValue.string))
        if noAuditLog { s.noAuditLog = true; s.auditLog = nil }
        if allowPidOnly { s.allowPidOnly = true }
        return s
    }

    /// The config file's top level, the profile over it, the command line over both.
    func settings() throws -> (Settings, ConfigFile?) {
        try settingsFile.settings(over: try flagSettings(), withProfile: !demo)
    }

    func run() throws {
        if manualSections {
            print(ManualPage.sections(), terminator: "")
            return
        }
        if let conninfo = demoWorkload, let directory = demoDir {
            Demo.runWorkload(conninfo: conninfo, directory: directory)
        }
        let (settings, file) = try settings()
        let options = ScriptOptions(settings)
        let audit = settings.noAuditLog == true ? nil : (settings.auditLog ?? AuditLog.defaultPath()).map(AuditLog.init)
        var demoCluster: Demo?
        defer { demoCluster?.stop() }
        if demo {
            // The screen needs a terminal: refuse before any cluster is started.
            if !(once || iterations != nil) && isatty(1) != 1 { throw Self.noTerminal }
            demoCluster = try Demo.start(binDirectory: demoBin)
        }
        let parameters = demoCluster.map {
            ConnectionParameters(conninfo: $0.cluster.conninfo(), host: nil, port: nil, user: nil, database: nil)
        } ?? Self.parameters(settings)
        if once || iterations != nil {
            let session = try Session.open(parameters)
            defer { session.close() }
            if terminate || cancel {
                let status = try Script.act(terminate ? .terminate : .cancel, session: session, options: options,
                                            confirmed: yes, audit: audit)
                if failIfEmpty && status == .nothing { throw ExitCode(1) }
                if status == .dryRun { throw ExitCode(3) }
                if status == .refused { throw ExitCode(2) }
                return
            }
            let matched = try Script.run(session: session, options: options, count: iterations ?? 1, interval: settings.refresh ?? 1)
            if failIfEmpty && !matched { throw ExitCode(1) }
        } else {
            try watch(parameters, settings: settings, audit: audit,
                      store: file.map { LayoutStore(path: $0.path, profile: demo ? nil : settingsFile.profile) })
        }
    }

    static let noTerminal = Failure("stdout is not a terminal: the screen needs one; for scripts use --once or --iterations N (see pgtop --help)")

    static func parameters(_ s: Settings) -> ConnectionParameters { s.connectionParameters }

    /// `--record` takes its file only as `--record=FILE` (swift-argument-parser has no option
    /// whose value may be left out): a bare `--record` becomes the hidden
    /// `--record-default-file`, so `pgtop --record mydb` still watches mydb. Nothing after
    /// `--` is touched.
    static func bareRecordFlag(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var options = true
        for argument in arguments {
            if argument == "--" { options = false }
            out.append(options && argument == "--record" ? "--record-default-file" : argument)
        }
        return out
    }

    /// Connects, then runs the screen until the user quits.
    func watch(_ parameters: ConnectionParameters, settings: Settings, audit: AuditLog?, store: LayoutStore?) throws {
        let session = try Session.open(parameters)  // connection problems first: they are what the operator must fix
        guard isatty(1) == 1 else {
            session.close()
            throw Self.noTerminal
        }
        var state = AppState()
        settings.apply(to: &state)
        state.server = session.server
        // --record: the recorder on the screen's connection (a refused file before the screen).
        var recorder: RecorderSink?
        if record != nil || recordDefaultFile {
            signal(SIGXFSZ, SIG_IGN)  // a file at its size limit fails a sample, never kills the screen
            do {
                let writer = try Record.openRecording(record, session: session,
                                                      interval: state.interval, idleWarn: state.idleWarn)
                recorder = RecorderSink(writer: writer, server: session.server, options: .init(idleWarn: state.idleWarn), voice: .screen)
            } catch {
                session.close()
                throw error
            }
        }
        let terminal: Terminal
        do {
            terminal = try Terminal.open(Terminal.Options(colors: settings.color ?? true, mouse: settings.mouse ?? true,
                                                          looks: settings.colors ?? [:]))
        } catch {
            recorder?.close()
            session.close()
            throw Failure("\(error)")
        }
        state.asciiOnly = !terminal.isUTF8
        let loop = EventLoop(state: state, terminal: terminal, source: LiveSource(session: session, recording: recorder != nil),
                             sinks: recorder.map { [$0] } ?? [], audit: audit, store: store)
        loop.run()
        terminal.close()
        recorder?.close()
        session.close()
        if let fatal = loop.fatal {
            Console.error("pgtop: \(fatal)")
            throw ExitCode(1)
        }
    }
}

/// A failure that ends pgtop with one line on stderr and exit status 2.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
