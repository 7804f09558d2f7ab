import Glibc
import PGTopCore
import PGTopPostgres
import PGTopStore

/// The recorder on the refresh path, at the interval a recording runs (1 s): each sample is a
/// delta refresh as pgtop's (fetch, decode, state, layout: the plain refresh), then what the
/// recorder adds (the sample's figures, the span diff and the SQLite transaction), each timed
/// in CPU. Also the file's growth per sample and why spans were opened.
struct RecordPath {
    var plain = Sample()      // CPU ms per sample: the refresh without recording
    var recording = Sample()  // CPU ms per sample the recorder adds
    var figures = Sample()    // of which the sample's figures (the header's counts)
    var diff = Sample()       // of which the span diff (SpanTracker)
    var wall = Sample()       // wall ms of the write (a checkpoint's fsync shows here)
    var bytesPerSample = Double.nan
    var opened = 0.0          // spans opened per sample (steady state)
    /// Spans opened per sample by the first recorded field that changed (`rollover`: none).
    var causes: [String: Double] = [:]
    var rows = 0

    /// `samples` samples `interval` apart into a recording at `path`; the first `warmup` are
    /// not counted (the first sample writes every session, and its spans all roll over at once).
    static func measure(_ c: PGConnection, server: ServerInfo, samples: Int, warmup: Int, interval: Double,
                        path: String) throws -> RecordPath {
        for s in ["", "-wal", "-shm", "-lock"] { unlink(path + s) }
        defer { for s in ["", "-wal", "-shm", "-lock"] { unlink(path + s) } }
        let writer = try RecordingWriter(path: path, meta: ["server": server.endpoint])
        var out = RecordPath()
        var state = AppState(interval: interval)
        state.server = server
        var delta = DeltaRefresh()
        var shadow = SpanTracker()
        var counted: [String: Int] = [:], opened = 0
        var bytesAtWarmup: Int64 = 0
        let sql = ActivityQuery.sql(serverVersion: c.serverVersion, withLocks: true)
        var next = Figures.wall()
        for i in 0..<(samples + warmup) {
            next += interval
            let cpu0 = Figures.cpu()
            try c.send(sql, ActivityQuery.parameters(delta.request()))
            var result: QueryResult?
            while result == nil {
                var fd = pollfd(fd: c.socket, events: Int16(POLLIN), revents: 0)
                _ = poll(&fd, 1, 1000)
                result = try c.poll()
            }
            let answer = ActivityQuery.decode(result!)
            let backends = delta.receive(answer)
            let t = (answer.clock ?? 0) * 1000
            state.receive(Snapshot(backends: backends, takenAt: Figures.wall(), serverTime: t))
            state.setPageSize(ScreenLayout.tableRows(height: 50))
            _ = ScreenLayout.render(state, width: 200, height: 50)
            let cpu1 = Figures.cpu()
            let figures = SampleFigures(backends, server: server, idleWarn: state.idleWarn)
            let cpuF = Figures.cpu(), wall0 = Figures.wall()
            let diff = try writer.write(backends, figures: figures, at: t)
            let cpu2 = Figures.cpu(), wall1 = Figures.wall()
            let before = shadow.open
            let cpu3 = Figures.cpu()
            _ = shadow.advance(backends, at: t)
            let cpu4 = Figures.cpu()
            if i >= warmup {
                out.plain.add((cpu1 - cpu0) * 1000)
                out.recording.add((cpu2 - cpu1) * 1000)
                out.figures.add((cpuF - cpu1) * 1000)
                out.diff.add((cpu4 - cpu3) * 1000)
                out.wall.add((wall1 - wall0) * 1000)
                opened += diff.opened.count
                for o in diff.opened {
                    guard let was = before[o.id] else { counted["new session", default: 0] += 1; continue }
                    counted[Self.cause(was.span, o.span), default: 0] += 1
                }
            } else if i == warmup - 1 {
                bytesAtWarmup = try writer.byteSize()
            }
            out.rows = backends.count
            let wait = next - Figures.wall()
            if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
        }
        out.bytesPerSample = Double(try writer.byteSize() - bytesAtWarmup) / Double(samples)
        writer.close()
        out.opened = Double(opened) / Double(samples)
        out.causes = counted.mapValues { Double($0) / Double(samples) }
        return out
    }

    /// The first recorded field that differs between two spans of a session.
    static func cause(_ a: RecordedSpan, _ b: RecordedSpan) -> String {
        if a.state != b.state { return "state" }
        if a.query != b.query { return "query" }
        if a.queryStart != b.queryStart {
            if let x = a.queryStart, let y = b.queryStart, abs(x - y) <= 1000 { return "query start ±1 ms" }
            return "query start"
        }
        if a.transactionStart != b.transactionStart {
            if let x = a.transactionStart, let y = b.transactionStart, abs(x - y) <= 1000 { return "xact start ±1 ms" }
            return "xact start"
        }
        if a.stateChange != b.stateChange { return "state change" }
        if a.waitEventType != b.waitEventType || a.waitEvent != b.waitEvent || a.waiting != b.waiting { return "wait" }
        if a.blockedBy != b.blockedBy { return "blocked by" }
        if a.lockMode != b.lockMode || a.lockTarget != b.lockTarget { return "lock" }
        if a != b { return "other" }
        return "rollover"
    }
}
