import Foundation
import Testing
import PGTopCluster
import PGTopCore
import PGTopPostgres
import PGTopStore

extension EndToEnd {
    /// A recorder whose disk fills, and the screen recording with --record.
    @Suite(.serialized, .timeLimit(.minutes(3))) struct RecordFaultTests {
        /// A full disk: one clear line, the recorder keeps running, what was written before
        /// reads back intact, and once there is room again it says so and records again. On a
        /// tiny tmpfs where mount works (root), else under `ulimit -f` (then the recovery is
        /// not tried: the limit stays).
        @Test func aFullDiskIsSaidOnceAndWhatWasWrittenStays() throws {
            let mount = Harness.temporaryPath("tmpfs")
            try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: false)
            let mounted = geteuid() == 0 && Subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", mount]).status == 0
            defer { if mounted { _ = Subprocess.run(["umount", "-l", mount]) } }
            if !mounted { print("RecordFaultTests: tmpfs cannot be mounted here; the full disk is a file size limit (ulimit -f) instead") }

            let sessions = try (0..<3).map { try Harness.connect(application: "full-\($0)") }
            defer { for s in sessions { s.close() } }
            for s in sessions { _ = try s.execute("START TRANSACTION"); _ = try s.execute("SELECT 1") }
            let file = mount + "/r.pgtop"
            let recorder = try RecorderProcess(Harness.cluster, file: file, mounted ? [] : ["--interval", "0.1"],
                                               shellPrefix: mounted ? "" : "ulimit -f 600;")
            _ = try recorder.waitForSample(after: 0, count: 3)
            let before = recorder.sampleTimes()
            let reader = try RecordingReader(path: file)
            let first = try reader.backends(at: before[0]).filter { $0.application.hasPrefix("full-") }
            reader.close()
            #expect(first.count == 3)

            let filler = mount + "/filler"
            if mounted { Self.fill(filler) }
            // Under ulimit the samples themselves fill the file: sessions that change every sample.
            var churn = 0
            let full = try Harness.waitUntil(timeout: 60) {
                if !mounted { churn += 1; _ = try sessions[churn % 3].execute("SELECT \(churn)") }
                return recorder.stderr.contains(mounted ? "disk full: \(file)" : "the file size limit (ulimit -f")
            }
            #expect(full, "\(recorder.stderr)")
            let lines = recorder.stderr.split(separator: "\n")
            usleep(2_000_000)  // samples go on failing: still one line, still running
            #expect(recorder.isRunning)
            #expect(recorder.stderr.split(separator: "\n").count == lines.count, "\(recorder.stderr)")
            #expect(lines.count == 2 && lines[1].hasSuffix("; samples are skipped until one can be written (tried every sample)"), "\(lines)")

            let after = try RecordingReader(path: file)
            let times = try after.sampleTimes()
            #expect(Array(times.prefix(before.count)) == before)
            #expect(try after.backends(at: before[0]).filter { $0.application.hasPrefix("full-") }.map(\.id) == first.map(\.id))
            after.close()

            if mounted {
                unlink(filler)
                #expect(try Harness.waitUntil(timeout: 15) { recorder.stderr.contains("pgtop record: recording again into \(file)") },
                        "\(recorder.stderr)")
                _ = try recorder.waitForSample(after: times.last ?? 0)
            }
            #expect(recorder.stop(SIGTERM) == 0)
            #expect(try RecordingFile.integrity(file) == "ok")
        }

        /// Writes `path` until the file system has no block left.
        static func fill(_ path: String) {
            let fd = open(path, O_WRONLY | O_CREAT, 0o600)
            defer { close(fd) }
            let block = [UInt8](repeating: 0, count: 4096)
            while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        }

        /// `--record=FILE` from the screen: the same file, on the screen's connection (named
        /// pgtop), and the screen's terminate lands in the recording's actions.
        @Test func theScreenRecordsAndItsTerminateIsInTheFile() throws {
            let victim = try Harness.connect(application: "rec-victim")
            defer { victim.close() }
            _ = try victim.execute("START TRANSACTION")
            _ = try victim.execute("SELECT 1")
            let file = Harness.temporaryPath("screen.pgtop")
            let tmux = try Tmux(Harness.command("--record=\(file)"), width: 160, height: 30, environment: ["LANG": "C.UTF-8"])
            defer { tmux.kill() }
            try tmux.wait(for: "rec-victim")
            let admin = try Harness.admin()
            defer { admin.close() }
            #expect(try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'pgtop%'").rows[0][0] == "1")
            try tmux.send("/")
            try tmux.type("rec-victim")
            try tmux.send("Enter")
            try tmux.wait(for: "Filter: \"rec-victim\"")
            try tmux.send("k")
            try tmux.wait(for: "Terminate 1 backend (\(victim.backendPid))? [y/N]")
            try tmux.send("y")
            try tmux.wait(for: "1 terminated")
            try tmux.wait(for: "Shown 0/")  // the refresh after it, recorded too
            try tmux.send("q")
            try tmux.wait(timeout: 5, for: "exit") { _ in (try? tmux.paneDead()) == true }

            let actions = try RecordingFile.rows(file, "SELECT kind, pid, outcome, line FROM actions", columns: 4)
            #expect(actions.count == 1)
            #expect(actions.first?[0] == "terminate" && actions.first?[1] == "\(victim.backendPid)" && actions.first?[2] == "terminated")
            #expect(actions.first?[3]?.contains("application=rec-victim") == true)
            let reader = try RecordingReader(path: file)
            defer { reader.close() }
            let times = try reader.sampleTimes()
            #expect(times.count >= 2)
            #expect(try reader.backends(at: times[0]).contains { $0.application == "rec-victim" && $0.state == .idleInTransaction })
            #expect(try !reader.backends(at: times.last!).contains { $0.application == "rec-victim" })
            #expect(try RecordingFile.integrity(file) == "ok")
        }

        /// A bare --record takes no value: the next word is still the database.
        @Test func aBareRecordKeepsTheDatabaseArgument() throws {
            let c = Harness.cluster
            let r = Harness.runBinary(["--record", "-h", c.socketDirectory, "-p", "\(c.port)", "-U", "postgres", "no_such_db_rec"],
                                      environment: ["XDG_STATE_HOME": Harness.temporaryPath("state")])
            #expect(r.status == 2)
            #expect(r.output.contains("database \"no_such_db_rec\" does not exist"), "\(r.output)")
            let once = Harness.runBinary(["--record", "--once"])
            #expect(once.status == 2 && once.output == "pgtop: --record records the screen; without one, use pgtop record (see pgtop --help)\n")
        }
    }
}
