import Testing
@testable import PGTopCore

/// The replay's timeline strip, as a pure function of the recording's figures.
@Suite struct TimelineViewTests {
    static let t0: Int64 = 1_795_479_540_000_000  // 2026-11-24 00:19:00 UTC
    static func t(_ s: Int) -> Int64 { t0 + Int64(s) * 1_000_000 }

    /// 40 samples: slots rise from 20 to 59 of 60, stuck sessions from 10 s, lock waiters at 30-34 s.
    static let timeline: ReplayTimeline = {
        let points = (0..<40).map { s in
            ReplayTimeline.Point(time: t(s), slots: SlotBudget(used: 20 + s, max: 60, superuserReserved: 0, reserved: 0),
                                 clients: 19 + s, stuck: s >= 10 ? 1 : 0, waiting: (30..<35).contains(s) ? 2 : 0)
        }
        return ReplayTimeline(points: points)
    }()

    func glyphs(_ cells: [TimelineView.Cell]) -> String { String(cells.map(\.glyph)) }

    @Test func heightsRiseWithTheSlotsAndColoursSayWhatWentWrong() {
        let cells = TimelineView.cells(Self.timeline, cursor: Self.t(0), count: 40, ascii: false)
        #expect(cells.count == 40)
        #expect(glyphs(cells) == "▁▁▁▁▁▂▂▂▂▂▃▃▃▃▃▄▄▄▄▄▅▅▅▅▅▆▆▆▆▆▇▇▇▇▇█████")
        #expect(cells[0].style == .selected)  // the cursor
        #expect(cells[1..<10].allSatisfy { $0.style == .dim })
        #expect(cells[10..<30].allSatisfy { $0.style == .stuck })
        #expect(cells[30..<35].allSatisfy { $0.style == .alarm })
        #expect(cells[35..<40].allSatisfy { $0.style == .stuck })  // 59 of 60: low, not exhausted
    }

    @Test func aStretchHoldsTheWorstOfItsSamples() {
        let cells = TimelineView.cells(Self.timeline, cursor: Self.t(39), count: 8, ascii: true)
        #expect(glyphs(cells) == "_.:-=+*#")
        #expect(cells.map(\.style) == [.dim, .dim, .stuck, .stuck, .stuck, .stuck, .alarm, .selected])
    }

    @Test func theCursorIsAtTheMomentShown() {
        for s in [0, 7, 20, 39] {
            let cells = TimelineView.cells(Self.timeline, cursor: Self.t(s), count: 40, ascii: false)
            #expect(cells.indices.filter { cells[$0].style == .selected } == [s])
        }
        // Between samples and past the end: the nearest cell.
        #expect(TimelineView.index(of: Self.t(50), in: Self.t(0)...Self.t(39), count: 40) == 39)
        #expect(TimelineView.index(of: Self.t(-5), in: Self.t(0)...Self.t(39), count: 40) == 0)
    }

    @Test func outagesAndGapsShow() {
        var timeline = Self.timeline
        timeline.points.removeAll { (20..<30).contains(($0.time - Self.t0) / 1_000_000) }
        timeline.outages = [ReplayTimeline.Outage(from: Self.t(20), to: Self.t(25), reason: "gone")]
        let cells = TimelineView.cells(timeline, cursor: Self.t(0), count: 40, ascii: false)
        #expect(cells[20..<26].allSatisfy { $0.glyph == "×" && $0.style == .alarm })
        #expect(cells[26..<30].allSatisfy { $0.glyph == " " })
        let ascii = TimelineView.cells(timeline, cursor: Self.t(27), count: 40, ascii: true)
        #expect(ascii[20].glyph == "x" && ascii[27] == TimelineView.Cell(glyph: "|", style: .selected))
    }

    @Test func theLineHasItsTimesAndALegendWhenThereIsRoom() {
        let wide = TimelineView.line(Self.timeline, cursor: Self.t(5), width: 140, ascii: false, clock: WallClock()).text
        #expect(wide.hasPrefix("00:19:00 ▁"), "\(wide)")
        #expect(wide.hasSuffix(" 00:19:39  slots used · idle txn · lock waits"), "\(wide)")
        #expect(CellWidth.of(wide) == 140)
        let narrow = TimelineView.line(Self.timeline, cursor: Self.t(5), width: 60, ascii: true, clock: WallClock()).text
        #expect(narrow.hasPrefix("00:19:00 _") && narrow.hasSuffix(" 00:19:39") && narrow.count == 60, "\(narrow)")
        let tiny = TimelineView.line(Self.timeline, cursor: Self.t(5), width: 25, ascii: true, clock: WallClock()).text
        #expect(tiny.count == 25 && !tiny.contains("00:"))
        for width in 1...160 {
            #expect(CellWidth.of(TimelineView.line(Self.timeline, cursor: Self.t(5), width: width, ascii: false, clock: WallClock()).text) <= width)
        }
        #expect(TimelineView.line(ReplayTimeline(), cursor: 0, width: 80, ascii: false, clock: WallClock()).text.isEmpty)
    }

    @Test func aRecordingOverDaysLabelsItsEndsWithTheirDates() {
        var timeline = Self.timeline
        timeline.points.append(ReplayTimeline.Point(time: Self.t(86_400 * 2), clients: 5))
        let line = TimelineView.line(timeline, cursor: Self.t(0), width: 100, ascii: false, clock: WallClock()).text
        #expect(line.hasPrefix("11-24 00:19 ") && line.hasSuffix(" 11-26 00:19"), "\(line)")
    }
}

extension TimelineViewTests {
    @Test func aStripWiderThanTheSamplesHasNoHolesButKeepsRealGaps() {
        var timeline = ReplayTimeline(points: (0..<10).map {
            ReplayTimeline.Point(time: Self.t($0), slots: SlotBudget(used: 10 + $0, max: 20, superuserReserved: 0, reserved: 0))
        })
        var cells = TimelineView.cells(timeline, cursor: Self.t(0), count: 40, ascii: true)
        #expect(!cells.contains { $0.glyph == " " }, "\(String(cells.map(\.glyph)))")
        // Five minutes without a sample (pgtop was not recording): blank there.
        timeline.points += (0..<10).map {
            ReplayTimeline.Point(time: Self.t(300 + $0), slots: SlotBudget(used: 10, max: 20, superuserReserved: 0, reserved: 0))
        }
        cells = TimelineView.cells(timeline, cursor: Self.t(0), count: 40, ascii: true)
        #expect(cells[5..<35].allSatisfy { $0.glyph == " " }, "\(String(cells.map(\.glyph)))")
    }
}
