/// One thing worth jumping to in a recording (`n`, `N`): when it happened and what, in words.
public struct ReplayEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The slot budget fell under 10% free, or none was left for ordinary roles.
        case slots
        /// Sessions became idle in transaction past idle-warn (or aborted).
        case stuck
        /// Lock waiters rose to `ReplayEvents.pileUp` or more.
        case locks
        /// pgtop cancelled or terminated sessions (the `actions` table).
        case action
        /// Many sessions ended at one sample (terminated by someone, a pooler or an application restart).
        case ended
        /// The server was unreachable, or answered again.
        case outage
    }

    public var time: Int64
    public var kind: Kind
    public var text: String

    public init(time: Int64, kind: Kind, text: String) {
        self.time = time
        self.kind = kind
        self.text = text
    }
}

/// A span of a session idle in transaction, as the recording has it (`spans` rows whose state
/// begins `idle in transaction`).
public struct RecordedIdleSpan: Sendable, Equatable {
    public var session: Int64
    public var from: Int64
    /// The first sample it was no longer so; nil while it lasts (to the end of the recording).
    public var to: Int64?
    public var transactionStart: Int64?
    public var stateChange: Int64?
    public var aborted: Bool

    public init(session: Int64, from: Int64, to: Int64?, transactionStart: Int64?, stateChange: Int64?, aborted: Bool) {
        self.session = session
        self.from = from
        self.to = to
        self.transactionStart = transactionStart
        self.stateChange = stateChange
        self.aborted = aborted
    }
}

/// A cancel or terminate pgtop sent (`actions` rows).
public struct RecordedAction: Sendable, Equatable {
    public var time: Int64
    public var pid: Int32
    public var kind: String
    public var outcome: String

    public init(time: Int64, pid: Int32, kind: String, outcome: String) {
        self.time = time
        self.pid = pid
        self.kind = kind
        self.outcome = outcome
    }
}

/// Finds the events of a recording from what its reader gives: the samples' figures, the
/// spans idle in transaction, the actions, the sessions' ends and the outages. Pure, and
/// incremental: a recording being written is read again from where the last look ended
/// (`add` with what came after `through`), and the spans, the one large part of a file, may
/// come in pieces (`add(idleSpans:)`); only new events are added.
///
/// - slots: the first sample under 10% free (`SlotBudget.level` low), or with none free;
/// - stuck: the first sample at which a session is idle in transaction and its transaction
///   is `idleWarn` old (as the table highlights it; an aborted one at once), one event for all
///   the sessions that cross at that sample;
/// - locks: lock waiters rising to `pileUp` (3) or more;
/// - action: each cancel/terminate pgtop sent, its sessions and outcomes;
/// - ended: `burst` (5) sessions or more ending at one sample, four times the recording's
///   usual rate or more (not at an outage, which ends every session);
/// - outage: the server unreachable (the reason), and when it answered again.
public struct ReplayEvents: Sendable {
    public static let pileUp = 3
    public static let burst = 5

    public let idleWarn: Double
    /// Every event found, in order of time.
    public private(set) var all: [ReplayEvent] = []
    /// The last sample looked at.
    public private(set) var through: Int64?
    private var previous: ReplayTimeline.Point?
    private var stuckSeen: Set<StuckKey> = []
    private var outagesSeen: Set<Int64> = []
    private var outageEndsSeen: Set<Int64> = []
    private var endsSeen = 0

    private struct StuckKey: Hashable {
        var session: Int64
        var transaction: Int64
    }

    public init(idleWarn: Double) { self.idleWarn = idleWarn }

    /// Adds what the recording holds after `through` (every sample's figures but the spans):
    /// - points: the samples after it, in order;
    /// - times: every sample's time, in order;
    /// - actions, ends: those after it (`ends`: a time and how many sessions ended then);
    /// - outages: all of them (the ones already seen are skipped).
    public mutating func add(points: [ReplayTimeline.Point], times: [Int64], actions: [RecordedAction],
                             ends: [(time: Int64, count: Int)], outages: [ReplayTimeline.Outage]) {
        let after = through ?? Int64.min
        var found: [ReplayEvent] = []
        for p in points where p.time > after {
            found += sampleEvents(p, previous: previous)
            previous = p
        }
        found += actionEvents(actions.filter { $0.time > after })
        found += endEvents(ends.filter { $0.time > after }, times: times, outages: outages)
        for o in outages {
            if outagesSeen.insert(o.from).inserted {
                found.append(ReplayEvent(time: o.from, kind: .outage, text: "server unreachable: \(o.reason)"))
            }
            // Said at the first sample after it, where the rows are the server's again.
            if let to = o.to, case let i = Self.firstIndex(of: to, in: times), i < times.count,
               outageEndsSeen.insert(o.from).inserted {
                found.append(ReplayEvent(time: times[i], kind: .outage,
                                         text: "server answering again after \(Format.seconds(Double(to - o.from) / 1e6))"))
            }
        }
        if let last = points.last?.time { through = max(through ?? last, last) }
        insert(found)
    }

    /// Adds the crossings of idle-warn in these spans idle in transaction (any part of the
    /// recording, in any order, read again or not: a session's transaction crosses once).
    /// `times`: every sample's time, in order; a crossing is placed on the first sample at or
    /// after it, if the session is still in that span then.
    public mutating func add(idleSpans: [RecordedIdleSpan], times: [Int64]) {
        insert(stuckEvents(idleSpans, times: times))
    }

    /// Events at the same time as ones found before go after them.
    private mutating func insert(_ found: [ReplayEvent]) {
        guard !found.isEmpty else { return }
        all += found
        all.sort { $0.time < $1.time }  // stable
    }

    /// The events at exactly `time`.
    public func events(at time: Int64) -> [ReplayEvent] {
        var i = firstIndex(atOrAfter: time)
        var out: [ReplayEvent] = []
        while i < all.count && all[i].time == time { out.append(all[i]); i += 1 }
        return out
    }

    /// The time of the first event after `t`, or of the last one before it.
    public func next(after t: Int64) -> Int64? {
        let i = firstIndex(atOrAfter: t == Int64.max ? t : t + 1)
        return i < all.count ? all[i].time : nil
    }

    public func previous(before t: Int64) -> Int64? {
        let i = firstIndex(atOrAfter: t)
        return i > 0 ? all[i - 1].time : nil
    }

    /// `event: 20:30:12 3 sessions idle in transaction past 60s; lock pile-up: ...`
    public func describe(at time: Int64, clock: WallClock) -> String {
        "event: \(clock.time(time)) " + events(at: time).map(\.text).joined(separator: "; ")
    }

    private func firstIndex(atOrAfter t: Int64) -> Int {
        var lo = 0, hi = all.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if all[mid].time < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Slots and lock waiters, against the sample before.
    func sampleEvents(_ p: ReplayTimeline.Point, previous: ReplayTimeline.Point?) -> [ReplayEvent] {
        var out: [ReplayEvent] = []
        if let budget = p.slots {
            let before = previous?.slots?.level ?? .ok
            switch (budget.level, before) {
            case (.exhausted, .ok), (.exhausted, .low):
                out.append(ReplayEvent(time: p.time, kind: .slots,
                                       text: "slots exhausted: \(budget.used)/\(budget.max) used, none free for ordinary roles"))
            case (.low, .ok):
                out.append(ReplayEvent(time: p.time, kind: .slots,
                                       text: "slots low: \(budget.used)/\(budget.max) used, only \(budget.freeForOrdinary) free"))
            default: break
            }
        }
        if p.waiting >= Self.pileUp && (previous?.waiting ?? 0) < Self.pileUp {
            out.append(ReplayEvent(time: p.time, kind: .locks, text: "lock pile-up: \(p.waiting) sessions waiting for a lock"))
        }
        return out
    }

    /// Sessions whose transaction crosses idle-warn while idle in it: at the first sample at
    /// or after the crossing, if the session is still in that span then.
    mutating func stuckEvents(_ spans: [RecordedIdleSpan], times: [Int64]) -> [ReplayEvent] {
        let warn = Int64((idleWarn * 1_000_000).rounded())
        var crossings: [Int64: Int] = [:]
        for s in spans {
            let began = s.transactionStart ?? s.stateChange ?? s.from
            let key = StuckKey(session: s.session, transaction: began)
            guard !stuckSeen.contains(key) else { continue }
            let crossing = s.aborted ? s.from : began + warn
            let i = Self.firstIndex(of: max(crossing, s.from), in: times)
            guard i < times.count, times[i] < (s.to ?? Int64.max) else { continue }
            stuckSeen.insert(key)
            crossings[times[i], default: 0] += 1
        }
        let limit = idleWarn == idleWarn.rounded() && idleWarn < 1e9 ? "\(Int(idleWarn))s" : DurationText.text(idleWarn)
        return crossings.sorted { $0.key < $1.key }.map { time, n in
            ReplayEvent(time: time, kind: .stuck,
                        text: "\(n) session\(n == 1 ? "" : "s") idle in transaction past \(limit)")
        }
    }

    /// One event per cancel/terminate (its rows share a time and kind).
    func actionEvents(_ actions: [RecordedAction]) -> [ReplayEvent] {
        var groups: [(time: Int64, kind: String, outcomes: [String])] = []
        for a in actions.sorted(by: { $0.time < $1.time }) {
            // An outcome's first words: `denied: permission denied ...` counts as `denied`.
            let outcome = String(a.outcome.split(separator: ":", maxSplits: 1).first ?? "")
            if let last = groups.last, last.time == a.time, last.kind == a.kind {
                groups[groups.count - 1].outcomes.append(outcome)
            } else {
                groups.append((a.time, a.kind, [outcome]))
            }
        }
        return groups.map { g in
            var counts: [(String, Int)] = []
            for o in g.outcomes {
                if let i = counts.firstIndex(where: { $0.0 == o }) { counts[i].1 += 1 } else { counts.append((o, 1)) }
            }
            let n = g.outcomes.count
            return ReplayEvent(time: g.time, kind: .action,
                               text: "pgtop sent \(g.kind) to \(n) session\(n == 1 ? "" : "s"): "
                                   + counts.map { "\($0.1) \($0.0)" }.joined(separator: ", "))
        }
    }

    /// Bursts of sessions ending at one sample.
    mutating func endEvents(_ ends: [(time: Int64, count: Int)], times: [Int64], outages: [ReplayTimeline.Outage]) -> [ReplayEvent] {
        // Only ends at a sample: a recording closed or resumed ends what it left open between samples.
        let real = ends.filter { e in
            let i = Self.firstIndex(of: e.time, in: times)
            return i < times.count && times[i] == e.time && !outages.contains { $0.from == e.time }
        }
        endsSeen += real.reduce(0) { $0 + $1.count }
        let usual = Double(endsSeen) / Double(max(1, times.count))
        return real.filter { $0.count >= Self.burst && Double($0.count) >= 4 * usual }.map {
            ReplayEvent(time: $0.time, kind: .ended, text: "\($0.count) sessions ended at once")
        }
    }

    /// The first index of `times` (in order) at or after `t`.
    public static func firstIndex(of t: Int64, in times: [Int64]) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
