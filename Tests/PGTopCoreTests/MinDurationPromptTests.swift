import Testing
@testable import PGTopCore

/// `m`: the screen's `--min-duration`, set and cleared from a footer prompt, so that an
/// incident is `3`, a threshold, `A` `k` `y` and `A` leaves the healthy young transactions alone.
@Suite struct MinDurationPromptTests {
    /// Two stuck transactions, two healthy young ones, and an old active query.
    let rows = [
        backend(1, state: .idleInTransaction, age: 300), backend(2, state: .idleInTransaction, age: 200),
        backend(3, state: .idleInTransaction, age: 1), backend(4, state: .idleInTransaction, age: 0),
        backend(5, state: .active, age: 900),
    ]

    func id(_ pid: Int32) -> BackendID { BackendID(pid: pid, start: 1000) }

    /// The header's view/sort line.
    func viewLine(_ s: AppState) -> String {
        ScreenLayout.render(s, width: 120, height: 24).lines.first { $0.text.hasPrefix("View:") }?.text ?? ""
    }

    @Test func mSetsAThresholdAndAMarksOnlyTheRowsPastIt() {
        var s = state(rows)
        s.press(.char("3"), .char("m"))
        #expect(s.mode == .minDuration(draft: ""))
        s.press(.char("1"), .char("0"))
        #expect(s.rows.count == 4)  // nothing changes before Enter: `1` of `10s` hides nothing
        s.press(.char("s"), .enter)
        #expect(s.mode == .table)
        #expect(s.minDuration == 10)
        #expect(s.rows.map(\.pid) == [1, 2])
        #expect(s.message?.text == "Showing only rows with ELAPSED ≥ 10s")
        s.press(.char("A"))
        #expect(s.marks == [id(1), id(2)])
        s.press(.char("k"))
        guard case .confirm(let c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.question == "Terminate 2 backends (1, 2)? [y/N]")
        #expect(c.warnings.isEmpty)
        #expect(s.press(.char("y")) == [.signal(.terminate, [rows[0], rows[1]], pidOnly: false)])
    }

    @Test func theHeaderShowsTheThresholdByTheClockItIsMeasuredOn() {
        var s = state(rows)
        s.minDuration = 300
        var view = viewLine(s)
        #expect(view.hasPrefix("View: all  Sort: ELAPSED▼  ELAPSED ≥ 5:00  Shown 2/5"), "\(view)")
        s.press(.char("T"))
        view = viewLine(s)
        #expect(view.contains("  XACT AGE ≥ 5:00  "), "\(view)")
        s.asciiOnly = true
        view = viewLine(s)
        #expect(view.contains("  XACT AGE >= 5:00  "), "\(view)")
        s.minDuration = nil
        view = viewLine(s)
        #expect(!view.contains("XACT AGE >="), "\(view)")
    }

    @Test func thePromptShowsTheValueInUseAndEmptyClearsIt() {
        var s = state(rows)
        s.minDuration = 300
        s.press(.char("m"))
        #expect(s.mode == .minDuration(draft: "5m"))
        let frame = ScreenLayout.render(s, width: 100, height: 24)
        #expect(frame.lines[23].text.hasPrefix("Only ELAPSED at least: 5m"), "\(frame.lines[23].text)")
        #expect(frame.lines[22].text.hasPrefix("90, 90s, 5m, 2h, 1d; Enter sets it, empty clears it, Esc keeps ELAPSED ≥ 5:00"),
                "\(frame.lines[22].text)")
        s.press(.backspace, .backspace, .enter)
        #expect(s.minDuration == nil)
        #expect(s.rows.count == 5)
        #expect(s.message?.text == "Threshold cleared: rows of every age shown")
        // Ctrl-U empties the line too; spaces alone are empty.
        s.minDuration = 60
        s.press(.char("m"), .ctrl("u"), .char(" "), .enter)
        #expect(s.minDuration == nil)
    }

    @Test func badInputSaysSoInOneLineAndKeepsTheOldValue() {
        for typed in ["5x", "-5", "m", "1e999", "nan", "5 m"] {
            var s = state(rows)
            s.minDuration = 300
            s.press(.char("m"), .ctrl("u"))
            for c in typed { s.press(.char(c)) }
            s.press(.enter)
            #expect(s.mode == .table)
            #expect(s.minDuration == 300, "\(typed)")
            #expect(s.rows.map(\.pid) == [5, 1], "\(typed)")
            #expect(s.message == Message("Not a duration: \"\(typed)\" (90, 90s, 5m, 2h, 1d); still ELAPSED ≥ 5:00", isError: true))
        }
        var s = state(rows)
        s.press(.char("m"), .char("?"), .enter)
        #expect(s.minDuration == nil)
        #expect(s.message == Message("Not a duration: \"?\" (90, 90s, 5m, 2h, 1d); no threshold set", isError: true))
    }

    @Test func escKeepsTheOldValueAndKeysInThePromptAreText() {
        var s = state(rows)
        s.minDuration = 300
        #expect(s.press(.char("m"), .ctrl("u"), .char("q"), .char("k")) == [])
        #expect(s.mode == .minDuration(draft: "qk"))
        s.press(.escape)
        #expect(s.mode == .table)
        #expect(s.minDuration == 300)
        #expect(s.press(.char("m"), .ctrl("c")) == [.quit])
    }

    @Test func sWritesTheThresholdAndRemovesItOnceCleared() {
        var s = state(rows)
        s.press(.char("m"), .char("2"), .char("h"), .enter)
        #expect(Settings.layout(of: s).minDuration == 7200)
        #expect(SettingKey.named("min-duration")?.value(in: Settings.layout(of: s)) == .integer(7200))
        #expect(Settings.unsetLayoutKeys(in: Settings.layout(of: s)) == [])
        s.press(.char("m"), .ctrl("u"), .enter)
        #expect(Settings.unsetLayoutKeys(in: Settings.layout(of: s)) == ["min-duration"])
    }

    @Test func durationsReadBackAsTheyWereWritten() {
        #expect(DurationText.seconds("90") == 90)
        #expect(DurationText.seconds("90s") == 90)
        #expect(DurationText.seconds(" 5M ") == 300)
        #expect(DurationText.seconds("2h") == 7200)
        #expect(DurationText.seconds("1d") == 86_400)
        #expect(DurationText.seconds("1.5h") == 5400)
        for bad in ["", "s", "-1", "5x", "inf", "nan", "1e999"] { #expect(DurationText.seconds(bad) == nil, "\(bad)") }
        #expect(DurationText.text(300) == "5m")
        #expect(DurationText.text(90) == "90s")
        #expect(DurationText.text(7200) == "2h")
        #expect(DurationText.text(86_400) == "1d")
        #expect(DurationText.text(1.5) == "1.5s")
        #expect(DurationText.text(0) == "0s")
        for value in [0, 0.25, 1, 1.5, 59, 60, 90, 300, 3599, 3600, 5400, 86_400, 90_000, 1e300] {
            #expect(DurationText.seconds(DurationText.text(value)) == value, "\(value)")
        }
        // A huge threshold in the header does not trap.
        #expect(Format.duration(1e300) == "11574074074d 01:46")
    }
}
