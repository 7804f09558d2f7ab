/// The open span of every session a recording has seen, kept between samples: each sample is
/// compared with it and only what changed comes out (`RecordingDiff`).
///
/// A span also ends when it has lasted `rollover` (two minutes by default) and a new identical
/// one begins: no span is then older than that, so the sessions alive at a moment are found
/// among the spans that began in the two minutes before it, one range of the `from` index,
/// however long the recording (`RecordingReader`). (Longer, and a moment reads more rows;
/// shorter, and every idle session writes a row more often: at 2,000 backends a minute cost
/// 33 rows a second, two minutes 17.) `staggered`: the spans of the first sample (the recording's
/// start, the server back after an outage) end after a part of the rollover each, the part
/// chosen by the session, so that sessions that never change do not all roll over in the same
/// sample, minute after minute (2,000 rows at once at 2,000 idle backends).
///
/// A sample is compared in one pass, one lookup per backend and one compare of plain values
/// (`SpanFingerprint`), without building a span or touching a reference count for a session
/// that did not change. What a sample reads of the tracker is kept in the order of the last
/// sample's backends, which the next one mostly repeats: the lookup is then the place after
/// the one before (`BackendIndex` only when that misses), and the memory is read in order
/// rather than at random (at 2,000 backends, random reads of a cold cache cost 0.25 ms a
/// sample). `step` only says what changed and `take` keeps it: a writer whose sample failed
/// (a full disk) keeps the tracker as it was, at no cost.
///
///     var tracker = SpanTracker()
///     let diff = tracker.advance(snapshot.backends, at: clockMicros)   // then RecordingWriter writes it
public struct SpanTracker: Sendable {
    public struct Open: Sendable, Equatable {
        public var span: RecordedSpan
        public var from: Int64
        /// When it rolls over if nothing changes: at most `rollover` after `from`.
        public var rollsAt: Int64
        /// The backend the span was taken from (or a later one in the same span): it keeps the
        /// box of texts its print names alive.
        var source: Backend

        public static func == (a: Open, b: Open) -> Bool { a.span == b.span && a.from == b.from && a.rollsAt == b.rollsAt }
    }

    /// What one sample changes (`step`), to `take` once it is written.
    public struct Step: Sendable {
        public let diff: RecordingDiff
        let time: Int64
        /// Open spans replaced, by place.
        let replaced: [(place: Int, open: Open)]
        /// Open spans that did not change, seen with another box of the same texts: it is kept
        /// (the box the print names stays alive), so that the next sample compares at once.
        let reboxed: [(place: Int, source: Backend)]
        /// Sessions not seen any more, by place.
        let removed: [Int]
        let added: [(id: BackendID, open: Open)]
        /// The sample's sessions in its order: a place, or `-1 - k` for `added[k]`; nil when
        /// that is the order already kept.
        let order: [Int32]?
    }

    /// Microseconds after which an unchanged span is closed and begun again.
    public let rollover: Int64
    public let staggered: Bool
    /// The open spans by place, in the order of the last sample: `ids[p]`'s print at
    /// `prints[p]` (of its open span's source, whose box it names), when it rolls over at
    /// `rolls[p]`, its open span at `opens[slots[p]]`; `index` finds a session's place.
    private var ids: [BackendID] = []
    private var prints: [SpanFingerprint] = []
    private var rolls: [Int64] = []
    private var slots: [Int32] = []
    private var index = BackendIndex()
    /// The open spans, where they stay while their place moves; nil in a slot `free` lists.
    private var opens: [Open?] = []
    private var free: [Int32] = []
    /// The time of the last sample, nil before the first.
    public private(set) var last: Int64?
    /// The next sample is the first one (of the recording, or after `closeAll`).
    private var first = true

    public static let defaultRollover: Int64 = 120_000_000

    public init(rollover: Int64 = SpanTracker.defaultRollover, staggered: Bool = false) {
        self.rollover = rollover
        self.staggered = staggered
    }

    /// Every open span, by session.
    public var open: [BackendID: Open] {
        Dictionary(uniqueKeysWithValues: zip(ids, slots.map { opens[Int($0)]! }))
    }

    /// Takes the sample at `t` (µs since the epoch, the server's clock; later than the last
    /// one): every backend of the snapshot.
    public mutating func advance(_ backends: [Backend], at t: Int64) -> RecordingDiff {
        let s = step(backends, at: t)
        take(s)
        return s.diff
    }

    /// What the sample at `t` changes, the tracker left as it is.
    public func step(_ backends: [Backend], at t: Int64) -> Step {
        var diff = RecordingDiff()
        var replaced: [(place: Int, open: Open)] = []
        var reboxed: [(place: Int, source: Backend)] = []
        var added: [(id: BackendID, open: Open)] = []
        var seen = [Bool](repeating: false, count: ids.count)
        var order: [Int32] = []
        order.reserveCapacity(backends.count)
        var inOrder = true  // so far, the places are 0, 1, 2, ...
        var newIDs: Set<BackendID> = []
        ids.withUnsafeBufferPointer { ids in prints.withUnsafeBufferPointer { prints in rolls.withUnsafeBufferPointer { rolls in
        backends.withUnsafeBufferPointer { backends in
            var guess = 0
            for k in backends.indices {
                // Borrowed in place: a session that did not change costs no copy of it.
                let id = backends[k].id
                let place = guess < ids.count && ids[guess] == id ? guess : index.place(of: id)
                if let i = place {
                    guess = i + 1
                    guard !seen[i] else { continue }  // a duplicate row: the first one counts
                    seen[i] = true
                    if inOrder, i != order.count { inOrder = false }
                    order.append(Int32(i))
                    if t < rolls[i] {
                        let print = SpanFingerprint(backends[k], at: t)
                        if print == prints[i], print.state >= 0 { continue }
                        if print.sameBesidesTexts(prints[i]), opens[Int(slots[i])]!.span.matches(backends[k], at: t) {
                            reboxed.append((i, backends[k]))
                            continue
                        }
                    }
                    let b = backends[k]
                    diff.closed.append(b.id)
                    let span = RecordedSpan(b, at: t)
                    diff.opened.append(RecordingDiff.Opened(id: b.id, span: span))
                    replaced.append((i, Open(span: span, from: t, rollsAt: t + rollover, source: b)))
                } else {
                    let b = backends[k]
                    guard newIDs.insert(b.id).inserted else { continue }
                    inOrder = false
                    order.append(Int32(-1 - added.count))
                    let span = RecordedSpan(b, at: t)
                    diff.newSessions.append(RecordedSession(b))
                    diff.opened.append(RecordingDiff.Opened(id: b.id, span: span))
                    let life = first && staggered ? Self.part(of: rollover, for: b.id) : rollover
                    added.append((b.id, Open(span: span, from: t, rollsAt: t + life, source: b)))
                }
            }
        } } } }
        var removed: [Int] = []
        if order.count - added.count < ids.count {
            inOrder = false
            for i in seen.indices where !seen[i] {
                diff.closed.append(ids[i])
                diff.ended.append(ids[i])
                removed.append(i)
            }
        }
        return Step(diff: diff, time: t, replaced: replaced, reboxed: reboxed, removed: removed, added: added,
                    order: inOrder ? nil : order)
    }

    /// Keeps what `step` found (the step of the tracker as it is now).
    public mutating func take(_ s: Step) {
        for r in s.replaced {
            opens[Int(slots[r.place])] = r.open
            prints[r.place] = SpanFingerprint(r.open.source, at: r.open.from)
            rolls[r.place] = r.open.rollsAt
        }
        for r in s.reboxed {
            opens[Int(slots[r.place])]!.source = r.source
            prints[r.place].texts = r.source.textIdentity
        }
        for p in s.removed {
            opens[Int(slots[p])] = nil
            free.append(slots[p])
        }
        if let order = s.order {
            var newIDs: [BackendID] = [], newPrints: [SpanFingerprint] = [], newRolls: [Int64] = [], newSlots: [Int32] = []
            newIDs.reserveCapacity(order.count)
            newPrints.reserveCapacity(order.count)
            newRolls.reserveCapacity(order.count)
            newSlots.reserveCapacity(order.count)
            for o in order {
                if o >= 0 {
                    let p = Int(o)
                    newIDs.append(ids[p]); newPrints.append(prints[p]); newRolls.append(rolls[p]); newSlots.append(slots[p])
                } else {
                    let a = s.added[Int(-1 - o)]
                    let slot: Int32
                    if let f = free.popLast() {
                        slot = f
                        opens[Int(f)] = a.open
                    } else {
                        slot = Int32(opens.count)
                        opens.append(a.open)
                    }
                    newIDs.append(a.id)
                    newPrints.append(SpanFingerprint(a.open.source, at: a.open.from))
                    newRolls.append(a.open.rollsAt)
                    newSlots.append(slot)
                }
            }
            (ids, prints, rolls, slots) = (newIDs, newPrints, newRolls, newSlots)
            index = BackendIndex(ids)
        }
        last = s.time
        first = false
    }

    /// A part of `rollover` in (0, rollover], the same for a session every time.
    static func part(of rollover: Int64, for id: BackendID) -> Int64 {
        var h = UInt64(UInt32(bitPattern: id.pid)) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: id.start)
        h = (h ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        return Int64(h % UInt64(Swift.max(1, rollover))) + 1
    }

    /// Every open span, closed: the server became unreachable, or the recording stops. The
    /// next sample opens a span for every session it has, and names them all in `newSessions`
    /// (the writer knows which of them it has written already).
    public mutating func closeAll() -> [BackendID] {
        let closed = ids
        ids = []
        prints = []
        rolls = []
        slots = []
        opens = []
        free = []
        index = BackendIndex()
        first = true
        return closed
    }
}
