import Glibc
import PGTopCore
import PGTopPostgres

/// pgtop's one connection to the server it watches, and the one query at a time on it: a
/// refresh, or a cancel/terminate the user confirmed. When the connection breaks or the
/// server stops answering, it reconnects by itself with backoff, never blocking: every step
/// (connecting, the setup query, the refresh) is driven from the main loop's `poll()`.
///
///     let session = try Session.open(parameters)   // the first connection: blocking, explained
///     // each loop turn:
///     if let (fd, events) = session.waitOn { /* poll it */ }
///     handle(session.step(now: now, ready: socketReady))
final class Session {
    enum Event {
        case snapshot(Snapshot)
        case report(SignalReport)
        case failed(String)
        /// A cancel/terminate that could not be sent or whose answer never came.
        case signalFailed(SignalKind, [BackendID], String)
        /// The connection broke or the server stopped answering; `retryAt` is the next attempt.
        /// A cancel/terminate that was waiting to go out is dropped (`unsent`), not sent later.
        case lost(reason: String, retryAt: Double, unsent: (SignalKind, [BackendID])?)
        /// Connected again; the server's figures as they are now.
        case reconnected(ServerInfo)
        /// A backend's detail; nil when it has ended.
        case detail(BackendID, BackendDetail?)
        /// The server's counters.
        case stats(ServerStats)
    }

    private enum Query {
        case setup
        case refresh(withLocks: Bool)
        case detail(BackendID)
        case stats(withSize: Bool)
        case signal(SignalKind, [BackendID])
    }

    private enum Phase {
        /// Waiting until `retryAt` before trying again.
        case down(reason: String, retryAt: Double)
        /// A connection being made since `since`.
        case connecting(PGConnection.Attempt, since: Double)
        /// Connected; `query` under way since `sentAt`, if any.
        case up(PGConnection, query: Query?, sentAt: Double)
    }

    /// How long a connection attempt may take before it is abandoned.
    static let connectTimeout = 5.0
    /// How long a query may go unanswered before the server is taken for gone. Each statement's
    /// statement_timeout (5 s) ends slow queries on a server that still answers.
    static let answerTimeout = 8.0
    /// When pgtop asks the server to cancel its own statement (a second after the statement
    /// timeout, which normally ends it first): the bound where statement_timeout cannot be set
    /// per statement (PostgreSQL 9.2 to 10), and through any pooler.
    static let cancelAfter = 6.0

    private let parameters: ConnectionParameters
    private var phase: Phase
    private var backoff = Backoff()
    private var queuedSignal: (SignalKind, [BackendID])?
    /// When the statement that pgtop asked the server to cancel was sent (once per statement).
    private var cancelledSentAt: Double?
    private var queuedDetail: BackendID?
    private var queuedStats: Bool?  // withSize
    /// The last refresh's rows, so the next asks only for what changed; reset per connection
    /// (`--once --iterations` uses it too: an aborted transaction keeps the start it was seen with).
    var delta = DeltaRefresh()
    /// The refresh's SQL as last built: the same text every refresh until the version or the
    /// view changes (building it was 2% of a refresh at 2,000 backends).
    private var activitySQL: (version: Int, withLocks: Bool, text: String)?
    private(set) var server: ServerInfo
    /// The server backends that ran pgtop's statements (several behind a pooler): left out
    /// of the rows, refused as targets. Kept across reconnections.
    var ownServers: OwnServers

    /// What bounds each of pgtop's statements, in the statement's own transaction.
    static let limits = SessionLimits.monitoring

    /// A session on a connection made and set up already (`Session.open`).
    init(parameters: ConnectionParameters, connection: PGConnection, server: ServerInfo) {
        self.parameters = parameters
        self.phase = .up(connection, query: nil, sentAt: 0)
        self.server = server
        ownServers = OwnServers(applicationName: parameters.applicationName)
        ownServers.served(connection.servedBy)
    }

    // MARK: - What the main loop asks

    /// The connection, when it is up and no query is under way (`--once` waits on it).
    var idleConnection: PGConnection? {
        if case .up(let connection, nil, _) = phase { return connection }
        return nil
    }

    /// The socket to poll and whether for writing, when something is awaited from it.
    var waitOn: (fd: Int32, write: Bool)? {
        switch phase {
        case .down: return nil
        case .connecting(let attempt, _): return attempt.socket >= 0 ? (attempt.socket, attempt.wantsWrite) : nil
        case .up(let connection, let query, _): return query == nil ? nil : (connection.socket, false)
        }
    }

    /// Ready for a refresh: connected and no query under way.
    var isIdle: Bool {
        if case .up(_, nil, _) = phase { return true }
        return false
    }

    /// When the query under way was sent, if one is.
    var awaitingSince: Double? {
        if case .up(_, let query, let sentAt) = phase, query != nil { return sentAt }
        return nil
    }

    /// Why the connection is down and when the next attempt is; nil while connected or
    /// connecting.
    var down: (reason: String, retryAt: Double)? {
        if case .down(let reason, let retryAt) = phase { return (reason, retryAt) }
        return nil
    }

    var isConnected: Bool {
        if case .up = phase { return true }
        return false
    }

    /// The latest time by which `step` must run even if nothing arrives (a retry, a timeout).
    var deadline: Double? {
        switch phase {
        case .down(_, let retryAt): return retryAt
        case .connecting(_, let since): return since + Self.connectTimeout
        case .up(_, let query, let sentAt):
            guard query != nil else { return nil }
            return cancelledSentAt == sentAt ? sentAt + Self.answerTimeout : sentAt + Self.cancelAfter
        }
    }

    // MARK: - Driving it

    /// Sends a refresh if connected and idle; a cancel/terminate that waited goes first.
    /// `withLocks`: also what each lock waiter waits for (the blocking tree shows it).
    func requestRefresh(now: Double, withLocks: Bool = false) -> Event? {
        guard isIdle else { return nil }
        if let (kind, targets) = queuedSignal {
            queuedSignal = nil
            return send(.signal(kind, targets), now: now)
        }
        return send(.refresh(withLocks: withLocks), now: now)
    }

    /// Asks for a backend's detail now, or right after the query under way; nothing while the
    /// connection is down (the view says the query is on its way).
    func requestDetail(_ id: BackendID, now: Double) -> Event? {
        guard case .up(_, let query, _) = phase else { return nil }
        guard query == nil else {
            queuedDetail = id
            return nil
        }
        return send(.detail(id), now: now)
    }

    /// Asks for the server's counters now, or right after the query under way (a refresh
    /// first: the counters are read right after the rows, so they describe the same moment).
    func requestStats(withSize: Bool, now: Double) -> Event? {
        guard case .up(_, let query, _) = phase else { return nil }
        guard query == nil else {
            queuedStats = (queuedStats ?? false) || withSize
            return nil
        }
        return send(.stats(withSize: withSize), now: now)
    }

    /// Sends the cancel/terminate now, or right after the query under way; refused at once
    /// while the connection is down (nothing is sent).
    func requestSignal(_ kind: SignalKind, _ targets: [BackendID], now: Double) -> Event? {
        guard case .up(_, let query, _) = phase else {
            return .signalFailed(kind, targets, "not connected to the server; nothing was sent")
        }
        guard query == nil else {
            queuedSignal = (kind, targets)
            return nil
        }
        return send(.signal(kind, targets), now: now)
    }

    /// Advances whatever is under way: `ready` when poll() said the socket is ready. Returns
    /// what happened, if anything (at most one event per step).
    func step(now: Double, ready: Bool) -> Event? {
        switch phase {
        case .down(_, let retryAt):
            return now >= retryAt ? startAttempt(now: now) : nil
        case .connecting(let attempt, let since):
            // No socket: the attempt already failed (e.g. no server socket file); advance says why.
            if !ready && attempt.socket >= 0 {
                return now - since >= Self.connectTimeout ? lose(attempt.timedOut(after: Self.connectTimeout).description, now: now) : nil
            }
            do {
                guard let connection = try attempt.advance() else { return nil }
                phase = .up(connection, query: nil, sentAt: now)
                return send(.setup, now: now)
            } catch {
                return lose(error.description, now: now)
            }
        case .up(let connection, let query, let sentAt):
            guard let query else {
                // Nothing asked: a readable socket here means the server said something on its
                // own, such as closing the connection at shutdown.
                if ready {
                    do { _ = try connection.poll() } catch { return lose(error.description, now: now) }
                    if !connection.isAlive { return lose("the server closed the connection", now: now) }
                }
                return nil
            }
            if !ready {
                if now - sentAt >= Self.cancelAfter && cancelledSentAt != sentAt {
                    cancelledSentAt = sentAt
                    connection.cancelInBackground()
                }
                guard now - sentAt >= Self.answerTimeout else { return nil }
                let waited = "the server did not answer for \(Int(Self.answerTimeout))s"
                let event = lose(waited, now: now)
                if case .signal(let kind, let targets) = query { return .signalFailed(kind, targets, waited) }
                return event
            }
            return receive(query, on: connection, now: now)
        }
    }

    /// Sends a cancel/terminate that waited for the query before it, if any.
    /// Sends what waited for the query under way, once it is done: a cancel/terminate first,
    /// then a detail, then the server figures.
    func sendQueued(now: Double) -> Event? {
        guard isIdle else { return nil }
        if let (kind, targets) = queuedSignal {
            queuedSignal = nil
            return send(.signal(kind, targets), now: now)
        }
        if let id = queuedDetail {
            queuedDetail = nil
            return send(.detail(id), now: now)
        }
        if let withSize = queuedStats {
            queuedStats = nil
            return send(.stats(withSize: withSize), now: now)
        }
        return nil
    }

    func close() {
        if case .up(let connection, _, _) = phase { connection.close() }
        phase = .down(reason: "closed", retryAt: .infinity)
    }

    // MARK: - Steps

    private func send(_ query: Query, now: Double) -> Event? {
        guard case .up(let connection, _, _) = phase else { return nil }
        do {
            switch query {
            case .setup:
                try connection.send(ServerInfoQuery.sql)
            case .refresh(let withLocks):
                if activitySQL?.version != server.versionNumber || activitySQL?.withLocks != withLocks {
                    activitySQL = (server.versionNumber, withLocks, ActivityQuery.sql(serverVersion: server.versionNumber, withLocks: withLocks))
                }
                try connection.send(activitySQL!.text, ActivityQuery.parameters(delta.request()))
            case .stats(let withSize):
                try connection.send(StatsQuery.sql(serverVersion: server.versionNumber, withSize: withSize))
            case .detail(let id):
                try connection.send(DetailQuery.sql(serverVersion: server.versionNumber), DetailQuery.parameters(id))
            case .signal(let kind, let targets):
                try connection.send(SignalQuery.sql(kind, serverVersion: server.versionNumber),
                                    SignalQuery.parameters(targets, own: ownServers.pids))
            }
            phase = .up(connection, query: query, sentAt: now)
            return nil
        } catch {
            return failure(of: query, error, now: now)
        }
    }

    private func receive(_ query: Query, on connection: PGConnection, now: Double) -> Event? {
        do {
            guard let result = try connection.poll() else { return nil }
            phase = .up(connection, query: nil, sentAt: now)
            ownServers.served(connection.servedBy)
            switch query {
            case .setup:
                server = ServerInfoQuery.decode(result, endpoint: connection.endpoint)
                backoff.reset()
                return .reconnected(server)
            case .refresh:
                return .snapshot(Snapshot(backends: ownServers.filter(delta.receive(ActivityQuery.decode(result))), takenAt: now))
            case .detail(let id):
                return .detail(id, DetailQuery.decode(result, id: id))
            case .stats:
                guard let stats = StatsQuery.decode(result) else { return .failed("the server figures could not be read") }
                return .stats(stats)
            case .signal(let kind, let targets):
                return .report(SignalQuery.decode(result, kind: kind, targets: targets))
            }
        } catch {
            phase = .up(connection, query: nil, sentAt: now)
            return failure(of: query, error, now: now)
        }
    }

    /// A query that failed: when the connection is gone (or the setup after a reconnection
    /// failed) pgtop reconnects; when the server only refused this query, the session goes on.
    private func failure(of query: Query, _ error: PGError, now: Double) -> Event {
        var reconnect = error.kind == .connectionLost
        if case .up(let connection, _, _) = phase, !connection.isAlive { reconnect = true }
        if case .setup = query { reconnect = true }
        let lost: Event? = reconnect ? lose(error.description, now: now) : nil
        if case .signal(let kind, let targets) = query { return .signalFailed(kind, targets, error.description) }
        return lost ?? .failed(error.description)
    }

    private func startAttempt(now: Double) -> Event? {
        delta.reset()  // the server may have restarted: no keys until it answered in full
        do {
            phase = .connecting(try PGConnection.Attempt(parameters, limits: Self.limits), since: now)
            return nil
        } catch {
            return lose(error.description, now: now)
        }
    }

    /// Drops the connection and schedules the next attempt.
    private func lose(_ reason: String, now: Double) -> Event {
        if case .up(let connection, _, _) = phase { connection.close() }
        let retryAt = now + backoff.next()
        phase = .down(reason: reason, retryAt: retryAt)
        defer { queuedSignal = nil; queuedDetail = nil; queuedStats = nil }
        return .lost(reason: reason, retryAt: retryAt, unsent: queuedSignal)
    }
}
