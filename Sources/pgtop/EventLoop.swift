import Glibc
import PGTopCore
import PGTopTerminal

/// The one poll() loop of every mode: waits on the terminal (when there is one) and the
/// source's socket at once, so keys are handled at once even while a refresh is slow, and
/// wires keys, events and effects through the pure `AppState`. The screen, `pgtop record` and
/// `pgtop replay` are this loop with another source or sinks (docs/sources-and-sinks.md).
final class EventLoop {
    private(set) var state: AppState
    private let terminal: Terminal?
    private let source: Source
    private let sinks: [Sink]
    private let signals = SignalWatcher()
    private var dirty = true
    private var running = true
    private var keysReadAt: Double = 0
    private let audit: AuditLog?
    /// The cancels/terminates confirmed: the backends as the screen showed them (for the audit
    /// log), the ones whose answer never came (settled by the next refresh).
    private var ledger = ActionLedger()
    /// Why the loop ended when a sink could not go on (the recorder's disk gone for good).
    private(set) var fatal: String?

    /// Where `S` saves the layout; nil when there is no config file path (no HOME).
    private let store: LayoutStore?

    init(state: AppState, terminal: Terminal?, source: Source, sinks: [Sink] = [], audit: AuditLog?, store: LayoutStore?) {
        self.state = state
        self.terminal = terminal
        self.source = source
        self.sinks = sinks
        self.audit = audit
        self.store = store
    }

    /// Runs until the user quits, a signal (SIGINT, SIGTERM, SIGHUP) arrives, the terminal goes
    /// away or a sink cannot go on.
    func run() {
        while running {
            if signals.takePendingSignal() != nil { break }
            if let problem = sinks.lazy.compactMap(\.fatal).first {
                fatal = problem
                break
            }
            var now = Clock.now()
            handle(source.tick(now: now, state: state))
            // While the link is down or an answer is late, the countdown and ages on screen move.
            if !state.link.isConnected || source.awaitingSince.map({ now - $0 >= 1 }) == true { dirty = true }
            if dirty { draw() }

            var fds: [pollfd] = []
            if terminal != nil { fds.append(pollfd(fd: 0, events: Int16(POLLIN), revents: 0)) }
            let sourceIndex = fds.count
            if let (fd, write) = source.waitOn {
                fds.append(pollfd(fd: fd, events: Int16(write ? POLLOUT : POLLIN), revents: 0))
            }
            var wake = now + 1
            if let deadline = source.deadline { wake = min(wake, deadline) }
            if terminal?.moreKeysWaiting == true { wake = now }  // a paste in batches: the next one at once
            let wait = Int32(min(1000, max(0, Int(((wake - now) * 1000).rounded(.up)))))
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if let terminal {
                if ready > 0 && fds[0].revents & Int16(POLLHUP | POLLERR) != 0 { break }  // the terminal went away
                // Keys are read when fd 0 is readable, after a signal or a timeout, and at least
                // every 50 ms: a resize arrives as SIGWINCH, which ncurses turns into a key with no
                // byte on fd 0, and the signal may land on another thread, so poll() is not always
                // interrupted by it. Not on every chunk of a large answer: ncurses polls fd 0 itself,
                // a system call per chunk (pgtop-bench: ~35 chunks a refresh at 2,000 backends).
                let keysDue = ready <= 0 || fds[0].revents != 0 || Clock.now() - keysReadAt >= 0.05 || terminal.moreKeysWaiting
                if keysDue {
                    keysReadAt = Clock.now()
                    // One batch per turn: a signal (SIGTERM) is seen at the top of the loop between
                    // batches, however long the paste; the filter typed is applied once per batch.
                    for key in terminal.readKeys() where running { handle(key) }
                    state.applyTypedFilter()
                }
            }
            if ready < 0 { continue }  // EINTR
            now = Clock.now()
            let socketReady = fds.count > sourceIndex && fds[sourceIndex].revents != 0
            handle(source.step(now: now, ready: socketReady))
        }
    }

    private func handle(_ key: Key) {
        if key == .resize { terminal?.forceFullRedraw() }
        for effect in state.handleInBatch(key) { perform(effect) }
        dirty = true
    }

    private func perform(_ effect: Effect) {
        switch effect {
        case .quit: running = false
        case .refreshNow: handle(source.perform(.refreshNow, now: Clock.now()))
        case .redrawAll: terminal?.forceFullRedraw()
        case .saveLayout(let layout):
            guard let store else {
                state.message = Message("nowhere to save: HOME is not set; start pgtop with --config PATH", isError: true)
                break
            }
            state.message = store.save(layout)
        case .fetchDetail(let id):
            handle(source.perform(.detail(id), now: Clock.now()))
        case .writeQuery(let id, let query):
            state.message = QueryFile.write(query, pid: id.pid)
        case .signal(let kind, let targets, let pidOnly):
            // The targets as the question showed them: a refresh since may have dropped them.
            let request = ledger.open(kind, targets.map(\.id), pidOnly: pidOnly, shown: targets)
            handle(source.perform(.signal(request), now: Clock.now()))
        case .replay(let command):
            handle(source.perform(.replay(command), now: Clock.now()))
        }
    }

    private func handle(_ events: [SourceEvent]) {
        for event in events {
            handle(event)
            for sink in sinks {
                sink.take(event, state: state)
                if let notice = sink.takeNotice() { state.message = notice }
            }
        }
    }

    private func handle(_ event: SourceEvent) {
        switch event {
        case .snapshot(let snapshot):
            state.receive(snapshot)
            // Actions whose answer never came: what this refresh shows settles them.
            for (request, outcomes, footer) in ledger.settle(by: snapshot.backends) {
                state.message = Message(footer)
                record(request, outcomes)
            }
        case .report(let request, let report):
            state.receive(report)
            let footer = ledger.close(request, report.outcomes)
            state.message = Message(footer, isError: state.message?.isError ?? false)
            record(request, report.outcomes)
        case .failed(let message):
            state.message = Message(message, isError: true)
        case .signalFailed(let request, let message):
            let outcomes = request.targets.map { ($0, SignalOutcome.failed(message)) }
            _ = ledger.close(request, outcomes)
            state.message = Message("\(request.kind.verb) failed: \(message)", isError: true)
            record(request, outcomes)
        case .signalUnknown(let request, let why):
            let outcomes = request.targets.map { ($0, SignalOutcome.unknown(why)) }
            let footer = ledger.close(request, outcomes)
            state.message = Message(footer + " (the next refresh settles it)", isError: true)
            record(request, outcomes)
        case .lost(let reason, let retryAt, let unsent):
            if case .lost(_, let since, _) = state.link {
                state.link = .lost(reason: reason, since: since, retryAt: retryAt)
            } else {
                state.link = .lost(reason: reason, since: Clock.now(), retryAt: retryAt)
            }
            for request in unsent {
                let why = "the connection was lost before it was sent; nothing was sent"
                let outcomes = request.targets.map { ($0, SignalOutcome.failed(why)) }
                let footer = ledger.close(request, outcomes)
                state.message = Message(footer, isError: true)
                record(request, outcomes)
            }
        case .stats(let stats):
            state.receive(stats)
        case .host(let figures):
            state.host = figures
        case .detail(let id, let detail):
            if case .detail(id, _) = state.mode {
                state.detail = detail
                if detail == nil {
                    let gone = state.replay.map { "backend \(id.pid) is not in the recording at \($0.clock.time($0.time))" }
                    state.message = Message(gone ?? "backend \(id.pid) has ended", isError: true)
                }
            }
        case .reconnected(let server):
            state.server = server
            state.link = .connected
        case .replay(let status):
            state.receive(status)
        }
        dirty = true
    }

    /// Appends the outcomes to the audit log (and gives them to the sinks: the recorder keeps
    /// them); a log that cannot be written is said in the footer.
    private func record(_ request: SignalRequest, _ outcomes: [(id: BackendID, outcome: SignalOutcome)]) {
        defer { ledger.forget(request) }
        guard let server = state.server else { return }
        let now = Clock.wall()
        let lines = outcomes.map { id, outcome in
            ActedLine(time: now, id: id, kind: request.kind, outcome: outcome,
                      line: AuditLine.make(time: now, server: server.endpoint, role: server.role, kind: request.kind, id: id,
                                           backend: ledger.backend(id, of: request), outcome: outcome, pidOnly: request.pidOnly))
        }
        for sink in sinks {
            sink.acted(lines)
            if let notice = sink.takeNotice() { state.message = notice }
        }
        guard let audit else { return }
        if let problem = audit.append(lines.map(\.line)) {
            state.message = Message([state.message?.text, problem].compactMap { $0 }.joined(separator: "; "), isError: true)
        }
    }

    private func draw() {
        guard let terminal else { return }
        let (width, height) = terminal.size
        state.now = Clock.now()
        state.awaitingSince = source.awaitingSince
        state.setScreen(width: width, height: height)
        terminal.draw(ScreenLayout.render(state, width: width, height: height))
        dirty = false
    }
}

enum Clock {
    /// Seconds since the Unix epoch.
    static func wall() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
