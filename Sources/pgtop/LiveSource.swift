import PGTopCore

/// A live server as a source: its `Session` (one connection, reconnecting by itself) and when
/// to ask it for what: the rows every interval, the open detail and the server figures at most
/// once a second after them, the database size every 30 s, and the host's figures from /proc
/// when the server runs on this machine.
final class LiveSource: Source {
    let session: Session
    private var nextRefresh: Double = 0
    private var nextStats: Double = 0
    private var nextDetail: Double = 0
    private var nextSize: Double = 0
    private var nextHost: Double = 0
    /// Set once the server is known to be on this machine (per connection: it may restart elsewhere).
    private var probe: HostProbe?
    private var probedPid: Int32 = -1
    /// As the events said last: connected, or lost (a loss is said once).
    private var linkUp = true
    /// What the screen wants besides the rows, as of the last tick.
    private var wants = (locks: false, stats: true, hostColumns: false, detail: BackendID?.none, paused: false, interval: 1.0)

    /// A recorder takes every refresh (`pgtop record`, `--record`): each asks for the lock
    /// each waiter waits for (so the blocking tree replays) and is followed by the server
    /// figures, whatever the screen shows.
    let recording: Bool

    init(session: Session, recording: Bool = false) {
        self.session = session
        self.recording = recording
    }

    var waitOn: (fd: Int32, write: Bool)? { session.waitOn }

    var deadline: Double? {
        let refresh = wants.paused || !session.isIdle ? nil : nextRefresh
        switch (refresh, session.deadline) {
        case let (a?, b?): return min(a, b)
        case let (a, b): return a ?? b
        }
    }

    var awaitingSince: Double? { session.awaitingSince }

    func tick(now: Double, state: AppState) -> [SourceEvent] {
        wants = (state.filter.view == .blocking || recording, state.showStats || recording, state.showHostColumns,
                 state.detailToRefresh, state.paused, state.interval)
        guard !state.paused && now >= nextRefresh && session.isIdle else { return [] }
        var events = session.requestRefresh(now: now, withLocks: wants.locks)
        nextRefresh = now + state.interval
        // An open detail is asked again after the rows, at most once a second (it scans
        // pg_locks): its xid age ticks with them.
        if let id = wants.detail, now >= nextDetail {
            events += session.requestDetail(id, now: now)
            nextDetail = now + max(1, state.interval) - 0.05
        }
        // The server figures follow the rows, at most once a second (a recorder: every
        // sample); the size every 30 s.
        if wants.stats && now >= nextStats {
            let withSize = now >= nextSize
            events += session.requestStats(withSize: withSize, now: now)
            nextStats = now + (recording ? state.interval : max(1, state.interval)) - 0.05
            if withSize { nextSize = now + 30 }
        }
        return annotated(events, now: now)
    }

    func step(now: Double, ready: Bool) -> [SourceEvent] {
        var events = session.step(now: now, ready: ready)
        events += session.sendQueued(now: now)
        // A failed cancel/terminate reports itself; the lost connection behind it shows here.
        if linkUp, !events.contains(where: { if case .lost = $0 { true } else { false } }), let (reason, retryAt) = session.down {
            events.append(.lost(reason: reason, retryAt: retryAt, unsent: []))
        }
        return annotated(events, now: now)
    }

    func perform(_ request: SourceRequest, now: Double) -> [SourceEvent] {
        switch request {
        case .refreshNow:
            nextRefresh = 0
            return []
        case .detail(let id):
            return annotated(session.requestDetail(id, now: now), now: now)
        case .signal(let request):
            return annotated(session.requestSignal(request, now: now), now: now)
        case .replay:
            return [.failed("this is a live server: the replay keys move through a recording (pgtop replay FILE)")]
        }
    }

    func close() { session.close() }

    /// The rows with /proc's figures when the server is local; a refresh at once after an
    /// action's answer or a reconnection.
    private func annotated(_ events: [SourceEvent], now: Double) -> [SourceEvent] {
        var out: [SourceEvent] = []
        out.reserveCapacity(events.count)
        for event in events {
            switch event {
            case .snapshot(var snapshot):
                if let probe = hostProbe() {
                    // The load average and memory move slowly: read at most once a second, not
                    // per refresh (parsing /proc/meminfo was 5% of a refresh at 2,000 backends).
                    if now >= nextHost {
                        out.append(.host(probe.figures()))
                        nextHost = now + 1
                    }
                    if wants.hostColumns { snapshot.backends = probe.annotate(snapshot.backends, now: now) }
                }
                out.append(.snapshot(snapshot))
            case .lost:
                linkUp = false
                out.append(event)
            case .report, .reconnected:
                if case .reconnected = event { linkUp = true }
                nextRefresh = 0  // show the result of the action, or the server again, at once
                out.append(event)
            default:
                out.append(event)
            }
        }
        return out
    }

    /// The /proc reader, when the server's backend for pgtop is a process on this machine.
    private func hostProbe() -> HostProbe? {
        guard session.isConnected else { return probe }
        let own = session.server.ownPid
        if own != probedPid {
            probedPid = own
            probe = HostProbe.isLocal(ownPid: own) ? (probe ?? HostProbe()) : nil
        }
        return probe
    }
}
