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
            #expect(text.contains(",\"SELECT '?]2;pwned??[2J?[H\r\nline2 end' AS x\"\n"), "\(text)")

            let tmux = try Tmux("\(Harness.binary) \(arguments); echo DONE", width: 200, height: 20, environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "DONE")
            let screen = try tmux.history()
            #expect(try tmux.paneTitle() != "pwned")
            let lines = screen.split(separator: "\n")
            #expect(lines.first?.hasPrefix("pid,backend_start,") == true, "\(screen)")   // not cleared, not moved home
            #expect(lines.count >= 3 && lines[2] == "DONE", "\(screen)")   // one line per row
            #expect(screen.contains("SELECT '?]2;pwned??[2J?[H line2 end' AS x"), "\(screen)")
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
    }
}
