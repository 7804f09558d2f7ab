import Foundation
import Testing
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

        @Test func exitStatusesAndRefusals() {
            let empty = pgtop(["--once", "--filter", "no-such-thing-anywhere", "--fail-if-empty"])
            #expect(empty.status == 1)
            #expect(pgtop(["--once", "--filter", "no-such-thing-anywhere"]).status == 0)
            let noTerminal = pgtop([])  // stdout is a pipe here
            #expect(noTerminal.status == 2)
            #expect(noTerminal.output.contains("stdout is not a terminal") && noTerminal.output.contains("--once"))
            let bad = pgtop(["--once", "--min-duration", "soon"])
            #expect(bad.status == 2 && bad.output.contains("--min-duration takes"))
        }
    }
}
