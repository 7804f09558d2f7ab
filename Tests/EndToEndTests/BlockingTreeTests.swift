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

        /// A holder and two waiters: a filter naming the holder's application, a waiter's, or the
        /// root's pid keeps the whole tree, on screen and in --once (table, CSV, JSON with the
        /// tree's depth, root, blocks and lock mode); --terminate acts on the sessions matched.
        @Test func aFilterKeepsTheWholeTreeOnceAndOnScreen() throws {
            let admin = try Harness.admin()
            defer { admin.close() }
            let table = "tree_\(UInt32.random(in: 0...UInt32.max))"
            try admin.execute("CREATE TABLE \(table) (id int PRIMARY KEY, v int)")
            try admin.execute("INSERT INTO \(table) VALUES (1, 0)")
            defer { _ = try? admin.execute("DROP TABLE \(table)") }
            let holder = try Harness.connect(application: "tree-holder")
            try holder.execute("START TRANSACTION")
            try holder.execute("UPDATE \(table) SET v = v + 1 WHERE id = 1")
            let first = try Harness.connect(application: "tree-waiter-one")
            try first.send("UPDATE \(table) SET v = v + 10 WHERE id = 1")
            usleep(200_000)
            let second = try Harness.connect(application: "tree-waiter-two")
            try second.send("UPDATE \(table) SET v = v + 100 WHERE id = 1")
            defer { for s in [holder, first, second] { s.close() } }
            #expect(try Harness.waitUntil(timeout: 5) {
                try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'tree-waiter-%' AND wait_event_type = 'Lock'").rows[0][0] == "2"
            })
            let pids = Set([holder.backendPid, first.backendPid, second.backendPid].map(Int.init))
            func once(_ extra: [String]) -> (status: Int32, output: String, seconds: Double) {
                Harness.runBinary(["-h", Harness.cluster.socketDirectory, "-p", "\(Harness.cluster.port)", "-U", "postgres",
                                   "-d", "postgres", "--no-audit-log", "--once", "--view", "blocking"] + extra, timeout: 30)
            }

            for filter in ["tree-holder", "tree-waiter-two", "\(holder.backendPid)"] {
                let run = once(["--filter", filter, "--format", "json"])
                #expect(run.status == 0, "\(run.output)")
                let objects = run.output.split(separator: "\n").compactMap {
                    try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                }.filter { pids.contains($0["pid"] as? Int ?? 0) }
                #expect(objects.count == 3, "--filter \(filter): \(run.output)")
                let root = objects.first { $0["pid"] as? Int == Int(holder.backendPid) }
                #expect(root?["depth"] as? Int == 0 && root?["blocks"] as? Int == 2, "\(run.output)")
                #expect(objects.allSatisfy { $0["root_pid"] as? Int == Int(holder.backendPid) }, "\(run.output)")
                let waiter = objects.first { $0["pid"] as? Int == Int(first.backendPid) }
                #expect((waiter?["depth"] as? Int ?? 0) >= 1 && (waiter?["lock_mode"] as? String ?? "").hasSuffix("Lock"), "\(run.output)")
            }
            let text = once(["--filter", "tree-waiter-two"])
            #expect(text.output.contains("[blocks 2] UPDATE \(table)"), "\(text.output)")
            #expect(text.output.contains("└ [ShareLock on transactionid]"), "\(text.output)")
            let csv = once(["--filter", "tree-waiter-one", "--format", "csv"]).output.split(separator: "\n")
            #expect(csv.first?.hasSuffix("depth,root_pid,blocks,lock_mode,lock_target") == true)
            #expect(csv.filter { $0.hasPrefix("\(holder.backendPid),") }.first?.contains(",0,\(holder.backendPid),2,,") == true, "\(csv)")

            // --terminate: the sessions the filter matched, not the tree around them (dry run).
            let dry = once(["--filter", "tree-holder", "--terminate"])
            #expect(dry.status == 3, "\(dry.output)")
            #expect(dry.output.contains("would terminate 1 backend(s): \(holder.backendPid) "), "\(dry.output)")

            // The screen: the waiter's name finds its tree, holder at the root.
            let tmux = try Tmux(Harness.command("--view blocking --filter tree-waiter-two"), width: 160, height: 30,
                                environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
            let screen = try tmux.wait(timeout: 15, for: "the whole tree") { $0.contains("tree-holder") && $0.contains("tree-waiter-one") }
            #expect(screen.contains("[blocks 2]") && screen.contains("tree-waiter-two"))
            try tmux.send("q")
        }
    }
}
