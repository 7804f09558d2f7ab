import Foundation
import Testing
import PGTopCluster
import PGTopCore
import PGTopStore

/// `pgtop report FILE` run as a user runs it, on recordings written by the real writer: a
/// night's incident in five minutes (cron sessions left idle in transaction, one terminated by
/// pgtop, a lock chain behind it, an outage, hostile text), the table and the JSON document
/// (checked against docs/pgtop-report.schema.json), a window, and the files that are not
/// recordings, of a newer pgtop, cut short or empty.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ReportTests {
    static let t0: Int64 = 1_795_000_000_000_000  // 2026-11-18 11:06:40 UTC
    static func time(_ s: Double) -> Int64 { t0 + Int64((s * 1_000_000).rounded()) }
    static let server = ServerInfo(versionNumber: 170000, version: "17.0", endpoint: "/tmp:5432/shop", maxConnections: 20)
    static let hostile = "evil\u{1B}]0;pwned\u{7}\u{1B}[2J"

    /// The backends at second `s`.
    static func backends(at s: Int) -> [Backend] {
        let now = time(Double(s))
        func age(_ t: Int64?) -> Double? { t.map { Double(now - $0) / 1e6 } }
        func make(_ pid: Int32, _ app: String, _ state: BackendState, _ query: String, xact: Int64?, change: Int64) -> Backend {
            Backend(id: BackendID(pid: pid, start: time(-600)), database: "shop", user: "app", client: "10.1.0.\(pid % 100)",
                    application: app, state: state, queryAge: age(change), transactionAge: age(xact), backendAge: age(time(-600)),
                    query: query, stateChange: change, stateAge: age(change))
        }
        var out = (0..<5).map { make(Int32(100 + $0), "web", .idle, "SELECT 1", xact: nil, change: time(-5)) }
        if !(270...279).contains(s) {  // the outage: nothing answers
            for (pid, gone) in [(201, 200), (202, 250), (203, Int.max)] where s >= 10 {
                if s < gone {
                    out.append(make(Int32(pid), "cron-nightly", .idleInTransaction, "UPDATE accounts SET settled = true\nWHERE day = $1",
                                    xact: time(9.5), change: time(9.8)))
                } else if pid == 202 {
                    out.append(make(202, "cron-nightly", .idle, "COMMIT", xact: nil, change: time(250)))
                }
            }
            if (100..<160).contains(s) {
                var batch = make(301, "batch", .active, "UPDATE accounts SET n = 0", xact: time(99.5), change: time(99.5))
                batch.waiting = true; batch.blockedBy = [201]; batch.lockMode = "ShareLock"; batch.lockTarget = "transactionid"
                var report = make(300, hostile, .active, "SELECT * FROM accounts\u{1B}[31m FOR UPDATE", xact: time(99.7), change: time(99.7))
                report.waiting = true; report.blockedBy = [301]; report.lockMode = "RowExclusiveLock"; report.lockTarget = "accounts"
                out += [batch, report]
            }
        }
        return out
    }

    /// Five minutes, an outage from 270.5 s to 280 s.
    /// `actionsTo`: where the terminate at 199.5 s goes: the recording (`nil`: a recorder on the
    /// screen that sent it), or this audit log (another pgtop's screen sent it).
    static func record(_ path: String, seconds: ClosedRange<Int> = 0...299, actionsTo auditLog: String? = nil) throws {
        let writer = try RecordingWriter(path: path, meta: ["server": server.endpoint, "version": server.version, "idle-warn": "60"])
        defer { writer.close() }
        for s in seconds {
            if s == 270 {
                try writer.outageBegan(at: time(270.5), reason: "server unreachable: connection refused")
                continue
            }
            if (271...279).contains(s) { continue }
            if s == 280 { try writer.outageEnded(at: time(280)) }
            if s == 200 {
                let target = try #require(backends(at: 199).first { $0.pid == 201 })
                let line = AuditLine.make(time: Double(time(199.5)) / 1e6, server: server.endpoint, role: "postgres",
                                          kind: .terminate, id: target.id, backend: target, outcome: .signalled)
                if let auditLog {
                    try (line + "\n").write(toFile: auditLog, atomically: true, encoding: .utf8)
                } else {
                    try writer.action(at: time(199.5), id: target.id, kind: "terminate", outcome: "terminated", line: line)
                }
            }
            let b = backends(at: s)
            try writer.write(b, figures: SampleFigures(b, server: server, idleWarn: 60), at: time(Double(s)))
        }
    }

    static func report(_ arguments: [String]) -> (status: Int32, output: String, seconds: Double) {
        Harness.runBinary(["report"] + arguments, environment: ["TZ": "UTC"], timeout: 30)
    }

    @Test func theTableTellsTheNight() throws {
        let path = Harness.temporaryPath("night.pgtop")
        try Self.record(path)
        let r = Self.report([path])
        #expect(r.status == 0, "\(r.output)")
        let text = r.output
        print(text)
        #expect(text.hasPrefix("pgtop report of \(path)\n  server     /tmp:5432/shop, PostgreSQL 17.0\n"))
        #expect(text.contains("recorded   2026-11-18 11:06:40 to 11:11:39 (4m59s)"))
        #expect(text.contains("samples    290, every 1s, 1 gap: 11:11:09 to 11:11:20 (11s)"))
        #expect(text.contains("threshold  idle in transaction 1m00s (the recording's idle-warn)"))
        #expect(text.contains("IDLE IN TRANSACTION over 1m00s: 3 sessions"))
        #expect(text.contains("  cron-nightly  3 sessions, longest 4m50s"))
        #expect(text.contains("terminated by pgtop (role postgres, at 11:09:59)"))
        #expect(text.contains("committed/rolled back at 11:10:50 (idle)"))
        #expect(text.contains("still idle in transaction at the end of the recording"))
        #expect(text.contains("UPDATE accounts SET settled = true WHERE day = $1"))  // one line
        #expect(text.contains("LOCK WAITS: 2"))
        #expect(text.components(separatedBy: "root blocker: 201 cron-nightly, idle in transaction\n      its transaction since 11:06:49: UPDATE accounts SET settled = true WHERE day = $1\n").count == 3)  // the root of both chains
        #expect(text.contains("RowExclusiveLock on accounts"))
        #expect(text.contains("OUTAGES: 1\n  11:11:10 to 11:11:20 (10s)  server unreachable: connection refused"))
        #expect(text.contains("11:09:59  terminate  201"))
        // Hostile text is shown, not obeyed: no escape, no bell, no line break inside a line.
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(text.contains("evil?]0;pwned??[2J"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }

    @Test func theJSONDocumentHasTheSameAndValidates() throws {
        let path = Harness.temporaryPath("json.pgtop")
        try Self.record(path)
        let r = Self.report([path, "--format", "json"])
        #expect(r.status == 0, "\(r.output)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any])
        #expect(doc["samples"] as? Int == 290 && doc["idle_warn_s"] as? Int == 60 && doc["utc_offset_s"] as? Int == 0)
        let idle = try #require(doc["idle_in_transaction"] as? [[String: Any]])
        #expect(idle.map { $0["pid"] as? Int } == [201, 202, 203])
        #expect(idle.map { $0["ended"] as? String } == ["terminated", "transaction_ended", "still_idle"])
        #expect(idle[0]["terminated_by_role"] as? String == "postgres")
        #expect(idle[0]["ended_at"] as? String == "2026-11-18T11:09:59+00:00" && idle[0]["ended_at_us"] as? Int == Int(Self.time(199.5)))
        #expect(idle[0]["xact_start_us"] as? Int == Int(Self.time(9.5)))
        #expect(idle[1]["next_state"] as? String == "idle")
        #expect(idle[2]["query"] as? String == "UPDATE accounts SET settled = true\nWHERE day = $1")  // as recorded
        let waits = try #require(doc["lock_waits"] as? [[String: Any]])
        #expect(waits.count == 2)
        for w in waits { #expect((w["root_blocker"] as? [String: Any])?["pid"] as? Int == 201) }
        #expect(waits.contains { $0["application"] as? String == Self.hostile })
        #expect((doc["outages"] as? [[String: Any]])?.count == 1 && (doc["actions"] as? [[String: Any]])?.count == 1)
        let slots = try #require(doc["slots"] as? [String: Any])
        #expect((slots["peak"] as? [String: Any])?["used"] as? Int == 11)

        let output = Harness.temporaryPath("report.json")
        try r.output.write(toFile: output, atomically: true, encoding: .utf8)
        let schema = EndToEnd.JSONSchemaTests.schemaPath.replacingOccurrences(of: "pgtop-backend.schema.json", with: "pgtop-report.schema.json")
        let check = Subprocess.run(["/usr/bin/python3", "-c", EndToEnd.JSONSchemaTests.validator, schema, output, "document"], timeout: 60)
        #expect(check.status == 0 && check.output.hasPrefix("valid"), "\(check.output)")
    }

    /// A terminate another pgtop's screen sent is not in the recording: its audit log names it.
    @Test func anotherScreensAuditLogSaysWhoTerminated() throws {
        let path = Harness.temporaryPath("elsewhere.pgtop"), log = Harness.temporaryPath("actions.log")
        try Self.record(path, actionsTo: log)
        let without = Self.report([path])
        #expect(without.status == 0 && !without.output.contains("terminated by pgtop"), "\(without.output)")
        #expect(without.output.contains("session ended at 11:10:00"), "\(without.output)")
        let with = Self.report([path, "--audit-log", log])
        #expect(with.status == 0, "\(with.output)")
        #expect(with.output.contains("terminated by pgtop (role postgres, at 11:09:59)"), "\(with.output)")
        let missing = Self.report([path, "--audit-log", log + ".missing"])
        #expect(missing.status == 2 && missing.output.hasPrefix("pgtop report: --audit-log \(log).missing: No such file or directory"), "\(missing.output)")
    }

    @Test func aWindowAndBadTimes() throws {
        let path = Harness.temporaryPath("window.pgtop")
        try Self.record(path)
        let w = Self.report([path, "--from", "11:08:20", "--to", "+1m", "--format", "json"])
        #expect(w.status == 0, "\(w.output)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(w.output.utf8)) as? [String: Any])
        #expect(doc["samples"] as? Int == 61)
        #expect((doc["window"] as? [String: Any])?["from_us"] as? Int == Int(Self.time(100)))
        let waits = try #require(doc["lock_waits"] as? [[String: Any]])
        #expect(waits.count == 2 && waits.allSatisfy { $0["open"] as? Bool == false && $0["waited_s"] as? Int == 60 })
        let idle = try #require(doc["idle_in_transaction"] as? [[String: Any]])
        #expect(idle.allSatisfy { $0["ended"] as? String == "still_idle" && $0["still_idle_at_end_of"] as? String == "window" })

        let help = Self.report(["--help"])
        #expect(help.status == 0 && help.output.contains("USAGE: pgtop report <file> [--from <time>] [--to <time>]"))

        let table = Self.report([path, "--from", "-1m"])
        #expect(table.status == 0 && table.output.contains("window     2026-11-18 11:10:39 to 11:11:39 (1m00s)"), "\(table.output)")

        for (arguments, line) in [
            (["--from", "3pm"], "pgtop report: --from 3pm: not a time; give 03:12, 03:12:30, 2026-11-24 20:30, -10m or +10m (see pgtop report --help)"),
            (["--from", "11:10", "--to", "11:09"], "pgtop report: --from 2026-11-18 11:10:00 is after --to 2026-11-18 11:09:00"),
            (["--from", "2026-11-19 00:00"], "pgtop report: nothing recorded from 2026-11-19 00:00:00 to the end: the recording runs from 2026-11-18 11:06:40 to 2026-11-18 11:11:39"),
            (["--format", "xml"], "pgtop report: --format must be table or json, got xml (see pgtop report --help)"),
        ] {
            let bad = Self.report([path] + arguments)
            #expect(bad.status == 2 && bad.output == line + "\n", "\(arguments): \(bad.output)")
        }
    }

    @Test func filesThatAreNotRecordingsSaySoInOneLine() throws {
        let text = Harness.temporaryPath("notes.txt")
        try "milk, eggs\n".write(toFile: text, atomically: true, encoding: .utf8)
        var r = Self.report([text])
        #expect(r.status == 2 && r.output == "pgtop report: not a pgtop recording or damaged: \(text): file is not a database\n", "\(r.output)")
        r = Self.report([text + ".missing"])
        #expect(r.status == 2 && r.output.hasPrefix("pgtop report: cannot open \(text).missing: ") && r.output.split(separator: "\n").count == 1)

        let newer = Harness.temporaryPath("newer.pgtop")
        try Self.record(newer, seconds: 0...3)
        let db = try Database(path: newer, mode: .readWrite)
        try db.setUserVersion(2)
        db.close()
        r = Self.report([newer])
        #expect(r.status == 2 && r.output == "pgtop report: \(newer) was written by a newer pgtop (schema 2); this one reads schema 1\n")

        let empty = Harness.temporaryPath("empty.pgtop")
        try RecordingWriter(path: empty, meta: ["server": "db1:5432/shop"]).close()
        r = Self.report([empty])
        #expect(r.status == 0 && r.output.contains("recorded   nothing yet: the recording holds no samples"), "\(r.output)")
    }

    /// A file cut to 80%: the readable part is reported, the damage said, exit 2.
    @Test func aTruncatedFileReportsWhatReadsBack() throws {
        let path = Harness.temporaryPath("cut.pgtop")
        try Self.record(path, seconds: 0...1199)
        var st = stat()
        #expect(stat(path, &st) == 0 && truncate(path, off_t(st.st_size * 8 / 10)) == 0)
        let r = Self.report([path])
        #expect(r.status == 2, "\(r.output)")
        let lines = r.output.split(separator: "\n")
        #expect(lines.last?.hasPrefix("pgtop report: not a pgtop recording or damaged: \(path): ") == true, "\(r.output)")
        #expect(r.output.contains("  DAMAGED    not a pgtop recording or damaged: "))
        #expect(r.output.contains("this report covers what reads back: 2026-11-18 11:06:40 to "), "\(r.output)")
        #expect(r.output.contains("IDLE IN TRANSACTION over 1m00s: "))
    }
}
