/// Builds the report from what a recording's tables gave for the window (`ReportInput`) and
/// three look-ups the store answers by key: a session's row, the span a session began at a
/// moment (what followed a run), the backends alive at a sample (for the blocking chain).
///
///     let report = try IncidentReport.build(input, who: { id in ... }, next: { id, t in ... },
///                                           backends: { t in try reader.backends(at: t) })
public struct ReportInput: Sendable {
    public var file = "", server = "", version = ""
    /// The recording's first and last sample.
    public var first: Int64?, last: Int64?
    /// The window (already within the recording).
    public var from: Int64?, to: Int64?
    /// The threshold given on the command line, and the recording's `idle-warn`.
    public var idleWarn: Double?
    public var recordedIdleWarn: Double?
    /// Every sample in the window, in order.
    public var samples: [(t: Int64, slots: SlotBudget?)] = []
    /// The spans idle in transaction or waiting that were alive in the window, in order of `from`.
    public var spans: [ReportSpan] = []
    public var outages: [IncidentReport.Outage] = []
    /// The window's actions.
    public var actions: [IncidentReport.ActionTaken] = []
    /// Every terminate pgtop sent that succeeded, by backend, whenever it was.
    public var terminations: [BackendID: (role: String, at: Int64)] = [:]
    public var damage: String?
    public var readable: [ClosedRange<Int64>] = []

    public init() {}
}

extension IncidentReport {
    /// The longest lock waits shown.
    public static let lockWaitsShown = 10

    public static func build(_ input: ReportInput, who: (Int64) throws -> Who?, next: (Int64, Int64) throws -> ReportSpan?,
                             backends: (Int64) throws -> [Backend]) rethrows -> IncidentReport {
        var r = IncidentReport()
        r.recording.file = input.file
        r.recording.server = input.server
        r.recording.version = input.version
        r.recording.first = input.first
        r.recording.last = input.last
        r.recording.from = input.from
        r.recording.to = input.to
        r.recording.samples = input.samples.count
        (r.recording.interval, r.recording.gaps) = SlotHistory.gaps(input.samples.map(\.t))
        r.recording.damage = input.damage
        r.recording.readable = input.readable
        if let given = input.idleWarn {
            (r.idleWarn, r.idleWarnSource) = (given, .commandLine)
        } else if let recorded = input.recordedIdleWarn {
            (r.idleWarn, r.idleWarnSource) = (recorded, .recording)
        }
        r.slots = SlotHistory.summarize(input.samples)
        r.outages = input.outages
        r.actions = input.actions
        guard let windowStart = input.from, let windowEnd = input.to, let recordingEnd = input.last else { return r }
        // The spans read began up to a rollover before the window: a run over before it is not in it.
        func inWindow(_ run: SpanRun) -> Bool { run.last.to.map { $0 > windowStart } ?? true }

        var people: [Int64: Who] = [:]
        func person(_ session: Int64, _ span: ReportSpan) throws -> Who {
            var w = try people[session] ?? who(session) ?? Who(pid: 0, backendStart: 0)
            people[session] = w
            if let app = span.application { w.application = app }
            return w
        }

        // Where the recording resumed after each outage: its first sample after it.
        let times = input.samples.map(\.t)
        let resumed = input.outages.compactMap { o -> (end: Int64, resume: Int64)? in
            guard let back = o.to, let i = firstIndex(in: times, atOrAfter: back) else { return nil }
            return (o.from, times[i])
        }
        for run in SpanRun.idleInTransaction(input.spans, outages: resumed) where inWindow(run) {
            let w = try person(run.session, run.last)
            let following = try run.last.to.flatMap { to in to <= windowEnd ? try next(run.session, to) : nil }
            let (until, ending) = IdleEnding.classify(
                run, next: following, termination: input.terminations[BackendID(pid: w.pid, start: w.backendStart)],
                outages: input.outages, windowEnd: windowEnd, recordingEnd: recordingEnd)
            let s = IdleSession(who: w, transactionStart: run.first.transactionStart,
                                idleSince: run.first.stateChange ?? run.first.from, until: until, ending: ending,
                                query: run.last.query)
            if s.held >= r.idleWarn { r.idleInTransaction.append(s) }
        }
        r.idleInTransaction.sort {
            ($0.transactionStart ?? $0.idleSince, $0.who.pid, $0.idleSince) < ($1.transactionStart ?? $1.idleSince, $1.who.pid, $1.idleSince)
        }

        let waits = SpanRun.lockWaits(input.spans).filter(inWindow).map { run -> (run: SpanRun, to: Int64, open: Bool) in
            guard let to = run.last.to, to <= windowEnd else { return (run, windowEnd, true) }
            return (run, to, false)
        }
        r.lockWaitCount = waits.count
        let longest = waits.sorted { ($0.to - $0.run.first.from, $1.run.first.from) > ($1.to - $1.run.first.from, $0.run.first.from) }
        for (run, to, open) in longest.prefix(lockWaitsShown) {
            let w = try person(run.session, run.first)
            var wait = LockWaitReport(who: w, query: run.first.query, from: run.first.from, to: to, open: open,
                                      lockMode: run.lockMode, lockTarget: run.lockTarget, blockedBy: run.first.blockedBy)
            wait.root = rootBlocker(of: BackendID(pid: w.pid, start: w.backendStart), among: try backends(run.first.from), at: run.first.from)
            r.lockWaits.append(wait)
        }
        return r
    }

    /// The first index of sorted `times` at or after `t`.
    static func firstIndex(in times: [Int64], atOrAfter t: Int64) -> Int? {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo < times.count ? lo : nil
    }

    /// The session at the head of `waiter`'s chain among `backends` (the ones alive at one
    /// moment, `t`): blocking, not waiting itself. nil when its blockers are not among them or
    /// the chain is a cycle.
    public static func rootBlocker(of waiter: BackendID, among backends: [Backend], at t: Int64) -> Blocker? {
        let tree = BlockingTree(backends)
        guard let node = tree.nodes.first(where: { $0.id == waiter }), node.root != waiter,
              let b = backends.first(where: { $0.id == node.root }) else { return nil }
        return Blocker(who: Who(pid: b.pid, backendStart: b.id.start, user: b.user, database: b.database,
                                application: b.application, client: b.client),
                       state: b.isClientBackend ? b.state.serverText : b.backendType, transactionStart: b.transactionAge.map { t - Int64(($0 * 1_000_000).rounded()) }, query: b.query)
    }
}
