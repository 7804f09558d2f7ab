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
/// A sample is compared in one pass, one hash lookup per backend, without building a span for
/// a session that did not change. `step` only says what changed and `take` keeps it: a writer
/// whose sample failed (a full disk) keeps the tracker as it was, at no cost.
///
///     var tracker = SpanTracker()
///     let diff = tracker.advance(snapshot.backends, at: clockMicros)   // then RecordingWriter writes it
public struct SpanTracker: Sendable {
    public struct Open: Sendable, Equatable {
        public var span: RecordedSpan
        public var from: Int64
        /// When it rolls over if nothing changes: at most `rollover` after `from`.
        public var rollsAt: Int64
        /// The backend the span was taken from: a later one that shares its texts (a row the
        /// delta refresh kept) is compared by its other fields only.
        var source: Backend

        public static func == (a: Open, b: Open) -> Bool { a.span == b.span && a.from == b.from && a.rollsAt == b.rollsAt }
    }

    /// What one sample changes (`step`), to `take` once it is written.
    public struct Step: Sendable {
        public let diff: RecordingDiff
        let time: Int64
        /// Open spans replaced, by their place in `opens`.
        let replaced: [(index: Int, open: Open)]
        /// Sessions not seen any more, by their place, in descending order.
        let removed: [Int]
        let added: [(id: BackendID, open: Open)]
    }

    /// Microseconds after which an unchanged span is closed and begun again.
    public let rollover: Int64
    public let staggered: Bool
    /// The open spans, `ids[i]`'s at `opens[i]`; `index` finds a session's place.
    private var ids: [BackendID] = []
    private var opens: [Open] = []
    private var index: [BackendID: Int] = [:]
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
    public var open: [BackendID: Open] { Dictionary(uniqueKeysWithValues: zip(ids, opens)) }

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
        var replaced: [(index: Int, open: Open)] = []
        var added: [(id: BackendID, open: Open)] = []
        var seen = [Bool](repeating: false, count: opens.count)
        var seenCount = 0
        var newIDs: Set<BackendID> = []
        opens.withUnsafeBufferPointer { opens in backends.withUnsafeBufferPointer { backends in
            for k in backends.indices {
                if let i = index[backends[k].id] {
                    guard !seen[i] else { continue }  // a duplicate row: the first one counts
                    seen[i] = true
                    seenCount += 1
                    // Borrowed in place: a session that did not change costs no copy of it or its span.
                    if t < opens[i].rollsAt,
                       opens[i].source.sharesTexts(with: backends[k]) ? opens[i].span.matchesBesidesTexts(backends[k], at: t)
                                                                      : opens[i].span.matches(backends[k], at: t) { continue }
                    let b = backends[k]
                    diff.closed.append(b.id)
                    let span = RecordedSpan(b, at: t)
                    diff.opened.append(RecordingDiff.Opened(id: b.id, span: span))
                    replaced.append((i, Open(span: span, from: t, rollsAt: t + rollover, source: b)))
                } else {
                    let b = backends[k]
                    guard newIDs.insert(b.id).inserted else { continue }
                    let span = RecordedSpan(b, at: t)
                    diff.newSessions.append(RecordedSession(b))
                    diff.opened.append(RecordingDiff.Opened(id: b.id, span: span))
                    let life = first && staggered ? Self.part(of: rollover, for: b.id) : rollover
                    added.append((b.id, Open(span: span, from: t, rollsAt: t + life, source: b)))
                }
            }
        } }
        var removed: [Int] = []
        if seenCount < opens.count {
            for i in stride(from: opens.count - 1, through: 0, by: -1) where !seen[i] {
                diff.closed.append(ids[i])
                diff.ended.append(ids[i])
                removed.append(i)
            }
        }
        return Step(diff: diff, time: t, replaced: replaced, removed: removed, added: added)
    }

    /// Keeps what `step` found (the step of the tracker as it is now).
    public mutating func take(_ s: Step) {
        for r in s.replaced { opens[r.index] = r.open }
        for i in s.removed {  // descending: a place moved is never one still to remove
            index[ids[i]] = nil
            let end = opens.count - 1
            if i != end {
                ids[i] = ids[end]
                opens[i] = opens[end]
                index[ids[i]] = i
            }
            ids.removeLast()
            opens.removeLast()
        }
        for a in s.added {
            index[a.id] = opens.count
            ids.append(a.id)
            opens.append(a.open)
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
        opens = []
        index = [:]
        first = true
        return closed
    }
}
