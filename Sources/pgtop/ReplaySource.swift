import Glibc
import PGTopCore
import PGTopStore

/// A recording as a source for the one event loop (`pgtop replay FILE`): the same snapshots,
/// server figures and details a live server gives, read at a replay position instead of a
/// socket. The sample times, the timeline's figures and the events are read once (a few
/// columns of `samples`, the spans idle in transaction); each moment's backends are read when
/// it is shown (one range of the spans' key). Every second it looks for samples a recorder has
/// added since, so a file being written grows on screen (`L` follows its end).
final class ReplaySource: Source {
    let reader: RecordingReader
    let meta: [String: String]
    /// The moments one can stand on: every sample, and every outage's start (the server
    /// unreachable then), in order.
    private(set) var positions: [Int64] = []
    private var sampleTimes: [Int64] = []
    private(set) var timeline = ReplayTimeline()
    private(set) var events: ReplayEvents
    private(set) var index = 0
    private var playing = false
    private var speed = 1
    private var following = false
    /// When playback moves to the next position (monotonic seconds).
    private var nextStepAt: Double?
    /// When to look for samples written since.
    private var nextLook: Double = 0
    /// The moment to show at the next tick (the first one, or after new samples).
    private var showPending = true
    private var note: Message?
    /// The event `n`/`N` last went to, while the position is still the one it went to.
    private var eventCursor: (time: Int64, index: Int)?
    /// The moment on screen: its sample's time and backends (for the detail).
    private var shown: (time: Int64, backends: [Backend])?
    private var detailShown: (id: BackendID, time: Int64)?
    private var server: ServerInfo?
    /// The counters at the moment shown and the reading before.
    private var readings: (current: ServerStats?, previous: ServerStats?) = (nil, nil)
    /// A damaged file: said in the footer at the start and on stderr by the command.
    let damage: String?

    /// Opens the recording's index of time: fails only when not even that can be read.
    init(reader: RecordingReader, idleWarn: Double) throws {
        self.reader = reader
        meta = (try? reader.meta()) ?? [:]
        events = ReplayEvents(idleWarn: idleWarn)
        let (points, damage) = reader.timelinePoints()
        self.damage = damage
        let outages = (try? reader.outages()) ?? []
        guard !points.isEmpty || !outages.isEmpty else {
            throw Failure(damage ?? "\(reader.path): the recording has no samples yet")
        }
        add(points, outages: outages)
        if let damage { note = Message(damage + " (the samples that read back are replayed)", isError: true) }
    }

    var waitOn: (fd: Int32, write: Bool)? { nil }
    /// At once while the events' scan has pieces left; else the next sample of a playback.
    var deadline: Double? { scanning ? 0 : (playing ? nextStepAt : nil) }
    var awaitingSince: Double? { nil }

    /// The position shown now: a sample's time or an outage's start.
    var time: Int64 { positions[index] }
    /// The time of the sample whose backends are on screen (at an outage: the one before it).
    var shownTime: Int64? { shown?.time }

    // MARK: - Source

    func tick(now: Double, state: AppState) -> [SourceEvent] {
        var events: [SourceEvent] = []
        if now >= nextLook {
            nextLook = now + 1
            if lookForNewSamples() {
                if following {
                    index = positions.count - 1
                    showPending = true
                } else {
                    events.append(.replay(status()))  // the end moved: the strip and the count
                }
            }
        }
        if playing, let due = nextStepAt, now >= due {
            if index + 1 < positions.count {
                index += 1
                showPending = true
            } else {
                playing = false
                note = Message("the end of the recording (L follows it while a recorder writes it)")
                events.append(.replay(status()))
            }
        }
        if showPending {
            showPending = false
            events += show(now: now)
        } else if scanning {
            scanSpans()
            if !scanning && note != nil { events.append(.replay(status())) }  // the scan failed: said
        }
        // An open detail moves through time with the rows.
        if case .detail(let id, _) = state.mode, let shown, detailShown.map({ $0.id != id || $0.time != shown.time }) ?? true {
            events += perform(.detail(id), now: now)
        }
        return events
    }

    func step(now: Double, ready: Bool) -> [SourceEvent] { [] }

    func perform(_ request: SourceRequest, now: Double) -> [SourceEvent] {
        switch request {
        case .refreshNow:
            return []
        case .detail(let id):
            guard let shown else { return [] }
            detailShown = (id, shown.time)
            let backend = shown.backends.first { $0.id == id }
            return [.detail(id, backend.map { BackendDetail.recorded($0, at: shown.time, clock: clock(at: shown.time)) })]
        case .signal(let request):
            return [.signalFailed(request, AppState.replayRefusal)]
        case .replay(let command):
            apply(command)
            return show(now: now)
        }
    }

    func close() { reader.close() }

    // MARK: - Moving

    /// The position at or before `t`; the first when `t` is earlier.
    func position(atOrBefore t: Int64) -> Int {
        var lo = 0, hi = positions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if positions[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return max(0, lo - 1)
    }

    func apply(_ command: ReplayCommand) {
        let last = positions.count - 1
        let before = index
        switch command {
        case .step(let n):
            following = false
            index = max(0, min(last, index + n))
            if index == before { note = Message(n > 0 ? "the end of the recording (L follows it while a recorder writes it)" : "the start of the recording") }
        case .jump(let seconds):
            following = false
            let target = time + Int64(seconds * 1_000_000)
            var i = position(atOrBefore: target)
            if seconds > 0 && i <= index { i = min(last, index + 1) }  // a gap longer than the jump
            if target < positions[0] { i = 0 }
            index = i
            if index == before { note = Message(seconds > 0 ? "the end of the recording" : "the start of the recording") }
        case .goTo(let t):
            following = false
            index = position(atOrBefore: t)
            if t < positions[0] {
                note = Message("before the recording: its first sample, \(clock(at: positions[0]).dateTime(positions[0]))")
            } else if t > positions[last] {
                note = Message("after the recording: its last sample, \(clock(at: positions[last]).dateTime(positions[last]))")
            }
        case .togglePlay:
            following = false
            playing.toggle()
            if playing && index == last {
                playing = false
                note = Message("the end of the recording: step back first (L follows it while a recorder writes it)")
            }
        case .faster, .slower:
            let speeds = ReplayStatus.speeds
            let i = speeds.firstIndex(of: speed) ?? 0
            speed = speeds[max(0, min(speeds.count - 1, i + (command == .faster ? 1 : -1)))]
            note = Message("speed \(speed)x" + (playing ? "" : " (p plays)"))
        case .nextEvent, .previousEvent:
            following = false
            let from = eventCursor.flatMap { $0.index == index ? $0.time : nil } ?? time
            let found = command == .nextEvent ? events.next(after: from) : events.previous(before: from)
            // The spans not read yet may hold an event before the one found.
            if let unsure = stillScanning(upTo: command == .nextEvent ? (found ?? Int64.max) : from) {
                note = Message(unsure)
                return
            }
            guard let t = found else {
                note = Message(command == .nextEvent ? "no event after \(clock(at: from).time(from))" : "no event before \(clock(at: from).time(from))")
                return
            }
            index = position(atOrBefore: t)
            eventCursor = (t, index)
            note = Message(events.describe(at: t, clock: clock(at: t)))
            return
        case .latest:
            playing = false
            following = true
            index = last
            note = Message("following the recording: each new sample as it is written (any other replay key stops)")
        }
        eventCursor = nil
    }

    // MARK: - Showing

    /// The moment at the position: the server's figures when they changed, its backends,
    /// the counters, and where the replay stands.
    private func show(now: Double) -> [SourceEvent] {
        var out: [SourceEvent] = []
        let t = time
        do {
            if let m = try reader.moment(at: t) {
                let info = serverInfo(m.figures)
                if info != server {
                    server = info
                    out.append(.reconnected(info))
                }
                shown = (m.time, m.snapshot.backends)
                out.append(.snapshot(Snapshot(backends: m.snapshot.backends, takenAt: now, serverTime: m.time)))
                readings = try reader.statsReadings(at: m.time)
            } else {
                shown = (t, [])
                readings = (nil, nil)
                out.append(.snapshot(Snapshot(backends: [], takenAt: now, serverTime: t)))
            }
        } catch {
            note = Message("cannot read \(clock(at: t).dateTime(t)): \(error)", isError: true)
        }
        if playing {
            let gap = index + 1 < positions.count ? Double(positions[index + 1] - t) / 1e6 : 1
            // A long gap (pgtop was not recording) is crossed in 2 s at most.
            nextStepAt = now + min(2, max(0.01, gap / Double(speed)))
        }
        out.append(.replay(status()))
        return out
    }

    func status() -> ReplayStatus {
        let t = time
        var s = ReplayStatus(time: t, first: positions[0], last: positions[positions.count - 1], index: index,
                             count: positions.count, playing: playing, speed: speed,
                             outage: timeline.outages.last { $0.contains(t) && !sampleTimesContain(t) }?.reason)
        s.following = following
        s.clock = clock(at: t)
        s.timeline = timeline
        s.stats = readings.current
        s.previousStats = readings.previous
        s.note = note
        note = nil
        return s
    }

    private func sampleTimesContain(_ t: Int64) -> Bool {
        let i = ReplayEvents.firstIndex(of: t, in: sampleTimes)
        return i < sampleTimes.count && sampleTimes[i] == t
    }

    /// The header's server line from the recording's meta and the sample's slot figures.
    private func serverInfo(_ f: SampleFigures) -> ServerInfo {
        ServerInfo(versionNumber: Int(meta["server_version_num"] ?? "") ?? 0,
                   version: meta["server_version"] ?? meta["version"] ?? "",
                   endpoint: meta["server"] ?? reader.path, maxConnections: f.slots?.max ?? 0,
                   superuserReserved: f.slots?.superuserReserved ?? 0, reserved: f.slots?.reserved ?? 0,
                   role: meta["role"] ?? "")
    }

    /// The local wall clock at `t` (its offset from UTC then: summer time may differ).
    func clock(at t: Int64) -> WallClock {
        var seconds = time_t(t / 1_000_000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return WallClock(utcOffset: Int(parts.tm_gmtoff))
    }

    // MARK: - A recording that grows

    /// Reads the samples written since the last look; true when there were any.
    private func lookForNewSamples() -> Bool {
        let (points, _) = reader.timelinePoints(after: sampleTimes.last)
        let outages = (try? reader.outages()) ?? timeline.outages
        guard !points.isEmpty || outages != timeline.outages else { return false }
        add(points, outages: outages)
        return true
    }

    /// Adds samples (after the last one known) and the outages as they are now; finds their events.
    private func add(_ points: [ReplayTimeline.Point], outages: [ReplayTimeline.Outage]) {
        let after = sampleTimes.last
        let shownTime = positions.isEmpty ? nil : time
        timeline.points += points
        timeline.outages = outages
        sampleTimes += points.map(\.time)
        positions = Array(Set(sampleTimes + outages.map(\.from))).sorted()
        if let shownTime { index = position(atOrBefore: shownTime) }
        events.add(points: points, times: sampleTimes, actions: (try? reader.actions(after: after)) ?? [],
                   ends: (try? reader.sessionEnds(after: after)) ?? [], outages: outages)
        // The spans idle in transaction are most of a file: only those alive at a sample where
        // a session may have crossed idle-warn are read (they began within a rollover before
        // it), in pieces, a few ms per loop turn (`scanSpans`), so the screen answers at once.
        for p in points where p.mayHoldStuck(idleWarn: events.idleWarn) {
            let window = (from: p.time - reader.rollover, through: p.time)
            if let last = toScan.last, window.from <= last.through {
                toScan[toScan.count - 1].through = window.through
                scanTotal += window.through - max(window.from, last.through)
            } else {
                toScan.append(window)
                scanTotal += window.through - window.from
            }
        }
    }

    /// The ranges of the spans' key still to read for the events (`from_us` after `from`, up
    /// to `through`), in order; how much of them there was and how much is read.
    private var toScan: [(from: Int64, through: Int64)] = []
    private var scanTotal: Int64 = 0
    private var scanDone: Int64 = 0
    /// How much recorded time one piece of the scan reads (adapted to take a few ms).
    private var scanWindow: Int64 = 60_000_000
    var scanning: Bool { !toScan.isEmpty }

    /// Reads pieces of the spans for `budget` seconds at most.
    func scanSpans(budget: Double = 0.015) {
        let began = Clock.now()
        while let range = toScan.first, Clock.now() - began < budget {
            let upTo = min(range.through, range.from + scanWindow)
            let pieceBegan = Clock.now()
            do {
                events.add(idleSpans: try reader.idleSpans(from: range.from, through: upTo), times: sampleTimes)
            } catch {
                toScan = []
                note = Message("events: the spans after \(clock(at: range.from).dateTime(range.from)) do not read back: \(error)", isError: true)
                return
            }
            let took = Clock.now() - pieceBegan
            if took < 0.002 { scanWindow = min(scanWindow * 2, 86_400_000_000) }
            if took > 0.008 { scanWindow = max(scanWindow / 2, 1_000_000) }
            scanDone += upTo - range.from
            if upTo >= range.through { toScan.removeFirst() } else { toScan[0].from = upTo }
        }
    }

    /// `finding events: 40% of the recording read` while spans before `t` are still to read.
    private func stillScanning(upTo t: Int64) -> String? {
        guard let next = toScan.first, next.from < t else { return nil }
        let done = Double(scanDone) / Double(max(1, scanTotal))
        return "finding events: \(Int(max(0, min(99, done * 100))))% of the recording read; try again in a moment"
    }
}
