import Glibc
import PGTopCore
import PGTopPostgres

/// pgtop's one connection to the server it watches, and the one query at a time on it:
/// a refresh, or a cancel/terminate the user confirmed.
final class Session {
    enum Event {
        case snapshot(Snapshot)
        case report(SignalReport)
        case failed(String)
        /// A cancel/terminate that could not be sent or whose answer never came.
        case signalFailed(SignalKind, [BackendID], String)
    }

    private enum InFlight {
        case refresh
        case signal(SignalKind, [BackendID])
    }

    private(set) var connection: PGConnection
    let server: ServerInfo
    private var inFlight: InFlight?
    private var queuedSignal: (SignalKind, [BackendID])?
    private(set) var sentAt: Double = 0

    private init(connection: PGConnection, server: ServerInfo) {
        self.connection = connection
        self.server = server
    }

    /// Connects (prompting for a password on a terminal when the server asks for one) and
    /// reads the server's figures. Throws a `Failure` with one line to show.
    static func open(_ parameters: ConnectionParameters) throws -> Session {
        let connection = try connect(parameters)
        do {
            try connection.execute(ServerInfoQuery.sessionSettings(serverVersion: connection.serverVersion), timeout: 10)
            let info = try connection.execute(ServerInfoQuery.sql, timeout: 10)
            let server = ServerInfoQuery.decode(info, endpoint: connection.endpoint)
            return Session(connection: connection, server: server)
        } catch {
            connection.close()
            throw Failure("cannot read the server's settings: \(error.description)")
        }
    }

    /// The connection, or a `Failure` that explains the refusal (see `Refusal`).
    private static func connect(_ parameters: ConnectionParameters) throws(Failure) -> PGConnection {
        var parameters = parameters
        var prompted = false
        while true {
            do {
                return try PGConnection.connect(parameters, timeout: 15)
            } catch {
                if error.needsPassword && !prompted && isatty(0) == 1, let password = Session.askPassword(parameters) {
                    parameters.password = password
                    prompted = true
                    continue
                }
                throw Failure(Refusal.explain(error.description))
            }
        }
    }

    static func askPassword(_ parameters: ConnectionParameters) -> String? {
        guard let raw = getpass("Password: ") else { return nil }
        return String(cString: raw)
    }

    var socket: Int32 { connection.socket }
    var isBusy: Bool { inFlight != nil }
    var isRefreshing: Bool { if case .refresh = inFlight { return true }; return false }

    /// Sends a refresh unless a query is already under way.
    func requestRefresh(now: Double) -> Event? {
        guard inFlight == nil else { return nil }
        if let (kind, targets) = queuedSignal {
            queuedSignal = nil
            return send(.signal(kind, targets), now: now)
        }
        return send(.refresh, now: now)
    }

    /// Sends the cancel/terminate now, or right after the query under way.
    func requestSignal(_ kind: SignalKind, _ targets: [BackendID], now: Double) -> Event? {
        guard inFlight == nil else {
            queuedSignal = (kind, targets)
            return nil
        }
        return send(.signal(kind, targets), now: now)
    }

    private func send(_ what: InFlight, now: Double) -> Event? {
        do {
            switch what {
            case .refresh:
                try connection.send(ActivityQuery.sql(serverVersion: server.versionNumber))
            case .signal(let kind, let targets):
                try connection.send(SignalQuery.sql(kind, serverVersion: server.versionNumber), SignalQuery.parameters(targets))
            }
            inFlight = what
            sentAt = now
            return nil
        } catch {
            return Self.failure(of: what, error.description)
        }
    }

    private static func failure(of what: InFlight, _ message: String) -> Event {
        if case .signal(let kind, let targets) = what { return .signalFailed(kind, targets, message) }
        return .failed(message)
    }

    /// Sends a cancel/terminate that waited for the query before it, if any.
    func sendQueuedSignal(now: Double) -> Event? {
        guard inFlight == nil, let (kind, targets) = queuedSignal else { return nil }
        queuedSignal = nil
        return send(.signal(kind, targets), now: now)
    }

    /// Reads what arrived on the socket; an event when a query finished.
    func readable(now: Double) -> Event? {
        guard let what = inFlight else {
            do { _ = try connection.poll() } catch { return .failed("\(error)") }
            return nil
        }
        do {
            guard let result = try connection.poll() else { return nil }
            inFlight = nil
            switch what {
            case .refresh:
                return .snapshot(Snapshot(backends: ActivityQuery.decode(result), takenAt: now))
            case .signal(let kind, let targets):
                return .report(SignalQuery.decode(result, kind: kind, targets: targets))
            }
        } catch {
            inFlight = nil
            return Self.failure(of: what, error.description)
        }
    }

    func close() { connection.close() }
}
