import Foundation
import Testing
import PGTopPostgres

extension EndToEnd {
    /// Issue 13's screen items through the real binary at 80x24 and 40x12: the partial-view
    /// warning stays, whole items instead of mid-word cuts, the sorted PID title over its
    /// numbers without colour, the help scrolled and searched, the column chooser's cursor kept,
    /// and each view's own columns.
    @Suite(.serialized, .timeLimit(.minutes(4))) struct NarrowScreenTests {
        static let sizes = [(80, 24), (40, 12)]
        static let env = ["LANG": "C.UTF-8", "TERM": "xterm-256color"]

        static let plainRole: Void = {
            let admin = try! Harness.admin()
            _ = try? admin.execute("CREATE ROLE e2e_plain LOGIN")
            admin.close()
        }()

        /// 13.3: a role without pg_monitor; others' sessions are hidden from it.
        @Test(arguments: sizes)
        func thePartialViewWarningStays(width: Int, height: Int) throws {
            _ = Self.plainRole
            let others = try (0..<3).map { _ in try Harness.connect(application: "narrow-other") }
            defer { others.forEach { $0.close() } }
            let tmux = try Tmux(Harness.command(user: "e2e_plain"), width: width, height: height, environment: Self.env)
            let screen = try tmux.wait(for: "the header") { $0.contains("Sort:") || $0.contains(" PID") }
            let header = screen.split(separator: "\n").prefix(3).joined(separator: "\n")
            #expect(header.contains("partial"), "\(width)x\(height):\n\(screen)")
            #expect(!header.contains("active 0") && !header.contains("idle in txn 0"), "\(header)")
            try tmux.send("q")
        }

        /// 13.7 and 13.12: no item cut mid-word in the header or footer; sorted by PID without
        /// colour, the title ends where the pids end.
        @Test(arguments: sizes)
        func wholeItemsAndAnAlignedPidTitle(width: Int, height: Int) throws {
            let sessions = try (0..<2).map { _ in try Harness.connect(application: "autovacuum-lookalike-with-a-long-name") }
            defer { sessions.forEach { $0.close() } }
            let tmux = try Tmux(Harness.command("--no-color --sort pid"), width: width, height: height, environment: Self.env)
            let screen = try tmux.wait(for: "the rows") { $0.contains("PID▲") && $0.contains("Shown") && $0.contains(" idle") }
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let slots = lines.first { $0.contains("Connections") } ?? ""
            #expect(!slots.hasSuffix(" super") && !slots.hasSuffix(" s") && !slots.contains("superuser-res "), "\(slots)")
            let footer = lines.last { !$0.isEmpty } ?? ""
            for cut in ["Bloc", "Cance", "Idle tx", "Filte", "Termin"] {
                #expect(!footer.hasSuffix(cut), "\(footer)")
            }
            #expect(!footer.contains("5 Bloc ") && !footer.hasSuffix("5 Bloc"))
            // A value cut to its column ends in `…`.
            if let row = lines.first(where: { $0.contains("autovacuum") }) {
                #expect(row.contains("autovacuum-lookalike-with-a-long-name") || row.contains("…"), "\(row)")
            }
            // 13.12: ` PID▲` right-aligned over the numbers.
            let titleLine = try #require(lines.first { $0.contains("PID▲") && !$0.contains("Sort") })
            let first = try #require(lines.first { line in line.split(separator: " ").first.map { Int32($0) != nil } == true })
            let titleEnd = titleLine.prefix { $0 != "▲" }.count + 1
            let pidEnd = first.prefix { $0 == " " }.count + (first.split(separator: " ").first?.count ?? 0)
            #expect(titleEnd == pidEnd, "\n\(titleLine)\n\(first)")
            try tmux.send("q")
        }

        /// 13.4: the help scrolls to its end and is searched; q closes it.
        @Test(arguments: sizes)
        func theHelpScrollsAndSearches(width: Int, height: Int) throws {
            let tmux = try Tmux(Harness.command(), width: width, height: height, environment: Self.env)
            try tmux.wait(for: "Help")
            try tmux.send("?")
            var seen = try tmux.wait(for: "pgtop help")
            #expect(!seen.contains("taller terminal"))
            var page = seen
            for _ in 0..<20 where !page.contains("(END)") {
                try tmux.send("PageDown")
                let before = page
                page = try tmux.wait(for: "the next page") { $0 != before && $0.contains("pgtop help") }
                seen += page
            }
            #expect(seen.contains("(END)"))
            for phrase in ["Quit", "Pause or resume", "Choose the columns", "Close it"] {
                #expect(seen.contains(phrase), "\(phrase)")
            }
            try tmux.send("g")
            try tmux.send("/")
            try tmux.type("Save the")
            try tmux.send("Enter")
            let found = try tmux.wait(for: "Save the")
            #expect(found.contains("pgtop help"))
            try tmux.send("q")
            try tmux.wait(for: "the table") { !$0.contains("pgtop help") && $0.contains("Help") }
            try tmux.send("q")
        }

        /// 13.8: Space in the chooser hides the column under the cursor and leaves both in place.
        @Test(arguments: sizes)
        func hidingAColumnKeepsItsPlace(width: Int, height: Int) throws {
            let tmux = try Tmux(Harness.command(), width: width, height: height, environment: Self.env)
            try tmux.wait(for: "Help")
            try tmux.send("C")
            try tmux.wait(for: "[x] DATABASE")
            try tmux.send("Down")
            try tmux.send("Space")
            let hidden = try tmux.wait(for: "[ ] DATABASE")
            let lines = hidden.split(separator: "\n")
            let pid = try #require(lines.firstIndex { $0.contains("[x] PID") })
            #expect(lines[pid + 1].contains("[ ] DATABASE"), "\(hidden)")
            try tmux.send("Space")  // the same column again
            let shown = try tmux.wait(for: "[x] DATABASE")
            #expect(shown.split(separator: "\n")[pid + 1].contains("[x] DATABASE"))
            try tmux.send("Escape")
            try tmux.send("q")
        }

        /// Each view keeps its own columns at 80: the waiting view BLOCKED BY, the tree APPLICATION.
        @Test func eachViewKeepsItsColumnsAt80() throws {
            let admin = try Harness.admin()
            defer { admin.close() }
            let table = "narrow_\(UInt32.random(in: 0...UInt32.max))"
            try admin.execute("CREATE TABLE \(table) (id int PRIMARY KEY, v int)")
            try admin.execute("INSERT INTO \(table) VALUES (1, 0)")
            defer { _ = try? admin.execute("DROP TABLE \(table)") }
            let a = try Harness.connect(application: "narrow-holder")
            try a.execute("START TRANSACTION")
            try a.execute("UPDATE \(table) SET v = v + 1 WHERE id = 1")
            let b = try Harness.connect(application: "narrow-waiter")
            try b.send("UPDATE \(table) SET v = v + 10 WHERE id = 1")
            defer { for s in [a, b] { s.close() } }
            let tmux = try Tmux(Harness.command(), width: 80, height: 24, environment: Self.env)
            try tmux.wait(for: "waiting 1")
            try tmux.send("4")
            // The header line may be drawn a moment before the table under it: wait for the title.
            func title(_ screen: String) -> Substring {
                screen.split(separator: "\n").first { $0.contains(" PID") && !$0.contains("Sort") } ?? ""
            }
            let waiting = try tmux.wait(for: "View: waiting") {
                $0.contains("View: waiting") && (title($0).contains("BLOCKED BY") || title($0).contains("BLKD BY"))
            }
            #expect(title(waiting).contains("BLOCKED BY") || title(waiting).contains("BLKD BY"), "\(waiting)")
            try tmux.send("5")
            let tree = try tmux.wait(for: "View: blocking tree") { $0.contains("View: blocking tree") && title($0).contains("APP") }
            #expect(title(tree).contains("APP"), "\(tree)")
            try tmux.send("q")
        }
    }
}
