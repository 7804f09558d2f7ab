import Testing
@testable import PGTopCore

/// The same screen over a recording: the header says REPLAY and the recorded moment, the
/// timeline strip sits under it, the footer names the replay keys, the detail says what a
/// recording keeps.
@Suite struct ReplayScreenTests {
    static let first: Int64 = 1_795_479_540_000_000  // 2026-11-24 00:19:00 UTC

    static func replaying(outage: String? = nil, playing: Bool = false) -> AppState {
        var s = state((0..<30).map { backend(Int32(100 + $0)) } + [backend(7, state: .idleInTransaction, xact: 90)])
        var status = ReplayStatus(time: first + 30_000_000, first: first, last: first + 119_000_000, index: 30, count: 120,
                                  playing: playing, speed: 4, outage: outage)
        status.timeline = ReplayTimeline(points: (0..<120).map {
            ReplayTimeline.Point(time: first + Int64($0) * 1_000_000, slots: SlotBudget(used: 40 + $0 / 4, max: 100, superuserReserved: 3, reserved: 0))
        })
        s.receive(status)
        return s
    }

    func text(_ s: AppState, _ width: Int, _ height: Int) -> [String] {
        var s = s
        s.setScreen(width: width, height: height)
        return ScreenLayout.render(s, width: width, height: height).lines.map(\.text)
    }

    @Test func theHeaderSaysReplayTheMomentAndThePace() {
        let screen = text(Self.replaying(), 140, 30)
        #expect(screen[0].hasPrefix("pgtop  REPLAY 2026-11-24 00:19:30  paused  PostgreSQL 15.18  /tmp:5432/postgres"), "\(screen[0])")
        #expect(screen[0].hasSuffix("sample 31/120") && !screen[0].contains("refresh"), "\(screen[0])")
        let playing = text(Self.replaying(outage: "server closed the connection unexpectedly", playing: true), 140, 30)
        #expect(playing[0].contains("REPLAY 2026-11-24 00:19:30  OUTAGE: server closed the connection unexpectedly  playing 4x"), "\(playing[0])")
        // Narrow: the moment and the outage are the last to go.
        for (width, height) in [(60, 20), (40, 12), (30, 8)] {
            let line = text(Self.replaying(outage: "gone"), width, height)[0]
            #expect(line.contains("REPLAY") && line.contains("00:19:30") && line.contains("OUTAGE"), "\(width)x\(height): \(line)")
        }
    }

    @Test func theTimelineIsTheLineUnderTheHeader() {
        var s = Self.replaying()
        s.setScreen(width: 120, height: 30)
        let g = ScreenLayout.geometry(height: 30, stats: s.showStats, timeline: true)
        let screen = text(s, 120, 30)
        #expect(g.timelineLines == 1)
        #expect(screen[g.headerLines].hasPrefix("00:19:00 ▁") && screen[g.headerLines].contains(" 00:20:59"), "\(screen[g.headerLines])")
        #expect(screen[g.headerLines + 1].contains("PID"))
        // One table row fewer than live, and a click on a row still lands on it.
        #expect(s.pageSize == ScreenLayout.tableRows(height: 30, stats: s.showStats) - 1)
        let titleRow = g.headerLines + 1
        _ = s.handle(.mouse(Mouse(.press, x: 3, y: titleRow + 3)))
        #expect(s.selectedIndex == 2)
        // No strip live, nor on a tiny screen.
        #expect(!text(state([backend(1)]), 120, 30).contains { $0.contains("slots used · idle txn") })
        #expect(ScreenLayout.geometry(height: 7, timeline: true).timelineLines == 0)
    }

    @Test func theFooterNamesTheReplayKeys() {
        let screen = text(Self.replaying(), 120, 30)
        #expect(screen[29] == "? Help  ←→ Step  [] Minute  p Play  +- Speed  t Time  nN Event  / Filter  5 Blockers  q Quit", "\(screen[29])")
        var s = Self.replaying()
        s.asciiOnly = true
        #expect(text(s, 120, 30)[29].hasPrefix("? Help  <- -> Step  [ ] Minute"), "\(text(s, 120, 30)[29])")
        _ = s.press(.char("t"))
        let prompt = text(s, 120, 30)
        #expect(prompt[29] == "Go to time: ")
        #expect(prompt[28] == "03:12, 03:12:30, 2026-11-24 20:30, -10m, +2h; Enter goes there, Esc stays at 00:19:30")
    }

    @Test func aRecordedDetailSaysWhatTheRecordingKeeps() {
        var waiter = backend(7, state: .active, age: 2, xact: 2, waiting: true, blockedBy: [5], waitEvent: "tuple")
        waiter.lockMode = "ExclusiveLock"
        waiter.lockTarget = "orders row"
        let t = Self.first + 30_000_000
        let detail = BackendDetail.recorded(waiter, at: t, clock: WallClock())
        #expect(detail.recorded && detail.id == waiter.id)
        #expect(detail.locks == ["WAITS for ExclusiveLock on orders row held by 5"])
        #expect(detail.fields.first { $0.name == "query_start" }?.value == "2026-11-24 00:19:28")
        #expect(detail.fields.first { $0.name == "backend_start" }?.value == "1970-01-01 00:00:00")
        #expect(detail.query == "SELECT 1")
        var s = Self.replaying()
        s.receive(Snapshot(backends: [waiter]))
        _ = s.press(.enter)
        s.detail = detail
        let screen = text(s, 120, 40).joined(separator: "\n")
        #expect(screen.contains("Locks (recorded: only what a waiter waited for; locks held are not recorded):"))
        #expect(screen.contains("Recorded fields (pg_stat_activity's, as the refresh had them):"))
        #expect(screen.contains("Right [ ] n N Move in time") && !screen.contains("k Terminate"))
    }
}
