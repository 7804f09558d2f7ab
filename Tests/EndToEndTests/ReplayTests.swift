import Foundation
import Testing
import PGTopFixtures
import PGTopStore

/// `pgtop replay` driven in tmux as a user would, on recordings written by `RecordingWriter`
/// (the scripted incident, from 2026-11-24 00:19:00 UTC; TZ=UTC for stable times). No server.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ReplayTests {
    static let environment = ["TZ": "UTC", "LANG": "C.UTF-8", "XDG_CONFIG_HOME": "/nonexistent-pgtop-test-config"]

    static func recording(_ name: String) throws -> String {
        let path = Harness.temporaryPath(name + ".pgtop")
        try ReplayIncident.record(into: path)
        return path
    }

    static func replay(_ path: String, _ extra: String = "", width: Int = 140, height: Int = 40) throws -> Tmux {
        try Tmux("\(Harness.binary) replay \(path) --config /dev/null \(extra)", width: width, height: height, environment: environment)
    }

    /// The pids of the table's rows (the lines that start with a pid).
    static func pids(_ screen: String) -> [Int] {
        screen.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 3, fields[1] == "shop" else { return nil }
            return Int(fields[0])
        }
    }

    @Test func theHeaderSaysReplayAndTheRecordedTimeOverTheTimeline() throws {
        let tmux = try Self.replay(try Self.recording("header"))
        let screen = try tmux.wait(for: "REPLAY 2026-11-24 00:19:00  paused")
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("pgtop  REPLAY 2026-11-24 00:19:00  paused  /tmp:5432/shop") && lines[0].contains("sample 1/117"), "\(screen)")
        #expect(lines[1].contains("Connections 55/80 used"), "\(screen)")
        // The strip: the whole recording, its ends, the outage near the end.
        let strip = try #require(lines.first { $0.hasPrefix("00:19:00 ") }, "\(screen)")
        #expect(strip.contains(" 00:20:59") && strip.contains("×") && strip.contains("▁") && strip.contains("slots used · idle txn · lock waits"), "\(strip)")
        #expect(lines.last { !$0.isEmpty }?.hasPrefix("? Help  ←→ Step  [] Minute  p Play") == true, "\(screen)")
        try tmux.send("q")
        _ = try tmux.wait(timeout: 10, for: "pgtop to exit") { _ in (try? tmux.paneDead()) == true }
    }

    @Test func steppingShowsExactlyWhatWasAlive() throws {
        let tmux = try Self.replay(try Self.recording("step"), "--at 00:19:19 --filter cron --idle-warn 10")
        var screen = try tmux.wait(for: "REPLAY 2026-11-24 00:19:19")
        #expect(Self.pids(screen).isEmpty && screen.contains("Shown 0/55"), "\(screen)")
        try tmux.send("Right")
        screen = try tmux.wait(for: "REPLAY 2026-11-24 00:19:20")
        #expect(Self.pids(screen).sorted() == ReplayIncident.wave(0).map(Int.init) && screen.contains("Shown 5/60"), "\(screen)")
        try tmux.send("]")  // a minute on: the first wave terminated at 00:20:19.5, gone at :20
        screen = try tmux.wait(for: "REPLAY 2026-11-24 00:20:20")
        #expect(Self.pids(screen).sorted() == (ReplayIncident.wave(1) + ReplayIncident.wave(2)).map(Int.init), "\(screen)")
        try tmux.send("Left")
        screen = try tmux.wait(for: "REPLAY 2026-11-24 00:20:19")
        #expect(Self.pids(screen).count == 15, "\(screen)")
        // The detail of a recorded row, and on through time with it.
        try tmux.send("Enter")
        screen = try tmux.wait(for: "Recorded fields")
        #expect(screen.contains("Locks (recorded: only what a waiter waited for"), "\(screen)")
        try tmux.send("q")
    }

    @Test func tJumpsToATypedTime() throws {
        let tmux = try Self.replay(try Self.recording("jump"), "--filter cron")
        try tmux.wait(for: "REPLAY 2026-11-24 00:19:00")
        try tmux.send("t")
        try tmux.wait(for: "Go to time:")
        try tmux.type("00:20")
        try tmux.send("Enter")
        let screen = try tmux.wait(for: "REPLAY 2026-11-24 00:20:00")
        #expect(Self.pids(screen).count == 15, "\(screen)")
        try tmux.send("t")
        try tmux.type("half past")
        try tmux.send("Enter")
        try tmux.wait(for: "Not a time: \"half past\" (03:12, 03:12:30, 2026-11-24 20:30, -10m, +2h)")
        try tmux.send("t")
        try tmux.type("00:20:42")  // the server was unreachable from 00:20:40.5 to :44.5
        try tmux.send("Enter")
        try tmux.wait(for: "REPLAY 2026-11-24 00:20:40  OUTAGE: server closed the connection unexpectedly")
        try tmux.send("Right")
        try tmux.wait(for: "REPLAY 2026-11-24 00:20:45  paused")
        try tmux.send("q")
    }

    @Test func nFindsTheOnsetOfTheFirstWave() throws {
        let tmux = try Self.replay(try Self.recording("events"), "--idle-warn 10")
        try tmux.wait(for: "REPLAY 2026-11-24 00:19:00")
        try tmux.send("n")
        var screen = try tmux.wait(for: "event: 00:19:30 5 sessions idle in transaction past 10s")
        #expect(screen.contains("REPLAY 2026-11-24 00:19:30") && screen.contains("idle in txn 5"), "\(screen)")
        try tmux.send("n")
        try tmux.wait(for: "event: 00:19:50 5 sessions idle in transaction past 10s")
        try tmux.send("n", "n")
        screen = try tmux.wait(for: "event: 00:20:10 lock pile-up: 3 sessions waiting for a lock; 5 sessions idle in transaction past 10s")
        #expect(screen.contains("waiting 3"), "\(screen)")
        try tmux.send("N")
        try tmux.wait(for: "event: 00:20:00 slots low: 70/80 used, only 7 free")
        try tmux.send("q")
    }

    @Test func terminateIsRefusedWithOneLineAndNoQuestion() throws {
        let tmux = try Self.replay(try Self.recording("refuse"), "--at 00:19:40 --view idle-in-transaction")
        try tmux.wait(for: "REPLAY 2026-11-24 00:19:40")
        for key in ["k", "c"] {
            try tmux.send(key)
            let screen = try tmux.wait(for: "replay: a recording; cancel and terminate act only on live servers")
            #expect(!screen.contains("[y/N]"), "\(screen)")
            try tmux.send("Down")
        }
        try tmux.send("q")
    }

    @Test func aFileBeingWrittenGrowsOnScreenAndLFollowsIt() throws {
        let path = Harness.temporaryPath("growing.pgtop")
        let writer = try #require(try ReplayIncident.record(0...30, into: path, keepOpen: true))
        defer { writer.close() }
        let tmux = try Self.replay(path)
        try tmux.wait(for: "sample 1/31")
        try ReplayIncident.write(31...60, with: writer)
        try tmux.wait(for: "sample 1/61")  // the recording's end moved; the moment shown did not
        try tmux.send("L")
        try tmux.wait(for: "REPLAY 2026-11-24 00:20:00  following")
        try ReplayIncident.write(61...70, with: writer)
        try tmux.wait(for: "REPLAY 2026-11-24 00:20:10  following")
        try tmux.send("Left")
        try tmux.wait(for: "REPLAY 2026-11-24 00:20:09  paused")
        try tmux.send("q")
    }

    @Test func onceAtAMomentPrintsTheTableAsItWas() throws {
        let path = try Self.recording("once")
        let json = Harness.runBinary(["replay", path, "--at", "00:19:20", "--once", "--format", "json", "--filter", "cron", "--config", "/dev/null"],
                                     environment: Self.environment)
        #expect(json.status == 0, "\(json.output)")
        let rows = json.output.split(separator: "\n")
        #expect(rows.count == 5 && rows.allSatisfy { $0.hasPrefix("{\"pid\":200") && $0.contains("\"sampled_at\":\"2026-11-24T00:19:20.000Z\"") }, "\(json.output)")
        let table = Harness.runBinary(["replay", path, "--at", "2026-11-24 00:20:15", "--once", "--view", "waiting", "--config", "/dev/null"],
                                      environment: Self.environment)
        #expect(table.status == 0 && table.output.split(separator: "\n").count == 4 && table.output.contains("3002"), "\(table.output)")
        let csv = Harness.runBinary(["replay", path, "--once", "--format", "csv", "--config", "/dev/null"], environment: Self.environment)
        #expect(csv.output.hasPrefix("pid,backend_start,") && csv.output.contains("2026-11-24T00:20:59.000Z"), "\(csv.output)")
        let bad = Harness.runBinary(["replay", path, "--at", "teatime", "--once"], environment: Self.environment)
        #expect(bad.status == 2 && bad.output == "pgtop replay: --at teatime: not a time (03:12, 03:12:30, 2026-11-24 20:30, -10m)\n", "\(bad.output)")
    }

    @Test func whatIsNoRecordingOrDamagedIsSaidInOneLine() throws {
        let text = Harness.temporaryPath("notes.txt")
        try "milk, eggs\n".write(toFile: text, atomically: false, encoding: .utf8)
        let notes = Harness.runBinary(["replay", text, "--once"], environment: Self.environment)
        #expect(notes.status == 2 && notes.output == "pgtop replay: not a pgtop recording or damaged: \(text): file is not a database\n", "\(notes.output)")

        let newer = try Self.recording("newer")
        let db = try Database(path: newer, mode: .readWrite)
        try db.setUserVersion(9)
        db.close()
        let refused = Harness.runBinary(["replay", newer], environment: Self.environment)
        #expect(refused.status == 2 && refused.output == "pgtop replay: \(newer) was written by a newer pgtop (schema 9); this one reads schema 1\n", "\(refused.output)")

        // Cut short: the readable part replays, the damage is said on stderr first.
        let cut = Harness.temporaryPath("cut.pgtop")
        let writer = try #require(try ReplayIncident.record(0...99, into: cut, outage: false, keepOpen: true))
        try ReplayIncident.write(100...599, with: writer, outage: false)
        writer.close()
        var st = stat()
        #expect(stat(cut, &st) == 0 && truncate(cut, off_t(st.st_size * 8 / 10)) == 0)
        let once = Harness.runBinary(["replay", cut, "--once", "--at", "00:19:10", "--format", "csv"], environment: Self.environment)
        let first = once.output.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("pgtop replay: not a pgtop recording or damaged: \(cut): ") && first.hasSuffix("; replaying the samples that read back"), "\(once.output)")
        #expect(once.status == 0 && once.output.contains("pid,backend_start,"), "\(once.output)")
        let tmux = try Self.replay(cut, width: 220)
        try tmux.wait(for: "REPLAY 2026-11-24 00:19:00")
        // The damage in the footer: found in the samples at the start, or in the spans the events are read from.
        try tmux.wait(timeout: 15, for: "the damage in the footer") { $0.contains("not a pgtop recording or damaged: \(cut)") }
        try tmux.send("q")
    }
}
