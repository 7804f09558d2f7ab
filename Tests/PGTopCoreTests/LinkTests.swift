import Testing
@testable import PGTopCore

@Suite struct LinkTests {
    @Test func backoffIsQuickThenCapped() {
        var b = Backoff()
        #expect((0..<7).map { _ in b.next() } == [0.5, 1, 2, 4, 5, 5, 5])
        b.reset()
        #expect(b.next() == 0.5)
    }

    @Test func lostConnectionIsSaidWithRetryAndAgeAndTheTableDims() {
        var s = state([backend(1, state: .idleInTransaction), backend(2)])
        s.receive(Snapshot(backends: s.snapshot!.backends, takenAt: 100))
        s.link = .lost(reason: "server closed the connection unexpectedly", since: 101, retryAt: 105)
        s.now = 112.5 - 10
        let f = ScreenLayout.render(s, width: 200, height: 30)
        #expect(f.lines[0].text.contains("connection lost: server closed the connection unexpectedly; retry in 3s; data 2s old"))
        #expect(f.lines[0].spans.contains { $0.style == .alarm })
        let rows = f.lines.filter { $0.text.contains("SELECT 1") }
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.spans[0].style == .dim || $0.spans[0].style == .selected })
        #expect(rows.contains { $0.spans[0].style == .dim })
    }

    @Test func reconnectingWhenTheRetryIsDue() {
        var s = state([backend(1)])
        s.link = .lost(reason: "x", since: 0, retryAt: 5)
        s.now = 6
        #expect(ScreenLayout.render(s, width: 200, height: 30).lines[0].text.contains("connection lost: x; reconnecting"))
    }

    @Test func aLateAnswerIsSaidBeforeItIsGivenUpOn() {
        var s = state([backend(1)])
        s.awaitingSince = 10
        s.now = 11
        #expect(!ScreenLayout.render(s, width: 200, height: 30).text.contains("waiting for the server"))
        s.now = 13.2
        let line = ScreenLayout.render(s, width: 200, height: 30).lines[0]
        #expect(line.text.contains("waiting for the server: no answer for 3s"))
        #expect(line.spans.contains { $0.style == .warn })
    }

    @Test func compactHeaderSaysItToo() {
        var s = state([backend(1)])
        s.link = .lost(reason: "gone", since: 0, retryAt: 9)
        s.now = 1
        #expect(ScreenLayout.render(s, width: 80, height: 8).lines[0].text.contains("connection lost: gone"))
    }

    @Test func marksAndSelectionSurviveAReconnectWhenTheBackendsDo() {
        var s = state([backend(1), backend(2), backend(3)])
        s.press(.down, .char(" "))
        let selected = s.selection
        s.link = .lost(reason: "x", since: 0, retryAt: 1)
        s.link = .connected
        s.receive(Snapshot(backends: [backend(3), backend(2), backend(1), backend(4)]))
        #expect(s.marks == [BackendID(pid: 2, start: 1000)])
        #expect(s.selection == selected)
    }
}
