/// The open span of every session a recording has seen, kept between samples: each sample is
/// compared with it and only what changed comes out (`RecordingDiff`).
///
/// A span also ends when it has lasted `rollover` (a minute by default) and a new identical one
/// begins: no span is then older than that, so the sessions alive at a moment are found among
/// the spans that began in the minute before it, one range of the `from` index, however long
/// the recording (`RecordingReader`). `staggered`: the spans of the first sample (the recording's
/// start, the server back after an outage) end after a part of the rollover each, the part
/// chosen by the session, so that sessions that never change do not all roll over in the same
/// sample, minute after minute (2,000 rows at once at 2,000 idle backends).
///
///     var tracker = SpanTracker()
///     let diff = tracker.advance(snapshot.backends, at: clockMicros)   // then RecordingWriter writes it
public struct SpanTracker: Sendable {
    public struct Open: Sendable, Equatable {
        public var span: RecordedSpan
        public var from: Int64
        /// When it rolls over if nothing changes: at most `rollover` after `from`.
        public var rollsAt: Int64
    }

    /// Microseconds after which an unchanged span is closed and begun again.
    public let rollover: Int64
    public let staggered: Bool
    public private(set) var open: [BackendID: Open] = [:]
    /// The time of the last sample, nil before the first.
    public private(set) var last: Int64?
    /// The next sample is the first one (of the recording, or after `closeAll`).
    private var first = true

    public static let defaultRollover: Int64 = 60_000_000

    public init(rollover: Int64 = SpanTracker.defaultRollover, staggered: Bool = false) {
        self.rollover = rollover
        self.staggered = staggered
    }

    /// Takes the sample at `t` (µs since the epoch, the server's clock; later than the last
    /// one): every backend of the snapshot.
    public mutating func advance(_ backends: [Backend], at t: Int64) -> RecordingDiff {
        var diff = RecordingDiff()
        var seen = Set<BackendID>(minimumCapacity: backends.count)
        for b in backends {
            guard seen.insert(b.id).inserted else { continue }  // a duplicate row: the first one counts
            let span = RecordedSpan(b, at: t)
            if let current = open[b.id] {
                guard t >= current.rollsAt || current.span != span else { continue }
                diff.closed.append(b.id)
            } else {
                diff.newSessions.append(RecordedSession(b))
            }
            diff.opened.append(RecordingDiff.Opened(id: b.id, span: span))
            open[b.id] = Open(span: span, from: t, rollsAt: t + (first && staggered ? Self.part(of: rollover, for: b.id) : rollover))
        }
        if seen.count < open.count {
            for id in open.keys where !seen.contains(id) {
                diff.closed.append(id)
                diff.ended.append(id)
            }
            for id in diff.ended { open[id] = nil }
        }
        last = t
        first = false
        return diff
    }

    /// A part of `rollover` in (0, rollover], the same for a session every time.
    static func part(of rollover: Int64, for id: BackendID) -> Int64 {
        var h = UInt64(UInt32(bitPattern: id.pid)) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: id.start)
        h = (h ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        return Swift.max(1, Int64(h % UInt64(Swift.max(1, rollover))) + 1)
    }

    /// Every open span, closed: the server became unreachable, or the recording stops. The
    /// next sample opens a span for every session it has, and names them all in `newSessions`
    /// (the writer knows which of them it has written already).
    public mutating func closeAll() -> [BackendID] {
        let ids = Array(open.keys)
        open = [:]
        first = true
        return ids
    }
}
