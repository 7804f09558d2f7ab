import Foundation
import Testing
import PGTopCluster

extension EndToEnd {
    /// `pgtop --demo`: a throwaway cluster with the incident in it, gone when pgtop ends.
    @Suite(.serialized, .timeLimit(.minutes(3))) struct DemoTests {
        @Test(arguments: ["q", "C-c", "SIGTERM"])
        func showsTheIncidentAndLeavesNothingBehind(ending: String) throws {
            let tmux = try Tmux("\(Harness.binary) --demo --no-audit-log", width: 140, height: 40, environment: ["LANG": "C.UTF-8"])
            let screen = try tmux.wait(timeout: 60, for: "the demo workload") {
                $0.contains("idle in txn") && $0.contains("orders-api") && $0.contains("Connections 3")
            }
            #expect(screen.contains("/40 used"))
            #expect(screen.contains("START TRANSACTION;"))  // the founding incident's picture
            #expect(screen.contains("waiting 3"))  // sessions blocked on a row lock
            guard let directory = Self.clusterDirectory(in: screen) else {
                Issue.record("no cluster directory in the header:\n\(screen)")
                return
            }
            #expect(FileManager.default.fileExists(atPath: directory))

            switch ending {
            case "SIGTERM":
                let pids = Subprocess.run(["pgrep", "-f", "^\(Harness.binary) --demo --no-audit-log"]).output
                for pid in pids.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGTERM) }
            default:
                try tmux.send(ending)
            }
            try tmux.wait(timeout: 30, for: "pgtop to exit") { _ in (try? tmux.paneDead()) == true }
            var leftovers = ""
            for _ in 0..<100 {
                leftovers = Subprocess.run(["pgrep", "-a", "-f", directory]).output
                if leftovers.isEmpty && !FileManager.default.fileExists(atPath: directory) { break }
                usleep(100_000)
            }
            #expect(leftovers.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: directory))
        }

        /// `--demo --once`: the demo's cluster and workload, one snapshot printed, the cluster
        /// removed; the stuck sessions' last statement is `START TRANSACTION;`, in waves (their
        /// ages differ), beside the lock pile-up and the reports.
        @Test func onceRunsTheDemoPrintsASnapshotAndRemovesTheCluster() throws {
            let run = Harness.runBinary(["--demo", "--once", "--no-audit-log", "--format", "json", "--sort", "pid"], timeout: 120)
            #expect(run.status == 0, "\(run.output)")
            let objects = run.output.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            let stuck = objects.filter { $0["query"] as? String == "START TRANSACTION;" && $0["state"] as? String == "idle in transaction" }
            #expect(stuck.count >= 18, "\(run.output)")
            let ages = Set(stuck.compactMap { ($0["xact_age_s"] as? Double).map { Int($0) } })
            #expect(ages.count >= 3, "waves of different ages: \(ages)")
            #expect(objects.contains { $0["application"] as? String == "report-cron" })
            #expect(objects.filter { $0["wait_event_type"] as? String == "Lock" }.count == 3)
            let directory = try #require(Self.clusterDirectory(in: run.output), "\(run.output)")
            #expect(!FileManager.default.fileExists(atPath: directory))
            #expect(Subprocess.run(["pgrep", "-a", "-f", directory]).output.isEmpty)
        }

        /// Without a terminal and without --once, the demo refuses at once: no cluster is
        /// started only to be removed again.
        @Test func aPipeIsRefusedBeforeAnyClusterStarts() {
            let run = Harness.runBinary(["--demo", "--no-audit-log"], timeout: 60)
            #expect(run.status == 2 && run.output.contains("stdout is not a terminal"), "\(run.output)")
            #expect(!run.output.contains("starting a throwaway"), "\(run.output)")
        }

        /// `/tmp/pgtop-cluster-AbC123` from the header's `/tmp/pgtop-cluster-AbC123:54321/postgres`.
        static func clusterDirectory(in screen: String) -> String? {
            guard let start = screen.range(of: "/tmp/pgtop-cluster-") else { return nil }
            let rest = screen[start.lowerBound...]
            return String(rest.prefix { $0 != ":" && $0 != " " && $0 != "\n" })
        }
    }
}
