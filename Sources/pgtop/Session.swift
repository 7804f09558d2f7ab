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
///     handle(session.step(now: now, ready: socketReady))   // the events, in order
final class Session {
    private enum Query {
        case setup
        case refresh(withLocks: Bool)
        case detail(BackendID)
        case stats(withSize: Bool)
        case signal(SignalRequest)

        var isSignal: Bool { if case .signal = self { true } else { false } }
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
    /// Confirmed cancels/terminates waiting for the query under way, first confirmed first.
    private var queuedSignals: [SignalRequest] = []
    /// What happened during one call, handed out at its end (a step may end a signal's wait
    /// and lose the connection: both are said).
    private var outbox: [Event] = []
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
    /// Where the first connection went, as libpq resolved it (the recording's default file
    /// is named for it).
    let address: (host: String, port: String)
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
        address = (connection.host, connection.port)
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
            guard let query else { return nil }
            return cancelledSentAt == sentAt || query.isSignal ? sentAt + Self.answerTimeout : sentAt + Self.cancelAfter
        }
    }

    // MARK: - Driving it

    /// Sends a refresh if connected and idle; a cancel/terminate that waited goes first.
    /// `withLocks`: also what each lock waiter waits for (the blocking tree shows it).
    func requestRefresh(now: Double, withLocks: Bool = false) -> [Event] {
        guard isIdle else { return [] }
        if !queuedSignals.isEmpty {
            send(.signal(queuedSignals.removeFirst()), now: now)
        } else {
            send(.refresh(withLocks: withLocks), now: now)
        }
        return takeEvents()
    }

    /// Asks for a backend's detail now, or right after the query under way; nothing while the
    /// connection is down (the view says the query is on its way).
    func requestDetail(_ id: BackendID, now: Double) -> [Event] {
        guard case .up(_, let query, _) = phase else { return [] }
        if query == nil { send(.detail(id), now: now) } else { queuedDetail = id }
        return takeEvents()
    }

    /// Asks for the server's counters now, or right after the query under way (a refresh
    /// first: the counters are read right after the rows, so they describe the same moment).
    func requestStats(withSize: Bool, now: Double) -> [Event] {
        guard case .up(_, let query, _) = phase else { return [] }
        if query == nil { send(.stats(withSize: withSize), now: now) } else { queuedStats = (queuedStats ?? false) || withSize }
        return takeEvents()
    }

    /// Sends the cancel/terminate now, or after the query under way and the ones confirmed
    /// before it (every one goes, in order); refused at once while the connection is down
    /// (nothing is sent).
    func requestSignal(_ request: SignalRequest, now: Double) -> [Event] {
        guard case .up(_, let query, _) = phase else {
            return [.signalFailed(request, "not connected to the server; nothing was sent")]
        }
        if query == nil && queuedSignals.isEmpty { send(.signal(request), now: now) } else { queuedSignals.append(request) }
        return takeEvents()
    }

    /// Advances whatever is under way: `ready` when poll() said the socket is ready. Returns
    /// what happened, in order.
    func step(now: Double, ready: Bool) -> [Event] {
        switch phase {
        case .down(_, let retryAt):
            if now >= retryAt { startAttempt(now: now) }
        case .connecting(let attempt, let since):
            // No socket: the attempt already failed (e.g. no server socket file); advance says why.
            if !ready && attempt.socket >= 0 {
                if now - since >= Self.connectTimeout { lose(attempt.timedOut(after: Self.connectTimeout).description, now: now) }
                break
            }
            do {
                guard let connection = try attempt.advance() else { break }
                phase = .up(connection, query: nil, sentAt: now)
                send(.setup, now: now)
            } catch {
                lose(error.description, now: now)
            }
        case .up(let connection, let query, let sentAt):
            guard let query else {
                // Nothing asked: a readable socket here means the server said something on its
                // own, such as closing the connection at shutdown.
                if ready {
                    do { _ = try connection.poll() } catch { lose(error.description, now: now); break }
                    if !connection.isAlive { lose("the server closed the connection", now: now) }
                }
                break
            }
            if !ready {
                // pgtop's own statement still unanswered: ask the server to cancel it (from
                // another thread, never blocking the loop). Not a cancel/terminate: one cut halfway
                // may have signalled some of its targets and not others.
                if now - sentAt >= Self.cancelAfter && cancelledSentAt != sentAt, !query.isSignal {
                    cancelledSentAt = sentAt
                    connection.cancelInBackground()
                }
                guard now - sentAt >= Self.answerTimeout else { break }
                // A cancel/terminate whose answer is late may still run on the server: unknown.
                if case .signal(let request) = query {
                    emit(.signalUnknown(request, "no answer in \(Int(Self.answerTimeout))s; it may have been sent"))
                }
                lose("the server did not answer for \(Int(Self.answerTimeout))s", now: now)
                break
            }
            receive(query, on: connection, now: now)
        }
        return takeEvents()
    }

    /// Sends what waited for the query under way, once it is done: the cancels/terminates
    /// first (one at a time, in order), then a detail, then the server figures.
    func sendQueued(now: Double) -> [Event] {
        guard isIdle else { return [] }
        if !queuedSignals.isEmpty {
            send(.signal(queuedSignals.removeFirst()), now: now)
        } else if let id = queuedDetail {
            queuedDetail = nil
            send(.detail(id), now: now)
        } else if let withSize = queuedStats {
            queuedStats = nil
            send(.stats(withSize: withSize), now: now)
        }
        return takeEvents()
    }

    func close() {
        if case .up(let connection, _, _) = phase { connection.close() }
        phase = .down(reason: "closed", retryAt: .infinity)
    }

    // MARK: - Steps

    private func emit(_ event: Event) { outbox.append(event) }

    private func takeEvents() -> [Event] {
        defer { outbox = [] }
        return outbox
    }

    private func send(_ query: Query, now: Double) {
        guard case .up(let connection, _, _) = phase else { return }
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
            case .signal(let request):
                try connection.send(SignalQuery.sql(request.kind, serverVersion: server.versionNumber, pidOnly: request.pidOnly),
                                    SignalQuery.parameters(request.targets, own: ownServers.pids))
            }
            phase = .up(connection, query: query, sentAt: now)
        } catch {
            failure(of: query, error, sent: false, now: now)
        }
    }

    private func receive(_ query: Query, on connection: PGConnection, now: Double) {
        do {
            guard let result = try connection.poll() else { return }
            phase = .up(connection, query: nil, sentAt: now)
            ownServers.served(connection.servedBy)
            switch query {
            case .setup:
                server = ServerInfoQuery.decode(result, endpoint: connection.endpoint)
                backoff.reset()
                emit(.reconnected(server))
            case .refresh:
                let backends = ownServers.filter(delta.receive(ActivityQuery.decode(result)))
                emit(.snapshot(Snapshot(backends: backends, takenAt: now, serverTime: delta.clock.map { $0 * 1000 })))
            case .detail(let id):
                emit(.detail(id, DetailQuery.decode(result, id: id)))
            case .stats:
                guard let stats = StatsQuery.decode(result) else { return emit(.failed("the server figures could not be read")) }
                emit(.stats(stats))
            case .signal(let request):
                emit(.report(request, SignalQuery.decode(result, kind: request.kind, targets: request.targets)))
            }
        } catch {
            phase = .up(connection, query: nil, sentAt: now)
            failure(of: query, error, sent: true, now: now)
        }
    }

    /// A query that failed: when the connection is gone (or the setup after a reconnection
    /// failed) pgtop reconnects; when the server only refused this query, the session goes on.
    /// A cancel/terminate that was sent and whose connection broke before the answer may have
    /// happened: unknown, not failed.
    private func failure(of query: Query, _ error: PGError, sent: Bool, now: Double) {
        var reconnect = error.kind == .connectionLost
        if case .up(let connection, _, _) = phase, !connection.isAlive { reconnect = true }
        if case .setup = query { reconnect = true }
        if case .signal(let request) = query {
            if sent && (reconnect || error.kind == .timeout) {
                emit(.signalUnknown(request, "the connection broke before the answer (\(error.description)); it may have been sent"))
            } else {
                emit(.signalFailed(request, error.description))
            }
        } else if !reconnect {
            emit(.failed(error.description))
        }
        if reconnect { lose(error.description, now: now) }
    }

    private func startAttempt(now: Double) {
        delta.reset()  // the server may have restarted: no keys until it answered in full
        do {
            phase = .connecting(try PGConnection.Attempt(parameters, limits: Self.limits), since: now)
        } catch {
            lose(error.description, now: now)
        }
    }

    /// Drops the connection and schedules the next attempt; what waited to be sent is said unsent.
    private func lose(_ reason: String, now: Double) {
        if case .up(let connection, _, _) = phase { connection.close() }
        let retryAt = now + backoff.next()
        phase = .down(reason: reason, retryAt: retryAt)
        emit(.lost(reason: reason, retryAt: retryAt, unsent: queuedSignals))
        queuedSignals = []; queuedDetail = nil; queuedStats = nil
    }
}
