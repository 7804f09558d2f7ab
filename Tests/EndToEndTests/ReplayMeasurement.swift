import Foundation
import Testing
import PGTopCore
import PGTopStore
@testable import pgtop

/// Not a test of speed (nothing here can fail on time): with PGTOP_MEASURE=1 and
/// PGTOP_MEASURE_FILE=a recording (RecordingMeasurement writes one: PGTOP_MEASURE_SAMPLES=45000
/// gives a 1 GB file of 2,000 backends), prints what a replay costs: opening it (the sample
/// times and the timeline's figures), the first moment on screen, a moment anywhere, one step,
/// and the events' scan of the spans, each as the screen has it (read, filtered and sorted,
/// laid out at 200x50).
@Suite struct ReplayMeasurement {
    @Test func whatAReplayCosts() throws {
        let env = ProcessInfo.processInfo.environment
        guard env["PGTOP_MEASURE"] == "1", let path = env["PGTOP_MEASURE_FILE"] else {
            print("skipped: ReplayMeasurement runs with PGTOP_MEASURE=1 PGTOP_MEASURE_FILE=recording (a measurement, not a test)")
            return
        }
        func ms(_ since: Double) -> String { String(format: "%.1f ms", (Clock.now() - since) * 1000) }
        var state = AppState()
        func screen(_ events: [SourceEvent]) {
            for event in events {
                switch event {
                case .snapshot(let s): state.receive(s)
                case .reconnected(let info): state.server = info
                case .replay(let status): state.receive(status)
                default: break
                }
            }
            state.setScreen(width: 200, height: 50)
            _ = ScreenLayout.render(state, width: 200, height: 50)
        }
        var start = Clock.now()
        let reader = try RecordingReader(path: path)
        let source = try ReplaySource(reader: reader, idleWarn: 60)
        let open = ms(start)
        start = Clock.now()
        screen(source.tick(now: Clock.now(), state: state))
        let first = ms(start)
        let n = source.positions.count
        var anywhere: [Double] = [], steps: [Double] = []
        for _ in 0..<30 {
            let t = source.positions[Int.random(in: 0..<n)]
            start = Clock.now()
            screen(source.perform(.replay(.goTo(t)), now: Clock.now()))
            anywhere.append(Clock.now() - start)
            start = Clock.now()
            screen(source.perform(.replay(.step(1)), now: Clock.now()))
            steps.append(Clock.now() - start)
        }
        // Where a step goes: the read, the filter and sort, the layout.
        var read: [Double] = [], receive: [Double] = [], layout: [Double] = []
        for _ in 0..<30 {
            let t = source.positions[Int.random(in: 0..<n)]
            start = Clock.now()
            let m = try reader.moment(at: t)
            read.append(Clock.now() - start)
            start = Clock.now()
            state.receive(m!.snapshot)
            receive.append(Clock.now() - start)
            start = Clock.now()
            _ = ScreenLayout.render(state, width: 200, height: 50)
            layout.append(Clock.now() - start)
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] * 1000 }
        print(String(format: "measure replay: a moment's parts (medians): read %.1f ms, filter+sort %.1f ms, layout %.1f ms",
                     median(read), median(receive), median(layout)))
        start = Clock.now()
        var pieces = 0
        while source.scanning {
            source.scanSpans()
            pieces += 1
        }
        let scan = ms(start)
        anywhere.sort()
        steps.sort()
        var st = stat()
        _ = stat(path, &st)
        print(String(format: "measure replay: %.0f MB, %d samples, %d backends at the last moment; open %@, first moment %@; a moment anywhere: median %.1f ms, worst %.1f ms; one step: median %.1f ms, worst %.1f ms; events' scan of the spans %@ in %d loop turns, %d events",
                     Double(st.st_size) / 1e6, n, state.snapshot?.backends.count ?? 0, open, first,
                     anywhere[anywhere.count / 2] * 1000, anywhere.last! * 1000, steps[steps.count / 2] * 1000, steps.last! * 1000,
                     scan, pieces, source.events.all.count))
    }
}
