import Foundation
import Testing
@testable import PGTopCore
@testable import PGTopStore

/// What goes wrong with a recording file: each gives one clear line, and what was written stays readable.
@Suite struct RecordingFaultTests {
    static func write(_ writer: RecordingWriter, _ range: ClosedRange<Int>) throws {
        for s in range {
            let b = Incident.backends(at: s)
            try writer.write(b, figures: SampleFigures(b, server: nil, idleWarn: 30), at: Incident.time(Double(s)))
        }
    }

    static func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }

    @Test func aSecondRecorderOnTheSameFileIsRefusedInOneLine() throws {
        let path = Scratch.directory("second") + "/r.pgtop"
        let first = try RecordingWriter(path: path)
        try Self.write(first, 0...2)
        let refused = Self.message { _ = try RecordingWriter(path: path) }
        #expect(refused == "another pgtop (pid \(getpid())) is recording into \(path)")
        try Self.write(first, 3...4)  // the first one goes on
        first.close()
        let again = try RecordingWriter(path: path)  // and once it is gone, a recorder may open it
        again.close()
        #expect(try RecordingReader(path: path).sampleTimes().count == 5)
    }

    @Test func aNewerSchemaIsRefusedAndNotTouched() throws {
        let path = Scratch.directory("newer") + "/r.pgtop"
        let w = try RecordingWriter(path: path)
        try Self.write(w, 0...2)
        w.close()
        let db = try Database(path: path, mode: .readWrite)
        try db.setUserVersion(7)
        db.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let line = "\(path) was written by a newer pgtop (schema 7); this one reads schema 1"
        #expect(Self.message { _ = try RecordingReader(path: path) } == line)
        #expect(Self.message { _ = try RecordingWriter(path: path) } == line)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func whatIsNotARecordingIsSaidSo() throws {
        let dir = Scratch.directory("foreign")
        let text = dir + "/notes.txt"
        try "shopping list: milk, eggs, a bigger disk\n".write(toFile: text, atomically: false, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: text))
        #expect(Self.message { _ = try RecordingReader(path: text) }
            == "not a pgtop recording or damaged: \(text): file is not a database")
        #expect(Self.message { _ = try RecordingWriter(path: text) }?.hasPrefix("not a pgtop recording or damaged: \(text): ") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: text)) == before)

        let other = dir + "/other.db"
        let db = try Database(path: other, mode: .create)
        try db.execute("CREATE TABLE t(x); PRAGMA application_id = 42")
        db.close()
        #expect(Self.message { _ = try RecordingReader(path: other) }
            == "not a pgtop recording or damaged: \(other): another application's SQLite database (application_id 42)")
        #expect(Self.message { _ = try RecordingReader(path: dir + "/missing.pgtop") }?.hasPrefix("cannot open \(dir)/missing.pgtop: ") == true)
    }

    @Test func linksDirectoriesAndFifosAreRefused() throws {
        let dir = Scratch.directory("links")
        let target = dir + "/target.pgtop", link = dir + "/link.pgtop", fifo = dir + "/fifo.pgtop"
        try Data().write(to: URL(fileURLWithPath: target))
        #expect(symlink(target, link) == 0 && mkfifo(fifo, 0o600) == 0)
        #expect(Self.message { _ = try RecordingWriter(path: link) }
            == "refused \(link): a symbolic link (a recording must be a regular file)")
        #expect(Self.message { _ = try RecordingReader(path: link) }
            == "refused \(link): a symbolic link (a recording must be a regular file)")
        #expect(Self.message { _ = try RecordingWriter(path: dir) } == "refused \(dir): a directory (a recording must be a regular file)")
        #expect(Self.message { _ = try RecordingReader(path: fifo) } == "refused \(fifo): not a regular file (a recording must be a regular file)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)).isEmpty)
    }

    /// The files as a crash would leave them halfway through a sample: copied while a sample's
    /// transaction has written more than SQLite keeps in memory. The copy reads back every
    /// committed sample and nothing of the half-written one.
    @Test func aCrashMidSampleLeavesEveryCommittedSample() throws {
        let dir = Scratch.directory("crash")
        let path = dir + "/r.pgtop"
        let writer = try RecordingWriter(path: path)
        defer { writer.close() }
        try Self.write(writer, 0...40)
        try writer.db.execute("BEGIN IMMEDIATE")
        try writer.db.execute("INSERT INTO samples(t_us, backends, clients, active, idle, idle_in_txn, waiting, hidden, stuck) VALUES (\(Incident.time(41)), 1, 1, 0, 0, 0, 0, 0, 0)")
        try writer.db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO texts(hash, text) SELECT i, printf('%.500c', 'x') FROM n")
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.copyItem(atPath: path + suffix, toPath: dir + "/copy.pgtop" + suffix)
        }
        try writer.db.execute("ROLLBACK")
        let reader = try RecordingReader(path: dir + "/copy.pgtop")
        #expect(try reader.sampleTimes() == (0...40).map { Incident.time(Double($0)) })
        let m = try #require(try reader.moment(at: Incident.time(41)))
        #expect(m.time == Incident.time(40))
        #expect(m.snapshot.backends.sorted { $0.id < $1.id } == Incident.backends(at: 40).sorted { $0.id < $1.id })
        #expect(reader.health() == .sound)
    }

    /// A writer process killed (SIGKILL) while it records: the file opens, every sample up to
    /// the last committed one replays, the spans it left open last until then.
    @Test func aKilledWriterLeavesAReadableFile() throws {
        if let path = ProcessInfo.processInfo.environment["PGTOP_STORE_CRASH_CHILD"] {
            // The child: record until killed.
            let writer = try RecordingWriter(path: path)
            var s = 0
            while true { try Self.write(writer, s...s); s += 1; usleep(2000) }
        }
        let path = Scratch.directory("kill") + "/r.pgtop"
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["--testing-library", "swift-testing", "--filter", "RecordingFaultTests/aKilledWriterLeavesAReadableFile"]
        child.environment = ProcessInfo.processInfo.environment.merging(["PGTOP_STORE_CRASH_CHILD": path]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        var seen = 0
        let deadline = Date().addingTimeInterval(120)
        while seen < 80 && Date() < deadline && child.isRunning {
            usleep(20_000)
            seen = (try? RecordingReader(path: path).sampleTimes().count) ?? 0
        }
        #expect(seen >= 80, "the child wrote \(seen) samples")
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        let reader = try RecordingReader(path: path)
        let times = try reader.sampleTimes()
        #expect(times.count >= seen && times == (0..<times.count).map { Incident.time(Double($0)) })
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(reader.health() == .sound)
        for s in [0, 45, 75, times.count - 1] {
            let got = try #require(try reader.moment(at: Incident.time(Double(s)))).snapshot.backends
            #expect(got.sorted { $0.id < $1.id } == Incident.backends(at: s).sorted { $0.id < $1.id }, "second \(s)")
        }
        // And a recorder may go on with it: the spans the killed one left open end at its last sample.
        let next = try RecordingWriter(path: path)
        next.close()
        #expect(try Database(path: path, mode: .readOnly).integer("SELECT count(*) FROM spans WHERE to_us IS NULL") == 0)
    }

    /// The file of 10 minutes cut short (a copy that ran out of space, a disk error): what can be read is
    /// read, the damage is one line, nothing crashes.
    @Test func aTruncatedFileReportsItsReadableRange() throws {
        let dir = Scratch.directory("truncated")
        let path = dir + "/r.pgtop"
        let writer = try RecordingWriter(path: path)
        try Self.write(writer, 0...599)
        writer.close()
        var st = stat()
        #expect(stat(path, &st) == 0 && !FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(truncate(path, off_t(st.st_size * 8 / 10)) == 0)
        let reader = try RecordingReader(path: path)  // the first page is there: it opens
        guard case .damaged(let line, let readable) = reader.health() else {
            Issue.record("a file cut to 80% reads as sound"); return
        }
        #expect(line.hasPrefix("not a pgtop recording or damaged: \(path): "), "\(line)")
        #expect(!line.contains("\n"))
        #expect(!readable.isEmpty && readable.allSatisfy { $0.upperBound - $0.lowerBound < 599 * 1_000_000 }, "\(readable)")
        var replayed = 0
        for s in stride(from: 0, through: 599, by: 7) where readable.contains(where: { $0.contains(Incident.time(Double(s))) }) {
            do {
                let m = try #require(try reader.moment(at: Incident.time(Double(s))))
                #expect(m.time == Incident.time(Double(s)))
                #expect(m.snapshot.backends.sorted { $0.id < $1.id } == Incident.backends(at: s).sorted { $0.id < $1.id })
                replayed += 1
            } catch let e as StoreError {
                #expect(e.kind == .notARecording, "\(e)")
            }
        }
        #expect(replayed > 0)
    }

    /// SQLite's own limit on the file's pages gives the same SQLITE_FULL a full disk gives.
    @Test func aFullFileSaysDiskFullAndKeepsWhatWasWritten() throws {
        let path = Scratch.directory("full") + "/r.pgtop"
        let writer = try RecordingWriter(path: path)
        try Self.write(writer, 0...5)
        let pages = try #require(try writer.db.integer("PRAGMA page_count"))
        try writer.db.execute("PRAGMA max_page_count = \(pages + 2)")
        var failure: StoreError?
        var written = 5
        for s in 6...119 {
            do { try Self.write(writer, s...s); written = s } catch let e as StoreError { failure = e; break }
        }
        let e = try #require(failure)
        #expect(e.kind == .diskFull && e.message.hasPrefix("disk full: \(path): "), "\(e)")
        // It keeps failing cleanly, and every sample before stays whole.
        #expect(Self.message { try Self.write(writer, (written + 1)...(written + 1)) }?.hasPrefix("disk full: ") == true)
        let reader = try RecordingReader(path: path)
        #expect(try reader.sampleTimes().count == written + 1)
        let m = try #require(try reader.moment(at: Incident.time(Double(written))))
        #expect(m.snapshot.backends.sorted { $0.id < $1.id } == Incident.backends(at: written).sorted { $0.id < $1.id })
        // Space again: the recording goes on with what changed since the last committed sample.
        try writer.db.execute("PRAGMA max_page_count = 1000000")
        try Self.write(writer, 110...111)
        #expect(try reader.moment(at: Incident.time(111))?.snapshot.backends.sorted { $0.id < $1.id }
            == Incident.backends(at: 111).sorted { $0.id < $1.id })
        writer.close()
    }

    /// A real full disk: a 512 kB tmpfs (as root; otherwise skipped with one line). The write
    /// that does not fit says `disk full`, and the file stays readable up to the last sample.
    @Test func aFullDiskSaysSoAndDamagesNothing() throws {
        let mountPoint = Scratch.directory("tmpfs")
        guard getuid() == 0, Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", mountPoint]) else {
            print("skipped: aFullDiskSaysSoAndDamagesNothing needs root to mount a small tmpfs (getuid \(getuid()))")
            return
        }
        defer { _ = Self.run("/bin/umount", [mountPoint]) }
        let path = mountPoint + "/r.pgtop"
        var written = -1
        var failure: StoreError?
        do {
            let writer = try RecordingWriter(path: path)
            defer { writer.close() }
            for s in 0...100_000 {
                do { try Self.write(writer, s...s); written = s } catch let e as StoreError { failure = e; break }
            }
            #expect(Self.message { try Self.write(writer, (written + 1)...(written + 1)) }?.hasPrefix("disk full: ") == true)
        } catch let e as StoreError {
            failure = e  // did not even open
        }
        let e = try #require(failure)
        #expect(e.kind == .diskFull && e.message.hasPrefix("disk full: \(path): "), "\(e)")
        #expect(written > 10, "only \(written + 1) samples fitted")
        let reader = try RecordingReader(path: path)
        defer { reader.close() }
        #expect(try reader.sampleTimes() == (0...written).map { Incident.time(Double($0)) })
        let m = try #require(try reader.moment(at: Incident.time(Double(written))))
        #expect(m.snapshot.backends.sorted { $0.id < $1.id } == Incident.backends(at: written).sorted { $0.id < $1.id })
        #expect(reader.health() == .sound)
    }

    static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }
}
