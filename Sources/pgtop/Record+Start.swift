import Glibc
import PGTopCore
import PGTopPostgres
import PGTopStore
import PGTopTerminal

/// How a recording starts: the first connection (waited for while the server cannot be
/// reached), then the file (created or appended to; refused in one line).
extension Record {
    /// Connects, trying again while the server cannot be reached (`PGError.isUnreachable`:
    /// not started yet, restarting, the network down), with one line on stderr when it first
    /// fails; a refusal waiting does not fix is a `Failure` (exit 2). Nil when a signal asked
    /// pgtop to stop while it waited.
    static func firstConnection(_ parameters: ConnectionParameters, signals: SignalWatcher) throws -> Session? {
        var parameters = parameters
        var backoff = Backoff()
        var prompted = false, said = false
        while true {
            do {
                guard let connection = try connect(parameters, signals: signals) else { return nil }
                do {
                    let server = ServerInfoQuery.decode(try connection.execute(ServerInfoQuery.sql, timeout: 10), endpoint: connection.endpoint)
                    return Session(parameters: parameters, connection: connection, server: server)
                } catch {
                    connection.close()
                    throw error
                }
            } catch let error as PGError {
                if error.needsPassword && !prompted && isatty(0) == 1, let password = Session.askPassword() {
                    parameters.password = password
                    prompted = true
                    continue
                }
                guard error.isUnreachable else {
                    throw Failure(Refusal.explain(error.description, target: error.attempted ?? Refusal.Target()))
                }
                if !said {
                    Console.error("pgtop record: cannot reach the server: \(error); trying again until it answers")
                    said = true
                }
                if !wait(backoff.next(), signals: signals) { return nil }
            }
        }
    }

    /// One connection attempt, never blocking for more than 100 ms without looking at the
    /// signals; nil when one came.
    private static func connect(_ parameters: ConnectionParameters, signals: SignalWatcher) throws(PGError) -> PGConnection? {
        let attempt = try PGConnection.Attempt(parameters, limits: Session.limits)
        let deadline = Clock.now() + 15
        while true {
            if signals.hasPending { return nil }
            var ready = attempt.socket < 0
            if !ready {
                var p = pollfd(fd: attempt.socket, events: Int16(attempt.wantsWrite ? POLLOUT : POLLIN), revents: 0)
                ready = poll(&p, 1, 100) > 0
            }
            if ready, let connection = try attempt.advance() { return connection }
            if Clock.now() > deadline { throw attempt.timedOut(after: 15) }
        }
    }

    /// Sleeps `seconds`, false when a signal asked pgtop to stop meanwhile.
    private static func wait(_ seconds: Double, signals: SignalWatcher) -> Bool {
        let until = Clock.now() + seconds
        while Clock.now() < until {
            if signals.hasPending { return false }
            var none = pollfd()
            _ = poll(&none, 0, 100)
        }
        return !signals.hasPending
    }

    /// The recording for `session`'s server: `path`, else one file per server in the state
    /// directory (created 0700). meta says what replay and report need (docs/recording.md);
    /// a file appended to keeps the meta it was created with. A refused file is a `Failure`.
    static func openRecording(_ path: String?, session: Session, interval: Double, idleWarn: Double) throws(Failure) -> RecordingWriter {
        let file: String
        if let path {
            file = path
        } else {
            guard let directory = RecordingName.directory(stateHome: environment("XDG_STATE_HOME"), home: environment("HOME")) else {
                throw Failure("nowhere to record: neither XDG_STATE_HOME nor HOME is set; name the file with --output FILE")
            }
            makeDirectories(directory)
            file = directory + "/" + RecordingName.fileName(host: session.address.host, port: session.address.port)
        }
        let server = session.server
        let meta = [
            "server": server.endpoint, "server_version": server.version, "server_version_num": "\(server.versionNumber)",
            "pgtop_version": PGTop.version, "interval": plain(interval), "idle_warn": plain(idleWarn),
            "started_us": "\(RecorderSink.wallMicros())",
        ]
        do {
            return try RecordingWriter(path: file, meta: meta)
        } catch {
            throw Failure("\(error)")
        }
    }

    /// `mkdir -p`, each directory created 0700 (a recording names sessions and queries).
    private static func makeDirectories(_ path: String) {
        var index = path.startIndex
        while let slash = path[path.index(after: index)...].firstIndex(of: "/") {
            mkdir(String(path[..<slash]), 0o700)
            index = slash
        }
        mkdir(path, 0o700)
    }

    /// `1`, `0.5`: seconds as meta stores them.
    private static func plain(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? "\(Int(seconds))" : "\(seconds)"
    }

    private static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}
