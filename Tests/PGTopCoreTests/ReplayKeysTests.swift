import Testing
@testable import PGTopCore

/// The replay's keys, in the one state machine: what each asks of the recording, the `t`
/// prompt, and cancel/terminate refused without a question.
@Suite struct ReplayKeysTests {
    /// 2026-11-24 00:19:00 UTC, two minutes recorded.
    static let first: Int64 = 1_795_479_540_000_000
    static let last = first + 119_000_000

    static func replaying(_ backends: [Backend] = [backend(1), backend(2, state: .idleInTransaction, xact: 90)]) -> AppState {
        var s = state(backends)
        s.receive(ReplayStatus(time: first + 30_000_000, first: first, last: last, index: 30, count: 120))
        return s
    }

    @Test func eachReplayKeyAsksTheRecordingForOneThing() {
        let expected: [(Key, ReplayCommand)] = [
            (.left, .step(-1)), (.right, .step(1)), (.char("["), .jump(seconds: -60)), (.char("]"), .jump(seconds: 60)),
            (.char("{"), .jump(seconds: -3600)), (.char("}"), .jump(seconds: 3600)), (.char("p"), .togglePlay),
            (.char("Z"), .togglePlay), (.char("+"), .faster), (.char("-"), .slower), (.char("n"), .nextEvent),
            (.char("N"), .previousEvent), (.char("L"), .latest),
        ]
        for (key, command) in expected {
            var s = Self.replaying()
            #expect(s.press(key) == [.replay(command)], "\(key.name)")
            #expect(s.mode == .table && !s.paused && s.interval == 1, "\(key.name)")
        }
    }

    @Test func liveTheSameKeysKeepTheirMeaning() {
        var s = state([backend(1)])
        #expect(s.press(.char("Z")).isEmpty && s.paused)
        _ = s.press(.char("+"))
        #expect(s.interval == 2)
        #expect(s.press(.left, .right, .char("n"), .char("L"), .char("[")).isEmpty)
        #expect(s.mode == .table)
    }

    @Test func theTableKeysStillWorkInAReplay() {
        var s = Self.replaying()
        _ = s.press(.char("3"))
        #expect(s.filter.view == .idleInTransaction && s.rows.map(\.pid) == [2])
        #expect(s.press(.enter) == [.fetchDetail(BackendID(pid: 2, start: 1000))])
        // In the detail, time moves on with the rest of the screen; Left still goes back.
        #expect(s.press(.right) == [.replay(.step(1))])
        #expect(s.press(.char("n")) == [.replay(.nextEvent)])
        _ = s.press(.left)
        #expect(s.mode == .table)
    }

    @Test func tGoesToATypedTime() {
        var s = Self.replaying()
        _ = s.press(.char("t"))
        #expect(s.mode == .replayTime(draft: ""))
        for c in "00:20" { _ = s.press(.char(c)) }
        #expect(s.mode == .replayTime(draft: "00:20"))
        #expect(s.press(.enter) == [.replay(.goTo(Self.first + 60_000_000))])
        #expect(s.mode == .table)
        // Relative to the moment shown.
        _ = s.press(.char("t"))
        for c in "-10s" { _ = s.press(.char(c)) }
        #expect(s.press(.enter) == [.replay(.goTo(Self.first + 20_000_000))])
        // Esc stays; Backspace edits.
        _ = s.press(.char("t"), .char("9"), .backspace, .escape)
        #expect(s.mode == .table)
    }

    @Test func textThatIsNoTimeSaysSoInOneLine() {
        var s = Self.replaying()
        _ = s.press(.char("t"))
        for c in "lunch\u{1b}[2J" { _ = s.press(.char(c)) }
        #expect(s.press(.enter).isEmpty)
        let message = s.message?.text ?? ""
        #expect(message == "Not a time: \"lunch?[2J\" (03:12, 03:12:30, 2026-11-24 20:30, -10m, +2h)", "\(message)")
        #expect(s.message?.isError == true && s.mode == .table)
    }

    @Test func cancelAndTerminateAreRefusedWithoutAQuestion() {
        var s = Self.replaying()
        for key: Key in [.char("k"), .function(9), .char("c")] {
            s.message = nil
            #expect(s.press(key).isEmpty)
            #expect(s.mode == .table, "\(key.name) asked")
            #expect(s.message == Message("replay: a recording; cancel and terminate act only on live servers", isError: true))
        }
        _ = s.press(.char("A"), .char("k"))
        #expect(s.mode == .table)
        _ = s.press(.enter, .char("k"))
        #expect(s.mode == .detail(BackendID(pid: 1, start: 1000), scroll: 0))
        #expect(s.message?.text == AppState.replayRefusal)
    }

    @Test func theHelpAndTheManPageListTheReplayKeys() {
        var s = Self.replaying()
        _ = s.press(.char("?"))
        let help = HelpView.entries(s)
        for binding in KeyMap.replayBindings {
            #expect(help.contains { $0.text == binding.help && $0.keys == binding.keys.map(\.name).joined(separator: ", ") })
        }
        #expect(help.first?.text == "Replaying a recording (these keys come first):")
        #expect(!HelpView.entries(state([])).contains { $0.text == KeyMap.replayBindings[0].help })
        let page = ManualPage.sections()
        #expect(page.contains(".Ss \"In a replay\""))
        for binding in KeyMap.replayBindings { #expect(page.contains(ManualPage.text(binding.help)), "\(binding.help)") }
    }

    @Test func theReplayKeysDoNotShadowOneAnother() {
        var seen = Set<Key>()
        for binding in KeyMap.replayBindings {
            for key in binding.keys { #expect(seen.insert(key).inserted, "\(key.name) twice") }
        }
        // Only Z, + and - take over a table key; the rest were free.
        let taken = seen.filter { KeyMap.action(for: $0) != nil }
        #expect(taken == [.char("Z"), .char("+"), .char("-")])
    }

    @Test func aReplayStatusReplacesTheHeadersCountersAndSaysItsNote() {
        var s = Self.replaying()
        var status = s.replay!
        var a = ServerStats(at: 100), b = ServerStats(at: 101)
        a.commits = 10; b.commits = 30
        status.stats = b
        status.previousStats = a
        status.note = Message("event: 00:19:30 5 sessions idle in transaction past 10s")
        s.receive(status)
        #expect(s.stats == b && s.rates?.transactions == 20)
        #expect(s.message?.text == "event: 00:19:30 5 sessions idle in transaction past 10s")
        status.stats = nil
        status.previousStats = nil
        status.note = nil
        s.receive(status)
        #expect(s.stats == nil && s.rates == nil)
        #expect(s.message?.text.hasPrefix("event:") == true)  // kept until something else is said
    }
}
