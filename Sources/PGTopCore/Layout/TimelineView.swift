/// The replay's timeline strip, one line under the header: the whole recording, one cell per
/// stretch of time, so an incident's onset shows at a glance.
///
///     00:19:00 ▃▃▃▃▄▄▄▄▅▅▅▅▆▆▆▆▇▇▇▇▆▆▆▆ ×× ▆▆▆▆ 00:21:00  slots used · idle txn · lock waits
///
/// A cell's height is the most slots used in its stretch, from the fewest used in the
/// recording (`▁`) to `slots_max` (`█`; without the server's settings, the most clients
/// seen); its colour says the worst thing in it:
/// lock waiters (alarm), sessions idle in transaction past idle-warn (the stuck rows' colour),
/// slots exhausted (alarm). `×` is an outage, a blank a stretch with no sample. The cell of the
/// moment shown is in the selection's colour. ASCII terminals get `_.:-=+*#` and `x`.
public enum TimelineView {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let asciiBlocks: [Character] = ["_", ".", ":", "-", "=", "+", "*", "#"]

    /// One cell of the strip.
    struct Cell: Equatable {
        var glyph: Character
        var style: Style
    }

    /// What a stretch of time held.
    struct Bucket {
        var samples = 0
        var fraction = 0.0
        var stuck = false
        var waiting = false
        var exhausted = false
        var outage = false
        /// No sample of its own: between two close ones, it shows the one before.
        var filled = false
    }

    /// The strip for `width` cells: its times at both ends and a legend when there is room.
    public static func line(_ timeline: ReplayTimeline, cursor: Int64, width: Int, ascii: Bool, clock: WallClock) -> StyledLine {
        guard width > 0, let range = timeline.range else { return StyledLine() }
        let oneDay = clock.date(range.lowerBound) == clock.date(range.upperBound)
        func label(_ t: Int64) -> String {
            oneDay ? clock.time(t) : String(clock.date(t).suffix(5)) + " " + String(clock.time(t).prefix(5))
        }
        let left = label(range.lowerBound), right = label(range.upperBound)
        let labels = CellWidth.of(left) + CellWidth.of(right) + 2
        let legend: [Span] = [Span("  slots used", .dim), Span(ascii ? " - " : " · ", .dim), Span("idle txn", .stuck),
                              Span(ascii ? " - " : " · ", .dim), Span("lock waits", .alarm)]
        let legendWidth = legend.reduce(0) { $0 + CellWidth.of($1.text) }
        var spans: [Span] = []
        var strip = width
        if width - labels >= 60 + legendWidth {
            strip = width - labels - legendWidth
        } else if width - labels >= 20 {
            strip = width - labels
        } else {
            return Line.fit(runs(cells(timeline, cursor: cursor, count: width, ascii: ascii)), width: width, ascii: ascii)
        }
        spans.append(Span(left + " ", .dim))
        spans += runs(cells(timeline, cursor: cursor, count: strip, ascii: ascii))
        spans.append(Span(" " + right, .dim))
        if strip < width - labels { spans += legend }
        return Line.fit(spans, width: width, ascii: ascii)
    }

    /// Consecutive cells of one style as one span.
    static func runs(_ cells: [Cell]) -> [Span] {
        var out: [Span] = []
        for cell in cells {
            if let last = out.last, last.style == cell.style {
                out[out.count - 1].text.append(cell.glyph)
            } else {
                out.append(Span(String(cell.glyph), cell.style))
            }
        }
        return out
    }

    /// The strip's `count` cells, the one holding `cursor` highlighted.
    static func cells(_ timeline: ReplayTimeline, cursor: Int64, count: Int, ascii: Bool) -> [Cell] {
        guard count > 0, let range = timeline.range else { return [] }
        let buckets = self.buckets(timeline, range: range, count: count)
        let glyphs = ascii ? asciiBlocks : blocks
        var out = buckets.map { b -> Cell in
            if b.samples == 0 && !b.filled {
                return b.outage ? Cell(glyph: ascii ? "x" : "×", style: .alarm) : Cell(glyph: " ", style: .dim)
            }
            let level = max(1, min(glyphs.count, Int((b.fraction * Double(glyphs.count)).rounded(.up))))
            let style: Style = b.waiting || b.exhausted ? .alarm : (b.stuck ? .stuck : .dim)
            return Cell(glyph: glyphs[level - 1], style: style)
        }
        let at = index(of: cursor, in: range, count: count)
        out[at].style = .selected
        if out[at].glyph == " " { out[at].glyph = "|" }
        return out
    }

    /// The cell a moment falls in: `count` equal stretches from the first moment to the last.
    static func index(of t: Int64, in range: ClosedRange<Int64>, count: Int) -> Int {
        let span = Double(range.upperBound - range.lowerBound) + 1
        let offset = Double(min(max(t, range.lowerBound), range.upperBound) - range.lowerBound)
        return max(0, min(count - 1, Int(offset / span * Double(count))))
    }

    static func buckets(_ timeline: ReplayTimeline, range: ClosedRange<Int64>, count: Int) -> [Bucket] {
        var out = [Bucket](repeating: Bucket(), count: count)
        // From just under the fewest used to all of them (max_connections; without the
        // server's settings, the most clients seen): the rise shows, and a full bar is full.
        let used = timeline.points.lazy.map { $0.slots?.used ?? $0.clients }
        let base = Double((used.min() ?? 0) - 1)
        let mostClients = timeline.points.lazy.map(\.clients).max() ?? 0
        for p in timeline.points {
            let i = index(of: p.time, in: range, count: count)
            let top = Double(p.slots?.max ?? mostClients)
            let fraction = top > base ? (Double(p.slots?.used ?? p.clients) - base) / (top - base) : 1
            out[i].samples += 1
            out[i].fraction = max(out[i].fraction, fraction)
            if p.stuck > 0 { out[i].stuck = true }
            if p.waiting > 0 { out[i].waiting = true }
            if p.slots?.level == .exhausted { out[i].exhausted = true }
        }
        for o in timeline.outages {
            let from = index(of: o.from, in: range, count: count)
            let to = index(of: o.to ?? range.upperBound, in: range, count: count)
            for i in from...max(from, to) { out[i].outage = true }
        }
        fillBetweenSamples(&out, timeline, range: range)
        return out
    }

    /// A strip wider than the samples are many has cells between two samples: they show the
    /// sample before, unless the two are far apart (pgtop was not recording: a blank) or the
    /// server was unreachable (`×`).
    static func fillBetweenSamples(_ buckets: inout [Bucket], _ timeline: ReplayTimeline, range: ClosedRange<Int64>) {
        guard timeline.points.count > 1 else { return }
        let mean = Double(range.upperBound - range.lowerBound) / Double(timeline.points.count - 1)
        let limit = max(5_000_000, 10 * mean)
        let cell = Double(range.upperBound - range.lowerBound + 1) / Double(buckets.count)
        var before: Int?
        for i in buckets.indices {
            if buckets[i].samples > 0 { before = i; continue }
            if buckets[i].outage { before = nil; continue }  // not across an outage
            guard let b = before,
                  let next = buckets[(i + 1)...].firstIndex(where: { $0.samples > 0 || $0.outage }), buckets[next].samples > 0,
                  Double(next - b) * cell <= limit else { continue }
            var copy = buckets[b]
            copy.samples = 0
            copy.filled = true
            buckets[i] = copy
        }
    }
}
