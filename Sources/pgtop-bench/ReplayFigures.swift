import Glibc
import PGTopCore
import PGTopStore

/// A recording of many hours written by the recorder from `SyntheticServer` (about 1 GB, kept
/// and reused when it is there), then what a replay does with it: open it and show a moment at
/// random with the file's pages dropped from the cache first (`POSIX_FADV_DONTNEED`, this file
/// only), a moment at random warm, and steps of one sample forward and back. Wall-clock times.
struct ReplayFigures {
    var bytes: Int64 = 0
    var samples = 0
    var hours = 0.0
    /// While it was written: the writer's CPU per sample (ms), spans begun per sample.
    var writeCPU = Double.nan
    var spansPerSample = Double.nan
    var generated = false
    var coldOpenAndMoment = Sample()  // ms
    var open = Sample()
    var moment = Sample()
    var stepForward = Sample()
    var stepBack = Sample()
    var backends = 0
    /// `prune` on a copy, an hour at a time: wall ms per call, samples removed per call.
    var prune = Sample()
    var pruneCPU = Sample()
    var prunedSamples = 0.0

    /// What the file was made by: a file made by another generator is made again.
    static let generator = "SyntheticServer 1, seed 1"

    static func measure(path: String, targetBytes: Int64) throws -> ReplayFigures {
        var out = ReplayFigures()
        if let reused = try? reuse(path, targetBytes: targetBytes) {
            (out.writeCPU, out.spansPerSample) = reused
        } else {
            (out.writeCPU, out.spansPerSample) = try generate(path, targetBytes: targetBytes)
            out.generated = true
        }
        var st = stat()
        _ = stat(path, &st)
        out.bytes = Int64(st.st_size)
        let probe = try RecordingReader(path: path)
        guard let range = try probe.timeRange() else { throw BenchError("\(path) has no samples") }
        out.samples = try probe.sampleTimes().count
        out.hours = Double(range.upperBound - range.lowerBound) / 3.6e9
        probe.close()
        var rng = SplitMix(seed: 7)
        func random() -> Int64 { range.lowerBound + Int64(rng.below(UInt64(range.upperBound - range.lowerBound))) }

        for _ in 0..<10 {
            dropCache(path)
            let t0 = Figures.wall()
            let reader = try RecordingReader(path: path)
            let t1 = Figures.wall()
            let m = try reader.moment(at: random())
            let t2 = Figures.wall()
            out.open.add((t1 - t0) * 1000)
            out.coldOpenAndMoment.add((t2 - t0) * 1000)
            out.backends = m?.snapshot.backends.count ?? 0
            reader.close()
        }
        let reader = try RecordingReader(path: path)
        defer { reader.close() }
        for _ in 0..<30 {
            let t0 = Figures.wall()
            _ = try reader.moment(at: random())
            out.moment.add((Figures.wall() - t0) * 1000)
        }
        for _ in 0..<5 {
            guard var t = try reader.moment(at: random())?.time else { continue }
            for _ in 0..<20 {
                let t0 = Figures.wall()
                guard let next = try reader.sample(after: t), let m = try reader.moment(at: next) else { break }
                out.stepForward.add((Figures.wall() - t0) * 1000)
                t = m.time
            }
            for _ in 0..<20 {
                let t0 = Figures.wall()
                guard let previous = try reader.sample(before: t), let m = try reader.moment(at: previous) else { break }
                out.stepBack.add((Figures.wall() - t0) * 1000)
                t = m.time
            }
        }
        try measurePrune(path, into: &out)
        return out
    }

    /// Three calls of `prune(keepAfter:)` an hour past the first sample, on a copy of the file
    /// (each call does its budget's worth, as a recorder calling it every minute would).
    static func measurePrune(_ path: String, into out: inout ReplayFigures) throws {
        let copy = path + ".prune"
        defer { for s in ["", "-wal", "-shm", "-lock"] { unlink(copy + s) } }
        try copyFile(path, to: copy)
        let writer = try RecordingWriter(path: copy)
        defer { writer.close() }
        guard let first = try RecordingReader(path: copy).timeRange()?.lowerBound else { return }
        var removed = 0
        for _ in 0..<3 {
            let t0 = Figures.wall(), c0 = Figures.cpu()
            removed += try writer.prune(keepAfter: first + 3_600_000_000, maxBytes: nil).samples
            out.prune.add((Figures.wall() - t0) * 1000)
            out.pruneCPU.add((Figures.cpu() - c0) * 1000)
        }
        out.prunedSamples = Double(removed) / 3
    }

    static func copyFile(_ from: String, to: String) throws {
        let src = Glibc.open(from, O_RDONLY | O_CLOEXEC), dst = Glibc.open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { close(src); close(dst) }
        guard src >= 0, dst >= 0 else { throw BenchError("cannot copy \(from) to \(to)") }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = read(src, &buffer, buffer.count)
            if n <= 0 { break }
            guard write(dst, buffer, n) == n else { throw BenchError("cannot write \(to)") }
        }
    }

    /// The figures of the generation, from the file's `meta`, when the file is one of ours and
    /// large enough.
    static func reuse(_ path: String, targetBytes: Int64) throws -> (Double, Double) {
        var st = stat()
        guard stat(path, &st) == 0, Int64(st.st_size) >= targetBytes * 9 / 10 else { throw BenchError("no file") }
        let meta = try RecordingReader(path: path).meta()
        guard meta["synthetic"] == generator, let cpu = meta["synthetic_write_ms"].flatMap(Double.init),
              let spans = meta["synthetic_spans_per_sample"].flatMap(Double.init) else { throw BenchError("another file") }
        return (cpu, spans)
    }

    /// Writes samples a second apart until the file holds `targetBytes`; returns the writer's
    /// CPU per sample (ms, this thread) and the spans begun per sample.
    static func generate(_ path: String, targetBytes: Int64) throws -> (Double, Double) {
        for s in ["", "-wal", "-shm", "-lock"] { unlink(path + s) }
        let start: Int64 = 1_795_000_000_000_000
        var server = SyntheticServer(seed: 1, start: start)
        let writer = try RecordingWriter(path: path, meta: ["server": "synthetic:5432/shop", "synthetic": generator])
        var cpu = 0.0, spans = 0, samples = 0
        let t0 = Figures.wall()
        while true {
            let backends = server.advance()
            let figures = SampleFigures(backends, server: nil, idleWarn: 60)
            let c0 = threadCPU()
            spans += try writer.write(backends, figures: figures, at: server.now).opened.count
            cpu += threadCPU() - c0
            samples += 1
            if samples % 600 == 0 {
                let size = try writer.byteSize()
                if samples % 3600 == 0 {
                    print("  \(samples / 3600) h written, \(size >> 20) MB (\(format(Figures.wall() - t0)) s)")
                    fflush(nil)
                }
                if size >= targetBytes { break }
            }
        }
        writer.close()
        let perSample = cpu * 1000 / Double(samples), spansPerSample = Double(spans) / Double(samples)
        let db = try Database(path: path, mode: .readWrite)
        try db.execute("""
            INSERT OR REPLACE INTO meta(key, value) VALUES ('synthetic_write_ms', '\(perSample)'),
                                                           ('synthetic_spans_per_sample', '\(spansPerSample)')
            """)
        db.close()
        return (perSample, spansPerSample)
    }

    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The file's pages out of the page cache (written back first): the next read comes from the disk.
    static func dropCache(_ path: String) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fdatasync(fd)
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED))
        close(fd)
    }
}
