/// The recording's figures beside their targets (issue 14), the table README "Performance"
/// shows: the recorder at the bench's mix, and replay on the generated recording.
struct RecordingTable {
    var record: RecordPath?
    var replay: ReplayFigures?

    var text: String {
        var rows = ["| recording figure | target | measured |", "|---|---|---|"]
        func spread(_ s: Sample) -> String { "\(format(s.median)) ms (\(format(s.min))–\(format(s.max)))" }
        func mean(_ s: Sample) -> Double { s.values.reduce(0, +) / Double(Swift.max(1, s.values.count)) }
        if let r = record {
            let causes = r.causes.sorted { $0.value > $1.value }.map { "\($0.key) \(format($0.value))" }.joined(separator: ", ")
            rows.append("| client CPU the recorder adds per sample, \(r.rows) rows at 1 s (figures, span diff, SQLite) | ≤ 1 ms | \(spread(r.recording)), mean \(format(mean(r.recording))) ms: figures \(format(r.figures.median)), span diff \(format(r.diff.median)), SQLite the rest; the plain refresh \(format(r.plain.median)) ms; the write's wall time \(spread(r.wall)) |")
            rows.append("| file growth at the bench's mix | ≤ 30 MB/h | \(format(r.bytesPerSample / 1000)) kB per sample = \(format(r.bytesPerSample * 3600 / 1e6)) MB/h; \(format(r.opened)) spans begin per sample (\(causes)) |")
        }
        if let p = replay {
            rows.append("| a busy server's recording (`SyntheticServer`, \(p.generated ? "written in this run" : "kept from an earlier run")) | | \(format(Double(p.bytes) / 1e6)) MB, \(format(p.hours)) h, \(p.samples) samples of \(p.backends) backends: \(format(Double(p.bytes) / Double(Swift.max(1, p.samples)) / 1000)) kB per sample = \(format(Double(p.bytes) / Swift.max(p.hours, 1e-9) / 1e6)) MB/h, \(format(p.spansPerSample)) spans per sample; writer CPU \(format(p.writeCPU)) ms per sample |")
            rows.append("| replay: open it and show a moment at random, its pages not cached | < 200 ms | \(spread(p.coldOpenAndMoment)); the open alone \(format(p.open.median)) ms |")
            rows.append("| replay: a moment at random, cached | | \(spread(p.moment)) |")
            rows.append("| replay: a step of one sample forward / back | < 20 ms | \(spread(p.stepForward)) / \(spread(p.stepBack)) |")
            rows.append("| prune: one call on that file's oldest samples (its budget: 30,000 rows) | cheap enough for every minute | \(spread(p.prune)) wall, \(spread(p.pruneCPU)) CPU, \(format(p.prunedSamples)) samples each |")
        }
        return rows.joined(separator: "\n") + "\n"
    }
}
