import ArgumentParser
import Glibc
import PGTopCore
import PGTopPostgres
import PGTopTerminal

/// The `pgtop` command line: psql's connection flags, then the screen.
struct PGTop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pgtop",
        abstract: "A top-like view of a PostgreSQL server's backends: sort, mark, cancel and terminate.",
        discussion: """
            Connection options work as in psql; everything else libpq understands (PGHOST, PGPORT,
            PGUSER, PGDATABASE, PGSERVICE, PGPASSWORD, ~/.pgpass, sslmode, URIs) works too.
            Examples:
              pgtop                                  # the local server, as psql would connect
              pgtop -h db1 -p 5433 -U postgres
              pgtop "postgresql://admin@db1/app?sslmode=require"
              pgtop --demo                           # a throwaway local cluster with a live incident
              pgtop --once --view idle-in-transaction --min-duration 10m --format json

            Without a terminal on stdout pgtop runs only with --once or --iterations: one snapshot
            (or N, one refresh apart) of exactly what the screen would show, as an aligned table,
            CSV with a header row, or JSON Lines (one object per backend per line).
            --once --terminate (or --cancel) acts on exactly the backends selected, with the same
            pid-reuse guard and audit log as the screen; without --yes it prints what it would do.
            Exit status: 0 ok; 1 nothing matched (only with --fail-if-empty); 2 usage or
            connection error, or a backend refused or failed; 3 dry run (no --yes).
            """,
        version: PGTop.version,
        helpNames: [.long, .customShort("?")]
    )

    static let version = "0.1.0"

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

    @Option(name: .shortAndLong, help: ArgumentHelp("Refresh interval in seconds (at least 0.1).", valueName: "seconds"))
    var refresh: Double = 1

    @Option(help: ArgumentHelp("Highlight sessions idle in transaction for this many seconds.", valueName: "seconds"))
    var idleWarn: Double = 60

    @Option(help: ArgumentHelp("Append every cancel/terminate to this file (default: $XDG_STATE_HOME/pgtop/actions.log).", valueName: "path"))
    var auditLog: String?

    @Flag(help: "Keep no audit log.")
    var noAuditLog = false

    @Flag(help: "Start a throwaway local PostgreSQL cluster with a live incident in it, watch it, remove it on exit.")
    var demo = false

    @Option(help: ArgumentHelp("Where --demo finds initdb and pg_ctl (default: PATH, then the newest /usr/lib/postgresql/*/bin).", valueName: "dir"))
    var demoBin: String?

    @Option(help: ArgumentHelp("First view: all, active, idle-in-transaction, waiting, blocking.", valueName: "view"))
    var view: String = "all"

    @Option(help: ArgumentHelp("Only backends whose pid, database, user, application, client, state or query contains this (any case).", valueName: "text"))
    var filter: String?

    @Option(help: ArgumentHelp("Only backends older than this by the ELAPSED clock: 90, 90s, 5m, 2h, 1d.", valueName: "duration"))
    var minDuration: String?

    @Option(help: ArgumentHelp("Sort column: pid, database, user, client, application, state, wait, blocked-by, elapsed, query (natural direction).", valueName: "column"))
    var sort: String = "elapsed"

    @Option(help: ArgumentHelp("ELAPSED since the query, transaction or backend start.", valueName: "clock"))
    var elapsed: String = "query"

    @Flag(help: "No colours: bold, reverse and underline only (as when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "Print one snapshot and exit (no terminal needed).")
    var once = false

    @Option(help: ArgumentHelp("Print this many snapshots, one refresh apart, and exit.", valueName: "n"))
    var iterations: Int?

    @Option(help: ArgumentHelp("Output of --once/--iterations: table, csv, json (JSON Lines).", valueName: "format"))
    var format: String = "table"

    @Flag(help: "With --once/--iterations: exit 1 when no backend matched.")
    var failIfEmpty = false

    @Flag(help: "With --once: terminate exactly the backends selected (only with --yes; without it, say what would be done and exit 3).")
    var terminate = false

    @Flag(help: "With --once: cancel the queries of exactly the backends selected (only with --yes; else a dry run, exit 3).")
    var cancel = false

    @Flag(help: "Really send --terminate or --cancel.")
    var yes = false

    @Option(help: .hidden) var demoWorkload: String?
    @Option(help: .hidden) var demoDir: String?

    func validate() throws {
        guard refresh.isFinite, refresh >= 0.1 else {
            throw ValidationError("--refresh must be at least 0.1 seconds, got \(refresh)")
        }
        guard idleWarn.isFinite, idleWarn >= 0 else {
            throw ValidationError("--idle-warn must be a number of seconds, got \(idleWarn)")
        }
        _ = try options()
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1, got \(iterations)") }
        if terminate || cancel {
            guard once else { throw ValidationError("--terminate and --cancel act once: they need --once") }
            guard !(terminate && cancel) else { throw ValidationError("--terminate or --cancel, not both") }
        }
        if yes && !(terminate || cancel) { throw ValidationError("--yes confirms --terminate or --cancel; neither was given") }
    }

    /// The view, filter, sort and output options, checked: the same for the screen and --once.
    func options() throws -> ScriptOptions {
        guard let view = ScriptOptions.view(view) else {
            throw ValidationError("--view must be one of all, active, idle-in-transaction, waiting, blocking; got '\(view)'")
        }
        guard let column = ScriptOptions.column(sort) else {
            throw ValidationError("--sort must be a column: pid, database, user, client, application, state, wait, blocked-by, elapsed, query; got '\(sort)'")
        }
        guard let clock = ElapsedMode(rawValue: elapsed) else {
            throw ValidationError("--elapsed must be query, transaction or backend; got '\(elapsed)'")
        }
        guard let output = ExportFormat(rawValue: format) else {
            throw ValidationError("--format must be table, csv or json; got '\(format)'")
        }
        var minimum: Double?
        if let minDuration {
            guard let seconds = ScriptOptions.duration(minDuration) else {
                throw ValidationError("--min-duration takes a number of seconds or 90s, 5m, 2h, 1d; got '\(minDuration)'")
            }
            minimum = seconds
        }
        return ScriptOptions(view: view, filter: filter ?? "", sort: SortOrder(column: column, descending: column.defaultDescending),
                             elapsed: clock, minDuration: minimum, format: output)
    }

    func run() throws {
        if let conninfo = demoWorkload, let directory = demoDir {
            Demo.runWorkload(conninfo: conninfo, directory: directory)
        }
        if demo {
            let demo = try Demo.start(binDirectory: demoBin)
            defer { demo.stop() }
            let parameters = ConnectionParameters(conninfo: demo.cluster.conninfo(), host: nil, port: nil, user: nil, database: nil)
            try watch(parameters)
        } else if once || iterations != nil {
            let session = try Session.open(ConnectionParameters(conninfo: conninfo, host: host, port: port, user: user, database: dbname))
            defer { session.close() }
            if terminate || cancel {
                let audit = noAuditLog ? nil : (auditLog ?? AuditLog.defaultPath()).map(AuditLog.init)
                let status = try Script.act(terminate ? .terminate : .cancel, session: session, options: try options(),
                                            confirmed: yes, audit: audit)
                if failIfEmpty && status == .nothing { throw ExitCode(1) }
                if status == .dryRun { throw ExitCode(3) }
                if status == .refused { throw ExitCode(2) }
                return
            }
            let matched = try Script.run(session: session, options: try options(), count: iterations ?? 1, interval: refresh)
            if failIfEmpty && !matched { throw ExitCode(1) }
        } else {
            try watch(ConnectionParameters(conninfo: conninfo, host: host, port: port, user: user, database: dbname))
        }
    }

    /// Connects, then runs the screen until the user quits.
    func watch(_ parameters: ConnectionParameters) throws {
        let session = try Session.open(parameters)  // connection problems first: they are what the operator must fix
        guard isatty(1) == 1 else {
            session.close()
            throw Failure("stdout is not a terminal: the screen needs one; for scripts use --once or --iterations N (see pgtop --help)")
        }
        var state = AppState(interval: refresh)
        state.idleWarn = idleWarn
        try options().apply(to: &state)
        state.server = session.server
        let terminal: Terminal
        do {
            terminal = try Terminal.open(Terminal.Options(colors: !noColor))
        } catch {
            session.close()
            throw Failure("\(error)")
        }
        state.asciiOnly = !terminal.isUTF8
        let audit = noAuditLog ? nil : (auditLog ?? AuditLog.defaultPath()).map(AuditLog.init)
        let loop = MainLoop(state: state, terminal: terminal, session: session, audit: audit)
        loop.run()
        terminal.close()
        session.close()
    }
}

/// A failure that ends pgtop with one line on stderr and exit status 2.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
