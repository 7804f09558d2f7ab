import ArgumentParser
import Glibc
import PGTopCore
import PGTopPostgres
import PGTopStore
import PGTopTerminal

/// `pgtop record`: the flight recorder. No terminal: it runs from cron, systemd or a shell
/// with `&`, on one connection of its own (`application_name=pgtop-record`), writing a sample
/// of the server's backends and figures every interval into a recording file
/// (docs/recording.md) until SIGTERM or SIGINT. The same event loop as the screen, with the
/// recorder as its sink and no terminal.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a server's backends and figures into a file, for pgtop replay and pgtop report.",
        usage: """
            pgtop record [<conninfo>] [-h <host>] [-p <port>] [-U <user>] [-d <db>]
                         [-o <file>] [--interval <seconds>] [--idle-warn <seconds>]
                         [--retain <duration>] [--max-size <size>]
                         [--config <path>] [--profile <name>]
            """,
        discussion: """
            Runs without a terminal until SIGTERM or SIGINT, on one connection named
            pgtop-record (left out of what it records). The connection options, the
            config file and --profile work as for the screen.

            Every --interval it stores what changed since the sample before: the
            sessions that came and went, each one's state, wait, lock and query as it
            changed, the slot budget and the header's counts, the server's counters,
            the lock each waiter waits for; every outage (the connection lost, the
            server restarted) and every cancel or terminate a screen recording with
            --record sent. The file is SQLite, readable with sqlite3 while it is
            written (docs/recording.md).

            A server that cannot be reached, at the start or later, is tried again
            until it answers (a line on stderr when it goes and when it is back). A
            full disk or a file that cannot be written skips samples, says so once
            and goes on trying.

            Examples:
              pgtop record -h db1          # ~/.local/state/pgtop/db1-5432.pgtop
              pgtop record --profile prod --retain 7d --max-size 2GB
              pgtop record -o /var/lib/pgtop/db1.pgtop --interval 2 --idle-warn 300

            Exit status: 0 stopped by SIGTERM, SIGINT or SIGHUP (the file closed
            cleanly); 1 the file was damaged while recording; 2 a usage error, a file
            refused (another pgtop records into it, not a recording, written by a
            newer pgtop, not a regular file), or a login refused for a reason waiting
            does not fix (a wrong password, an unknown role or database, no
            permission).
            """,
        helpNames: [.long, .customShort("?")]
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("The recording file, created or appended to (default: $XDG_STATE_HOME/pgtop/HOST-PORT.pgtop, else ~/.local/state/pgtop/).", valueName: "file"))
    var output: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Seconds between samples, at least 0.1 (default 1).", valueName: "seconds"))
    var interval: Double?

    @Option(help: ArgumentHelp("Idle in transaction this long counts as stuck; stored for replay and report (default 60, or the config file's).", valueName: "seconds"))
    var idleWarn: Double?

    @Option(help: ArgumentHelp("Keep this much history, the older samples removed: 7d, 12h, 90m (default: all).", valueName: "duration"))
    var retain: String?

    @Option(help: ArgumentHelp("Keep the file under this size, the oldest samples removed: 500MB, 2GB, 1.5G (default: no limit).", valueName: "size"))
    var maxSize: String?

    @OptionGroup var settingsFile: ConfigOptions

    static let defaultInterval = 1.0
    static let applicationName = "pgtop-record"

    func validate() throws {
        if let interval, !(interval >= 0.1 && interval.isFinite) {
            throw ValidationError("--interval: expected a number of seconds, at least 0.1, got \(interval)")
        }
        _ = try retainSeconds()
        _ = try maxBytes()
        _ = try flagSettings()
    }

    func retainSeconds() throws -> Double? {
        guard let retain else { return nil }
        guard let seconds = DurationText.seconds(retain), seconds > 0 else {
            throw ValidationError("--retain: expected a duration such as 7d, 12h or 90m, got '\(retain)'")
        }
        return seconds
    }

    func maxBytes() throws -> Int64? {
        guard let maxSize else { return nil }
        guard let bytes = ByteSize.bytes(maxSize) else {
            throw ValidationError("--max-size: expected a size such as 500MB, 2GB or 1.5G, got '\(maxSize)'")
        }
        guard bytes >= 1 << 20 else { throw ValidationError("--max-size: at least 1MB, got '\(maxSize)'") }
        return bytes
    }

    /// The connection and --idle-warn, checked as the screen checks them.
    func flagSettings() throws -> Settings {
        var s = Settings()
        connection.put(into: &s)
        if let idleWarn {
            do { try SettingKey.named("idle-warn")!.read(.double(idleWarn), into: &s) } catch { throw ValidationError("--\(error)") }
        }
        return s
    }

    func run() throws {
        // A file that reaches the size limit (ulimit -f) fails the write (the sample is rolled
        // back and tried again), instead of the signal killing the recorder.
        signal(SIGXFSZ, SIG_IGN)
        let signals = SignalWatcher()
        let (settings, _) = try settingsFile.settings(over: try flagSettings())
        var parameters = settings.connectionParameters
        parameters.applicationName = Self.applicationName
        guard let session = try Self.firstConnection(parameters, signals: signals) else { return }  // stopped while waiting
        let interval = self.interval ?? Self.defaultInterval
        let idleWarn = settings.idleWarn ?? AppState().idleWarn
        let writer: RecordingWriter
        do {
            writer = try Self.openRecording(output, session: session, interval: interval, idleWarn: idleWarn)
        } catch {
            session.close()
            throw error
        }
        Console.error("pgtop record: recording \(session.server.endpoint) into \(writer.path) every \(DurationText.text(interval))")

        var state = AppState(interval: interval)
        state.server = session.server
        state.idleWarn = idleWarn
        let sink = RecorderSink(writer: writer, server: session.server,
                                options: .init(idleWarn: idleWarn, retain: try retainSeconds(), maxBytes: try maxBytes()), voice: .stderr)
        let loop = EventLoop(state: state, terminal: nil, source: LiveSource(session: session, recording: true), sinks: [sink],
                             audit: nil, store: nil)
        withExtendedLifetime((signals, loop)) {
            loop.run()
            sink.close()
            session.close()
        }
        if let fatal = loop.fatal ?? sink.fatal {
            Console.error("pgtop record: \(fatal)")
            throw ExitCode(1)
        }
    }
}
