import Foundation
import Testing
import PGTopCluster
import PGTopCore
import PGTopPostgres

extension EndToEnd {
    /// `--once` for scripts and cron: exactly what the screen's options select, as a table, CSV
    /// or JSON Lines, without a terminal; exit statuses as documented.
    @Suite(.serialized, .timeLimit(.minutes(2))) struct OnceTests {
        func pgtop(_ extra: [String]) -> (status: Int32, output: String, seconds: Double) {
            Harness.runBinary(["-h", Harness.cluster.socketDirectory, "-p", "\(Harness.cluster.port)", "-U", "postgres",
                               "-d", "postgres", "--no-audit-log"] + extra, timeout: 30)
        }

        @Test func theCronLineYieldsTheStuckSessions() throws {
            let stuck = try Harness.connect(application: "once-stuck")
            try stuck.execute("START TRANSACTION")
            try stuck.execute("SELECT 'the forgotten one'")
            let fresh = try Harness.connect(application: "once-fresh")
            defer { stuck.close(); fresh.close() }
            usleep(1_300_000)
            try fresh.execute("START TRANSACTION")
            try fresh.execute("SELECT 1")

            let json = pgtop(["--once", "--view", "idle-in-transaction", "--elapsed", "transaction", "--min-duration", "1s",
                              "--filter", "once-", "--format", "json"])
            #expect(json.status == 0, "\(json.output)")
            let objects = json.output.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(objects.count == 1)  // the fresh one is younger than 1 s
            let o = try #require(objects.first)
            #expect(o["pid"] as? Int == Int(stuck.backendPid))
            #expect(o["application"] as? String == "once-stuck")
            #expect(o["state"] as? String == "idle in transaction")
            #expect((o["xact_age_s"] as? Double ?? 0) >= 1)
            #expect(o["query"] as? String == "SELECT 'the forgotten one'")
            #expect((o["backend_start"] as? String)?.hasSuffix("Z") == true)
            #expect(Set(o.keys) == Set(Export.fields))

            let csv = pgtop(["--once", "--filter", "once-", "--format", "csv", "--sort", "pid"])
            let lines = csv.output.split(separator: "\n")
            #expect(lines.first == Substring(Export.fields.joined(separator: ",")))
            #expect(lines.count == 3 && lines[1].hasPrefix("\(min(stuck.backendPid, fresh.backendPid)),"))

            let table = pgtop(["--iterations", "2", "--refresh", "0.2", "--filter", "once-stuck"])
            #expect(table.status == 0)
            #expect(table.output.components(separatedBy: "once-stuck").count == 3)  // one row per snapshot
        }

        /// Dry run first (exit 3, nothing sent), then --yes: exactly the selected backends end,
        /// each outcome printed and in the audit log.
        @Test func terminateOnlyWithYes() throws {
            let admin = try Harness.admin()
            var stuck: [PGConnection] = []
            for _ in 0..<2 {
                let c = try Harness.connect(application: "once-kill")
                try c.execute("START TRANSACTION")
                stuck.append(c)
            }
            let bystander = try Harness.connect(application: "once-keep")
            try bystander.execute("START TRANSACTION")
            defer { for c in stuck + [bystander, admin] { c.close() } }
            let selection = ["--once", "--view", "idle-in-transaction", "--filter", "once-kill"]

            let dry = pgtop(selection + ["--terminate"])
            #expect(dry.status == 3)
            #expect(dry.output.contains("would terminate 2 backend(s)") && dry.output.contains("dry run: add --yes"))
            #expect(try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'once-kill'").rows[0][0] == "2")

            let log = Harness.temporaryPath("actions.log")
            let real = Harness.runBinary(["-h", Harness.cluster.socketDirectory, "-p", "\(Harness.cluster.port)", "-U", "postgres",
                                          "-d", "postgres", "--audit-log", log] + selection + ["--terminate", "--yes"], timeout: 30)
            #expect(real.status == 0, "\(real.output)")
            #expect(real.output.contains("2 terminated"))
            let gone = try Harness.waitUntil(timeout: 5) {
                try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'once-kill'").rows[0][0] == "0"
            }
            #expect(gone)
            #expect(try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'once-keep'").rows[0][0] == "1")
            let lines = Harness.read(log).split(separator: "\n")
            #expect(lines.count == 2 && lines.allSatisfy { $0.contains("action=terminate") && $0.contains("outcome=terminated") })
            #expect(pgtop(["--once", "--yes"]).status == 2)  // --yes alone confirms nothing
        }

        /// `--format csv` with a query that carries escapes and line breaks: before the fix they
        /// reached stdout raw. To a file: RFC 4180, CR LF kept inside quotes, no ESC or BEL. To a
        /// terminal (a tmux pane): the table's rendering, nothing taking effect.
        @Test func csvToAFileAndToATerminal() throws {
            let hostile = try Harness.connect(application: "csv-hostile")
            defer { hostile.close() }
            try hostile.execute("START TRANSACTION")
            try hostile.execute("SELECT '\u{1B}]2;pwned\u{07}\u{1B}[2J\u{1B}[H\r\nline2\tend' AS x")
            let file = Harness.temporaryPath("out.csv")
            let arguments = "-h \(Harness.cluster.socketDirectory) -p \(Harness.cluster.port) -U postgres -d postgres --no-audit-log "
                + "--config /dev/null --once --format csv --filter csv-hostile"
            let status = Subprocess.run(["sh", "-c", "\(Harness.binary) \(arguments) > \(file)"], timeout: 30).status
            #expect(status == 0)
            let bytes = try #require(FileManager.default.contents(atPath: file))
            #expect(!bytes.contains(0x1B) && !bytes.contains(0x07) && !bytes.contains(0x09))
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.contains(",\"SELECT '?]2;pwned??[2J?[H\r\nline2 end' AS x\","), "\(text)")

            // Wide enough that a row (24 fields since the merge) does not wrap.
            let tmux = try Tmux("\(Harness.binary) \(arguments); echo DONE", width: 400, height: 20, environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "DONE")
            let screen = try tmux.history()
            #expect(try tmux.paneTitle() != "pwned")
            let lines = screen.split(separator: "\n")
            #expect(lines.first?.hasPrefix("pid,backend_start,") == true, "\(screen)")   // not cleared, not moved home
            #expect(lines.count >= 3 && lines[2] == "DONE", "\(screen)")   // one line per row
            #expect(screen.contains("SELECT '?]2;pwned??[2J?[H line2 end' AS x"), "\(screen)")
        }

        /// Issue 13.11: with --format json the outcomes are JSON Lines (valid against
        /// docs/pgtop-outcome.schema.json), the summary on stderr; a target already gone keeps
        /// its user, database and application as the selection showed them, in the audit log too.
        @Test func terminateOutcomesAsJSON() throws {
            let admin = try Harness.admin()
            let stuck = try Harness.connect(application: "once-json")
            try stuck.execute("START TRANSACTION")
            defer { stuck.close(); admin.close() }
            let log = Harness.temporaryPath("json.log")
            let run = Harness.runBinary(["-h", Harness.cluster.socketDirectory, "-p", "\(Harness.cluster.port)", "-U", "postgres",
                                         "-d", "postgres", "--audit-log", log, "--once", "--filter", "once-json",
                                         "--terminate", "--yes", "--format", "json"], timeout: 30)
            #expect(run.status == 0, "\(run.output)")
            let lines = run.output.split(separator: "\n").map(String.init)
            let object = try #require(lines.first { $0.hasPrefix("{") })
            #expect(object.hasPrefix("{\"action\":\"terminate\",\"pid\":\(stuck.backendPid),\"backend_start\":\"20"))
            #expect(object.contains("\"pid_only\":false,\"user\":\"postgres\",\"database\":\"postgres\",\"application\":\"once-json\",\"result\":\"signalled\",\"outcome\":\"terminated\"}"))
            #expect(lines.contains("1 terminated"))  // the summary (stderr, merged here)
            let file = Harness.temporaryPath("outcome.jsonl")
            try (object + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let schema = JSONSchemaTests.schemaPath.replacingOccurrences(of: "pgtop-backend.schema.json", with: "pgtop-outcome.schema.json")
            let check = Subprocess.run(["/usr/bin/python3", "-c", JSONSchemaTests.validator, schema, file], timeout: 60)
            #expect(check.status == 0 && check.output.hasPrefix("valid 1"), "\(check.output)")
            #expect(Harness.read(log).contains("application=once-json"))
        }

        @Test func exitStatusesAndRefusals() {
            let empty = pgtop(["--once", "--filter", "no-such-thing-anywhere", "--fail-if-empty"])
            #expect(empty.status == 1)
            #expect(pgtop(["--once", "--filter", "no-such-thing-anywhere"]).status == 0)
            let noTerminal = pgtop([])  // stdout is a pipe here
            #expect(noTerminal.status == 2)
            #expect(noTerminal.output.contains("stdout is not a terminal") && noTerminal.output.contains("--once"))
            let bad = pgtop(["--once", "--min-duration", "soon"])
            #expect(bad.status == 2 && bad.output.contains("--min-duration: expected a duration"), "\(bad.output)")
        }

        /// An aborted transaction (`BEGIN; SELECT 1/0;`) has no xact_start on the server; the
        /// cron line still selects it, by its age since the error, and says where the age comes from.
        @Test func theCronLineCatchesAnAbortedTransaction() throws {
            let aborted = try Harness.connect(application: "once-aborted")
            defer { aborted.close() }
            try aborted.execute("BEGIN")
            #expect(throws: PGError.self) { try aborted.execute("SELECT 1/0") }
            usleep(1_300_000)

            let json = pgtop(["--once", "--view", "idle-in-transaction", "--elapsed", "transaction", "--min-duration", "1s",
                              "--filter", "once-aborted", "--format", "json"])
            #expect(json.status == 0, "\(json.output)")
            let objects = json.output.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(objects.count == 1, "\(json.output)")
            let o = try #require(objects.first)
            #expect(o["pid"] as? Int == Int(aborted.backendPid))
            #expect(o["state"] as? String == "idle in transaction (aborted)")
            #expect((o["xact_age_s"] as? Double ?? 0) >= 1, "\(o)")
            #expect(o["xact_age_source"] as? String == "state_change")
            #expect((o["state_age_s"] as? Double ?? 0) >= 1)

            // On the table the transaction clock names itself and marks the age a lower bound.
            let table = pgtop(["--once", "--elapsed", "transaction", "--filter", "once-aborted"])
            let lines = table.output.split(separator: "\n")
            #expect(lines.first?.contains("XACT AGE") == true, "\(table.output)")
            #expect(lines.count == 2 && lines[1].range(of: #" >\d+s "#, options: .regularExpression) != nil, "\(table.output)")
            // --elapsed state: since the state change, the idle-for clock.
            let state = pgtop(["--once", "--elapsed", "state", "--min-duration", "1s", "--filter", "once-aborted"])
            #expect(state.status == 0 && state.output.contains("IN STATE") && state.output.contains("once-aborted"), "\(state.output)")
        }

        /// Each snapshot of --iterations carries the server's time (`sampled_at`, ISO 8601 UTC).
        @Test func everySnapshotSaysWhenItWasTaken() throws {
            let idle = try Harness.connect(application: "once-sampled")
            defer { idle.close() }
            let csv = pgtop(["--iterations", "2", "--refresh", "0.5", "--filter", "once-sampled", "--format", "csv"])
            #expect(csv.status == 0, "\(csv.output)")
            let lines = csv.output.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let at = try #require(lines.first?.firstIndex(of: "sampled_at"))
            #expect(lines.count == 3, "\(csv.output)")
            let times = lines.dropFirst().map { $0.count > at ? $0[at] : "" }
            #expect(times.allSatisfy { $0.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil }, "\(times)")
            #expect(Set(times).count == 2, "\(times)")
        }

        /// Seen before it aborted (`--iterations`, as the screen does): the age is the
        /// transaction's start as the earlier snapshot saw it, not just since the error.
        @Test func anAbortedTransactionKeepsTheStartSeenBefore() throws {
            let session = try Harness.connect(application: "once-seen")
            let admin = try Harness.admin()
            defer { session.close(); admin.close() }
            try session.execute("START TRANSACTION")
            try session.execute("SELECT 1")
            let out = OutputBox()
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                out.value = self.pgtop(["--iterations", "2", "--refresh", "4", "--filter", "once-seen", "--format", "json"]).output
                done.signal()
            }
            // pgtop's first snapshot is in once its session sits idle after the activity query.
            let first = try Harness.waitUntil(timeout: 10) {
                try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgtop' AND state = 'idle' AND query LIKE '%pgtop activity%'").rows[0][0] != "0"
            }
            #expect(first)
            usleep(1_000_000)
            #expect(throws: PGError.self) { try session.execute("SELECT 1/0") }
            #expect(done.wait(timeout: .now() + 30) == .success)
            let objects = out.value.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(objects.count == 2, "\(out.value)")
            #expect(objects.first?["xact_age_source"] as? String == "xact_start")
            let later = try #require(objects.last)
            #expect(later["state"] as? String == "idle in transaction (aborted)", "\(out.value)")
            #expect(later["xact_age_source"] as? String == "earlier_refresh", "\(out.value)")
            // Older than the time since the error: it counts from START TRANSACTION.
            #expect((later["xact_age_s"] as? Double ?? 0) > (later["state_age_s"] as? Double ?? 0) + 0.5, "\(later)")
        }
    }
}

/// The output of a run on another thread.
final class OutputBox: @unchecked Sendable {
    var value = ""
}
