import Foundation
import Testing
import PGTopPostgres

extension EndToEnd {
    /// A real lock pile-up: A holds a row idle in transaction, B waits for A, C waits behind B.
    /// View `5` shows the tree with A at the root; marking A and `k` `y` clears the pile.
    @Suite(.serialized, .timeLimit(.minutes(2))) struct BlockingTreeTests {
        @Test func theRootIsShownAndOneKClearsThePile() throws {
            let admin = try Harness.admin()
            defer { admin.close() }
            let table = "pile_\(UInt32.random(in: 0...UInt32.max))"
            try admin.execute("CREATE TABLE \(table) (id int PRIMARY KEY, v int)")
            try admin.execute("INSERT INTO \(table) VALUES (1, 0)")
            defer { _ = try? admin.execute("DROP TABLE \(table)") }

            let a = try Harness.connect(application: "pile-root")
            try a.execute("START TRANSACTION")
            try a.execute("UPDATE \(table) SET v = v + 1 WHERE id = 1")
            let b = try Harness.connect(application: "pile-second")
            try b.send("UPDATE \(table) SET v = v + 10 WHERE id = 1")
            usleep(200_000)
            let c = try Harness.connect(application: "pile-third")
            try c.send("UPDATE \(table) SET v = v + 100 WHERE id = 1")
            defer { for s in [a, b, c] { s.close() } }

            let dir = Harness.temporaryPath("cwd")
            mkdir(dir, 0o755)
            let tmux = try Tmux("sh -c 'cd \(dir) && exec \(Harness.command())'", width: 160, height: 40, environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
            try tmux.wait(for: "pile-third")
            try tmux.send("5")
            let screen = try tmux.wait(timeout: 10, for: "the tree") { $0.contains("View: blocking tree") && $0.contains("[blocks 2]") }
            let all = screen.split(separator: "\n")
            let title = try #require(all.firstIndex { $0.contains(" PID ") })
            let lines = Array(all[title...])  // the table, not the header's "Held by" line
            let root = try #require(lines.firstIndex { $0.contains("pile-root") })
            let second = try #require(lines.firstIndex { $0.contains("pile-second") })
            let third = try #require(lines.firstIndex { $0.contains("pile-third") })
            #expect(lines[root].contains("[blocks 2] UPDATE \(table) SET v = v + 1 WHERE"))
            #expect(root < second && root < third)
            #expect(lines[second].contains("└ "))
            // What each waits for arrives with the next refresh of the tree.
            let locks = try tmux.wait(timeout: 10, for: "the locks") { $0.contains("[ExclusiveLock on \(table) row]") }
            #expect(locks.contains("└ [ShareLock on transactionid] [blocks 1]"))
            #expect(!lines.contains { $0.contains("e2e-admin") })  // not part of any chain

            // Enter: the root in full, its locks and what it holds up; w writes its query.
            try tmux.send("Enter")
            let detail = try tmux.wait(timeout: 10, for: "the detail") { $0.contains("Locks:") && $0.contains("pg_stat_activity:") }
            #expect(detail.contains("Backend \(a.backendPid)  pile-root"))
            #expect(detail.contains("Blocks: \(b.backendPid)"))
            #expect(detail.contains("holds RowExclusiveLock on relation \(table)"))
            #expect(detail.contains("xid age"))
            try tmux.send("w")
            try tmux.wait(for: "written to ./pgtop-query-\(a.backendPid).sql")
            #expect(Harness.read("\(dir)/pgtop-query-\(a.backendPid).sql") == "UPDATE \(table) SET v = v + 1 WHERE id = 1\n")
            var written = stat()
            #expect(stat("\(dir)/pgtop-query-\(a.backendPid).sql", &written) == 0)
            #expect(written.st_mode & 0o777 == 0o600)   // a query can hold a password: 0644 before
            try tmux.send("Escape")
            try tmux.wait(for: " PID ")

            // The root is the first row, selected: k asks, and says what it holds up.
            try tmux.send("k")
            let question = try tmux.wait(for: "Terminate 1 backend (\(a.backendPid))")
            #expect(question.contains("holds locks"))
            try tmux.send("y")
            try tmux.wait(for: "1 terminated")
            // B gets the row, then C: nobody waits any more.
            let cleared = try Harness.waitUntil(timeout: 10) {
                try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'pile-%' AND wait_event_type = 'Lock'").rows[0][0] == "0"
            }
            #expect(cleared)
            #expect(try admin.execute("SELECT v FROM \(table)").rows[0][0] == "110")
            try tmux.wait(timeout: 10, for: "an empty tree") { $0.contains("no backend matches the view and filter") }
            try tmux.send("q")
        }
    }
}
