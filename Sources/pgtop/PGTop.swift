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

    @Option(help: .hidden) var demoWorkload: String?
    @Option(help: .hidden) var demoDir: String?

    func validate() throws {
        guard refresh.isFinite, refresh >= 0.1 else {
            throw ValidationError("--refresh must be at least 0.1 seconds, got \(refresh)")
        }
        guard idleWarn.isFinite, idleWarn >= 0 else {
            throw ValidationError("--idle-warn must be a number of seconds, got \(idleWarn)")
        }
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
        } else {
            try watch(ConnectionParameters(conninfo: conninfo, host: host, port: port, user: user, database: dbname))
        }
    }

    /// Connects, then runs the screen until the user quits.
    func watch(_ parameters: ConnectionParameters) throws {
        let session = try Session.open(parameters)
        var state = AppState(interval: refresh)
        state.idleWarn = idleWarn
        state.server = session.server
        let terminal: Terminal
        do {
            terminal = try Terminal.open()
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
