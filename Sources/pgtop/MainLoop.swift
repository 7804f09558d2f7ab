import Glibc
import PGTopCore
import PGTopTerminal

/// The poll() loop: waits on the terminal and the server's socket at once, so keys are
/// handled at once even while a refresh is slow, and wires keys, snapshots and effects
/// through the pure `AppState`.
final class MainLoop {
    private var state: AppState
    private let terminal: Terminal
    private let session: Session
    private let signals = SignalWatcher()
    private var nextRefresh: Double = 0
    private var dirty = true
    private var running = true
    private var keysReadAt: Double = 0
    private var nextStats: Double = 0
    private var nextDetail: Double = 0
    /// Set once the server is known to be on this machine (per connection: it may restart elsewhere).
    private var probe: HostProbe?
    private var probedPid: Int32 = -1
    private var nextSize: Double = 0
    private var nextHost: Double = 0
    private let audit: AuditLog?
    /// The cancels/terminates confirmed: the backends as the screen showed them (for the audit
    /// log), the ones whose answer never came (settled by the next refresh).
    private var ledger = ActionLedger()

    /// Where `S` saves the layout; nil when there is no config file path (no HOME).
    private let store: LayoutStore?

    init(state: AppState, terminal: Terminal, session: Session, audit: AuditLog?, store: LayoutStore?) {
        self.state = state
        self.terminal = terminal
        self.session = session
        self.audit = audit
        self.store = store
    }

    func run() {
        while running {
            if signals.takePendingSignal() != nil { break }
            var now = Clock.now()
            if !state.paused && now >= nextRefresh && session.isIdle {
                handle(session.requestRefresh(now: now, withLocks: state.filter.view == .blocking))
                nextRefresh = now + state.interval
                // An open detail is asked again after the rows, at most once a second (it scans
                // pg_locks): its xid age ticks with them.
                if let id = state.detailToRefresh, now >= nextDetail {
                    handle(session.requestDetail(id, now: now))
                    nextDetail = now + max(1, state.interval) - 0.05
                }
                // The server figures follow the rows, at most once a second; the size every 30 s.
                if state.showStats && now >= nextStats {
                    let withSize = now >= nextSize
                    handle(session.requestStats(withSize: withSize, now: now))
                    nextStats = now + max(1, state.interval) - 0.05
                    if withSize { nextSize = now + 30 }
                }
            }
            // While the link is down or an answer is late, the countdown and ages on screen move.
            if !state.link.isConnected || session.awaitingSince.map({ now - $0 >= 1 }) == true { dirty = true }
            if dirty { draw() }

            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0)]
            if let (fd, write) = session.waitOn {
                fds.append(pollfd(fd: fd, events: Int16(write ? POLLOUT : POLLIN), revents: 0))
            }
            var wake = state.paused || !session.isIdle ? now + 1 : nextRefresh
            if let deadline = session.deadline { wake = min(wake, deadline) }
            let wait = Int32(min(1000, max(0, Int(((wake - now) * 1000).rounded(.up)))))
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready > 0 && fds[0].revents & Int16(POLLHUP | POLLERR) != 0 { break }  // the terminal went away
            // Keys are read when fd 0 is readable, after a signal or a timeout, and at least
            // every 50 ms: a resize arrives as SIGWINCH, which ncurses turns into a key with no
            // byte on fd 0, and the signal may land on another thread, so poll() is not always
            // interrupted by it. Not on every chunk of a large answer: ncurses polls fd 0 itself,
            // a system call per chunk (pgtop-bench: ~35 chunks a refresh at 2,000 backends).
            let keysDue = ready <= 0 || fds[0].revents != 0 || Clock.now() - keysReadAt >= 0.05
            if keysDue {
                keysReadAt = Clock.now()
                for key in terminal.readKeys() { handle(key) }
            }
            if ready < 0 { continue }  // EINTR
            now = Clock.now()
            let socketReady = fds.count > 1 && fds[1].revents != 0
            handle(session.step(now: now, ready: socketReady))
            handle(session.sendQueued(now: now))
            // A failed cancel/terminate reports itself; the lost connection behind it shows here.
            if state.link.isConnected, let (reason, retryAt) = session.down {
                handle([.lost(reason: reason, retryAt: retryAt, unsent: [])])
            }
        }
    }

    private func handle(_ key: Key) {
        if key == .resize { terminal.forceFullRedraw() }
        for effect in state.handle(key) { perform(effect) }
        dirty = true
    }

    private func perform(_ effect: Effect) {
        switch effect {
        case .quit: running = false
        case .refreshNow: nextRefresh = 0
        case .redrawAll: terminal.forceFullRedraw()
        case .saveLayout(let layout):
            guard let store else {
                state.message = Message("nowhere to save: HOME is not set; start pgtop with --config PATH", isError: true)
                break
            }
            state.message = store.save(layout)
        case .fetchDetail(let id):
            handle(session.requestDetail(id, now: Clock.now()))
        case .writeQuery(let id, let query):
            state.message = QueryFile.write(query, pid: id.pid)
        case .signal(let kind, let targets, let pidOnly):
            // The targets as the question showed them: a refresh since may have dropped them.
            let request = ledger.open(kind, targets.map(\.id), pidOnly: pidOnly, shown: targets)
            handle(session.requestSignal(request, now: Clock.now()))
        }
    }

    /// The /proc reader, when the server's backend for pgtop is a process on this machine.
    private func hostProbe() -> HostProbe? {
        guard let own = state.server?.ownPid else { return nil }
        if own != probedPid {
            probedPid = own
            probe = HostProbe.isLocal(ownPid: own) ? (probe ?? HostProbe()) : nil
        }
        return probe
    }

    private func handle(_ events: [Session.Event]) {
        for event in events { handle(event) }
    }

    private func handle(_ event: Session.Event) {
        switch event {
        case .snapshot(var snapshot):
            if let probe = hostProbe() {
                // The load average and memory move slowly: read at most once a second, not
                // per refresh (parsing /proc/meminfo was 5% of a refresh at 2,000 backends).
                if Clock.now() >= nextHost {
                    state.host = probe.figures()
                    nextHost = Clock.now() + 1
                }
                if state.showHostColumns { snapshot.backends = probe.annotate(snapshot.backends, now: Clock.now()) }
            }
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
            nextRefresh = 0  // show the result of the action at once
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
        case .detail(let id, let detail):
            if case .detail(id, _) = state.mode {
                state.detail = detail
                if detail == nil { state.message = Message("backend \(id.pid) has ended", isError: true) }
            }
        case .reconnected(let server):
            state.server = server
            state.link = .connected
            nextRefresh = 0
        }
        dirty = true
    }

    /// Appends the outcomes to the audit log; a log that cannot be written is said in the footer.
    private func record(_ request: SignalRequest, _ outcomes: [(id: BackendID, outcome: SignalOutcome)]) {
        defer { ledger.forget(request) }
        guard let audit, let server = state.server else { return }
        let now = Clock.wall()
        let lines = outcomes.map { id, outcome in
            AuditLine.make(time: now, server: server.endpoint, role: server.role, kind: request.kind, id: id,
                           backend: ledger.backend(id, of: request), outcome: outcome, pidOnly: request.pidOnly)
        }
        if let problem = audit.append(lines) {
            state.message = Message([state.message?.text, problem].compactMap { $0 }.joined(separator: "; "), isError: true)
        }
    }

    private func draw() {
        let (width, height) = terminal.size
        state.now = Clock.now()
        state.awaitingSince = session.awaitingSince
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
