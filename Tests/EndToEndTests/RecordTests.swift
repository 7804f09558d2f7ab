import Foundation
import Testing
import PGTopCluster
import PGTopCore
import PGTopPostgres
import PGTopStore

extension EndToEnd {
    /// `pgtop record` against a real server, the file read back as replay reads it.
    @Suite(.serialized, .timeLimit(.minutes(4))) struct RecordTests {
        static func connect(_ cluster: ThrowawayCluster, _ application: String) throws -> PGConnection {
            try PGConnection.connect(ConnectionParameters(conninfo: cluster.conninfo(), host: nil, port: nil, user: nil,
                                                          database: nil, applicationName: application), timeout: 10)
        }

        /// `START TRANSACTION` and a statement in it: idle in transaction.
        static func begin(_ c: PGConnection, _ statement: String = "SELECT 1") throws {
            _ = try c.execute("START TRANSACTION")
            _ = try c.execute(statement)
        }

        /// The server's clock now, µs (the recording's clock).
        static func serverNow(_ c: PGConnection) throws -> Int64 {
            Int64(try c.execute("SELECT (date_part('epoch', clock_timestamp()) * 1000000)::int8").rows[0][0] ?? "") ?? 0
        }

        /// The incident's client sessions alive at `t`, by application name: state, and for a
        /// lock waiter `waiting <mode> by <holder's application>`.
        static func alive(_ reader: RecordingReader, at t: Int64, names: [Int32: String]) throws -> [String: String] {
            var out: [String: String] = [:]
            for b in try reader.backends(at: t) where b.application.hasPrefix("inc-") {
                var text = "\(b.state)"
                if b.waiting {
                    text += " waiting \(b.lockMode) by " + b.blockedBy.map { names[$0] ?? "pid \($0)" }.sorted().joined(separator: ",")
                }
                out[b.application] = text
            }
            return out
        }

        /// A scripted incident, recorded: waves of sessions going idle in transaction, a lock
        /// pile-up that forms and is cleared, a terminate, a server restart. At the first sample
        /// after each step the recording holds exactly the sessions alive then, in their states.
        @Test func aScriptedIncidentReadsBackStepByStep() throws {
            let cluster = try ThrowawayCluster.start(ClusterOptions(stopsWithProcess: true))
            defer { cluster.stop() }
            let admin = try Self.connect(cluster, "admin")
            defer { admin.close() }
            _ = try admin.execute("CREATE TABLE orders (id int PRIMARY KEY, n int)")
            _ = try admin.execute("INSERT INTO orders VALUES (1, 0)")
            let file = Harness.temporaryPath("incident.pgtop")
            let recorder = try RecorderProcess(cluster, file: file, ["--idle-warn", "5"])
            _ = try recorder.waitForSample(after: 0)
            let own = try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgtop-record'")
            #expect(own.rows[0][0] == "1")  // one connection, named

            var sessions: [String: PGConnection] = [:]
            defer { for c in sessions.values { c.close() } }
            func open(_ names: [String]) throws {
                for name in names { sessions[name] = try Self.connect(cluster, name) }
            }
            var names: [Int32: String] { Dictionary(uniqueKeysWithValues: sessions.map { ($0.value.backendPid, $0.key) }) }
            // Each step: what it did, the server's time once it was done, what must be alive then.
            var steps: [(what: String, t: Int64, names: [Int32: String], expected: [String: String])] = []
            func step(_ what: String, _ expected: [String: String]) throws {
                let t = try Self.serverNow(admin)
                steps.append((what, t, names, expected))
                _ = try recorder.waitForSample(after: t, count: 2)
            }

            try open(["inc-a1", "inc-a2", "inc-a3"])
            for name in ["inc-a1", "inc-a2", "inc-a3"] { try Self.begin(sessions[name]!) }
            try step("the first wave", ["inc-a1": "idleInTransaction", "inc-a2": "idleInTransaction", "inc-a3": "idleInTransaction"])

            try open(["inc-b1", "inc-b2"])
            for name in ["inc-b1", "inc-b2"] { try Self.begin(sessions[name]!) }
            for name in ["inc-a1", "inc-a2", "inc-a3"] { _ = try sessions[name]!.execute("COMMIT") }
            try step("the second wave, the first gone idle",
                     ["inc-a1": "idle", "inc-a2": "idle", "inc-a3": "idle", "inc-b1": "idleInTransaction", "inc-b2": "idleInTransaction"])

            try open(["inc-holder", "inc-w1", "inc-w2"])
            try Self.begin(sessions["inc-holder"]!, "LOCK TABLE orders IN ACCESS EXCLUSIVE MODE")
            try sessions["inc-w1"]!.send("SELECT count(*) FROM orders")
            try sessions["inc-w2"]!.send("UPDATE orders SET n = n + 1")
            #expect(try Harness.waitUntil(timeout: 10) {
                try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name LIKE 'inc-w%'").rows[0][0] == "2"
            })
            let piled = ["inc-a1": "idle", "inc-a2": "idle", "inc-a3": "idle", "inc-b1": "idleInTransaction", "inc-b2": "idleInTransaction",
                         "inc-holder": "idleInTransaction", "inc-w1": "active waiting AccessShareLock by inc-holder",
                         "inc-w2": "active waiting RowExclusiveLock by inc-holder"]
            try step("the pile-up", piled)

            _ = try sessions["inc-holder"]!.execute("COMMIT")
            for name in ["inc-w1", "inc-w2"] {
                let c = sessions[name]!
                #expect(try Harness.waitUntil(timeout: 10) { _ = try c.poll(); return !c.isBusy })
            }
            var cleared = piled
            cleared["inc-holder"] = "idle"; cleared["inc-w1"] = "idle"; cleared["inc-w2"] = "idle"
            try step("the pile-up cleared", cleared)

            let victim = sessions["inc-b1"]!.backendPid
            _ = try admin.execute("SELECT pg_terminate_backend(\(victim))")
            #expect(try Harness.waitUntil(timeout: 5) {
                try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = \(victim)").rows[0][0] == "0"
            })
            var terminated = cleared
            terminated["inc-b1"] = nil
            try step("inc-b1 terminated", terminated)

            let beforeRestart = try Self.serverNow(admin)
            let restart = cluster.pgctl(["-m", "fast", "-w", "-t", "30", "restart"])
            #expect(restart.status == 0, "\(restart.output)")
            for c in sessions.values { c.close() }
            sessions = [:]
            admin.close()
            let again = try Self.connect(cluster, "admin-again")
            defer { again.close() }
            try open(["inc-after"])
            try Self.begin(sessions["inc-after"]!)
            let t = try Self.serverNow(again)
            steps.append(("after the restart", t, names, ["inc-after": "idleInTransaction"]))
            _ = try recorder.waitForSample(after: t, count: 2, timeout: 20)

            #expect(recorder.stop() == 0)
            let reader = try RecordingReader(path: file)
            defer { reader.close() }
            let times = try reader.sampleTimes()
            for s in steps {
                let at = try #require(times.first { $0 > s.t }, "no sample after \(s.what)")
                #expect(try Self.alive(reader, at: at, names: s.names) == s.expected, "\(s.what)")
            }
            // The restart is an outage, and the recording went on after it.
            let outages = try RecordingFile.rows(file, "SELECT from_us, to_us, reason FROM outages", columns: 3)
            #expect(outages.count == 1, "\(outages)")
            if let o = outages.first, let from = o[0].flatMap({ Int64($0) }), let to = o[1].flatMap({ Int64($0) }) {
                #expect(from > beforeRestart && to > from && to <= times.first { $0 > steps.last!.t }!)
                #expect(o[2]?.hasPrefix("the server restarted (up since ") == true, "\(o[2] ?? "")")
            }
            // pgtop-record's own backend is never a row; the meta says what replay needs.
            #expect(try RecordingFile.integer(file, "SELECT count(*) FROM sessions WHERE application LIKE 'pgtop%'") == 0)
            let meta = try reader.meta()
            #expect(meta["idle_warn"] == "5" && meta["interval"] == "1" && meta["pgtop_version"]?.isEmpty == false)
            #expect(meta["server"] == "\(cluster.socketDirectory):\(cluster.port)/postgres")
            #expect(meta["server_version_num"] == "\(cluster.versionNumber)")
            // The stuck count uses --idle-warn (5 s): b2 idle in transaction since the second wave.
            let stuck = try RecordingFile.integer(file, "SELECT max(stuck) FROM samples WHERE t_us < \(beforeRestart)") ?? 0
            #expect(stuck >= 1)
            #expect(try RecordingFile.integer(file, "SELECT count(*) FROM samples WHERE commits IS NOT NULL") ?? 0 >= Int64(times.count) - 3)
            #expect(recorder.stderr.split(separator: "\n").count == 3, "\(recorder.stderr)")  // start, lost, back
            // The same file through the commands a user runs: the replayed table at the pile-up
            // holds exactly its sessions, and the report names the stuck ones and how they ended.
            let pileUp = try #require(times.first { $0 > steps[2].t })
            let at = WallClock().dateTime(pileUp + 999_999)  // the sample at or before the next whole second
            let replayed = Harness.runBinary(["replay", file, "--at", at, "--once", "--format", "json"], environment: ["TZ": "UTC"])
            #expect(replayed.status == 0, "\(replayed.output)")
            var shown: [String: String] = [:]
            for line in replayed.output.split(separator: "\n") {
                guard let row = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let app = row["application"] as? String, app.hasPrefix("inc-") else { continue }
                shown[app] = row["state"] as? String
            }
            #expect(shown == ["inc-a1": "idle", "inc-a2": "idle", "inc-a3": "idle", "inc-b1": "idle in transaction",
                              "inc-b2": "idle in transaction", "inc-holder": "idle in transaction",
                              "inc-w1": "active", "inc-w2": "active"], "\(replayed.output)")
            let report = Harness.runBinary(["report", file, "--format", "json"], environment: ["TZ": "UTC"])
            #expect(report.status == 0, "\(report.output)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
            let idle = (document["idle_in_transaction"] as? [[String: Any]]) ?? []
            var endings: [String: String] = [:]
            for stretch in idle { if let app = stretch["application"] as? String { endings[app] = stretch["ended"] as? String } }
            #expect(endings["inc-b1"] == "session_ended", "\(endings)")  // terminated by someone else than pgtop
            #expect(endings["inc-b2"] == "server_unreachable", "\(endings)")  // sat there until the restart
            let waits = (document["lock_waits"] as? [[String: Any]]) ?? []
            let roots = Set(waits.compactMap { ($0["root_blocker"] as? [String: Any])?["application"] as? String })
            #expect(waits.count >= 2 && roots == ["inc-holder"], "\(waits)")
            // The file's growth at this load, for the record (not asserted).
            var info = stat()
            if stat(file, &info) == 0, let span = times.last.map({ Double($0 - times[0]) / 1e6 }), span > 0 {
                print("RecordTests: the incident: \(times.count) samples over \(Int(span))s, \(info.st_size / 1024) kB "
                      + "(~\(Int(Double(info.st_size) / span * 3600 / 1_048_576)) MB an hour at this load)")
            }
        }

        /// One recorder per file: the second is refused in one line (exit 2); SIGTERM closes
        /// the first cleanly (the file sound, no span left open).
        @Test func aSecondRecorderIsRefusedAndSIGTERMClosesCleanly() throws {
            let file = Harness.temporaryPath("second.pgtop")
            let first = try RecorderProcess(Harness.cluster, file: file)
            _ = try first.waitForSample(after: 0, count: 2)
            let c = Harness.cluster
            let second = Harness.runBinary(["record", "-h", c.socketDirectory, "-p", "\(c.port)", "-U", "postgres", "-o", file])
            #expect(second.status == 2)
            #expect(second.output == "pgtop record: another pgtop (pid \(first.pid)) is recording into \(file)\n")
            #expect(first.isRunning)
            #expect(first.stop(SIGTERM) == 0)
            #expect(!FileManager.default.fileExists(atPath: file + "-wal"))  // checkpointed and closed
            #expect(first.stderr == "pgtop record: recording \(c.socketDirectory):\(c.port)/postgres into \(file) every 1s\n")
            #expect(try RecordingFile.integrity(file) == "ok")
            #expect(try RecordingFile.integer(file, "SELECT count(*) FROM spans WHERE to_us IS NULL") == 0)
            #expect(try RecordingFile.integer(file, "SELECT count(*) FROM sessions WHERE end_us IS NULL") == 0)
        }

        @Test func usageErrorsAndRefusedLoginsExit2InOneLine() throws {
            let c = Harness.cluster
            for (arguments, line) in [
                (["--max-size", "lots"], "pgtop record: --max-size: expected a size such as 500MB, 2GB or 1.5G, got 'lots' (see pgtop record --help)"),
                (["--retain", "forever"], "pgtop record: --retain: expected a duration such as 7d, 12h or 90m, got 'forever' (see pgtop record --help)"),
                (["--interval", "0.01"], "pgtop record: --interval: expected a number of seconds, at least 0.1, got 0.01 (see pgtop record --help)"),
            ] {
                let r = Harness.runBinary(["record"] + arguments)
                #expect(r.status == 2 && r.output == line + "\n", "\(r.output)")
            }
            let notes = Harness.temporaryPath("notes.txt")
            try "not a recording\n".write(toFile: notes, atomically: false, encoding: .utf8)
            let base = ["record", "-h", c.socketDirectory, "-p", "\(c.port)"]
            let foreign = Harness.runBinary(base + ["-U", "postgres", "-o", notes])
            #expect(foreign.status == 2 && foreign.output == "pgtop record: not a pgtop recording or damaged: \(notes): file is not a database\n")
            #expect(Harness.read(notes) == "not a recording\n")
            let role = Harness.runBinary(base + ["-U", "no_such_role_rec", "-o", Harness.temporaryPath("r.pgtop")])
            #expect(role.status == 2 && role.output.hasPrefix("pgtop record: login refused: ") && role.output.filter { $0 == "\n" }.count == 1, "\(role.output)")
        }

        /// A server not there yet at the start: one line, tried again until it answers; SIGTERM meanwhile is exit 0.
        @Test func aServerNotThereYetIsWaitedFor() throws {
            let nowhere = Harness.temporaryPath("nosocket")
            try FileManager.default.createDirectory(atPath: nowhere, withIntermediateDirectories: false)
            let recorder = try RecorderProcess(Harness.cluster, file: Harness.temporaryPath("wait.pgtop"), ["-h", nowhere])
            #expect(try Harness.waitUntil(timeout: 10) { recorder.stderr.contains("trying again until it answers") })
            usleep(1_500_000)  // a few more attempts: still one line
            #expect(recorder.isRunning)
            #expect(recorder.stderr == "pgtop record: cannot reach the server: \(nowhere)/.s.PGSQL.\(Harness.cluster.port): No such file or directory; trying again until it answers\n")
            #expect(recorder.stop(SIGTERM) == 0)
        }

        /// The default file is named for the server, in $XDG_STATE_HOME/pgtop (created 0700).
        @Test func theDefaultFileIsNamedForTheServer() throws {
            let state = Harness.temporaryPath("state")
            let c = Harness.cluster
            let r = Harness.runBinary(["record", "-h", c.socketDirectory, "-p", "\(c.port)", "-U", "postgres"],
                                      environment: ["XDG_STATE_HOME": state], timeout: 3)
            #expect(r.status == 137)  // still recording when the harness killed it
            let file = "\(state)/pgtop/local-\(c.port).pgtop"
            #expect(r.output == "pgtop record: recording \(c.socketDirectory):\(c.port)/postgres into \(file) every 1s\n")
            var info = stat()
            #expect(stat(state + "/pgtop", &info) == 0 && info.st_mode & 0o777 == 0o700)
            #expect(stat(file, &info) == 0 && info.st_mode & 0o777 == 0o600)
            #expect(try RecordingReader(path: file).sampleTimes().count >= 1)  // killed: what was committed reads back
        }
    }
}
