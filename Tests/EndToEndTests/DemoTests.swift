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

        /// `/tmp/pgtop-cluster-AbC123` from the header's `/tmp/pgtop-cluster-AbC123:54321/postgres`.
        static func clusterDirectory(in screen: String) -> String? {
            guard let start = screen.range(of: "/tmp/pgtop-cluster-") else { return nil }
            let rest = screen[start.lowerBound...]
            return String(rest.prefix { $0 != ":" && $0 != " " && $0 != "\n" })
        }
    }
}
