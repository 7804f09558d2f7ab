import Testing
@testable import PGTopCore

/// What gives way when the screen is narrow (issue 13): warnings last, whole items rather than
/// mid-word cuts, cut values marked `…`, each view's own columns kept, titles over their values.
@Suite struct ScreenFitTests {
    /// A role without pg_monitor: 12 sessions of other roles show as `<insufficient privilege>`.
    var partial: AppState {
        var rows = (0..<10).map { backend(Int32(27200 + $0), user: "app", app: "leaky-worker", state: .idleInTransaction,
                                          query: "UPDATE accounts SET n = n + 1", xact: 90) }
        rows += (0..<12).map { backend(Int32(28000 + $0), user: "", app: "", state: .none, query: "<insufficient privilege>",
                                       age: nil, since: nil) }
        var s = state(rows)
        s.server = ServerInfo(versionNumber: 150018, version: "15.18", endpoint: "/var/run/postgresql:5432/orders_production",
                              maxConnections: 60, superuserReserved: 3, reserved: 0, role: "app_readonly_monitoring",
                              isSuperuser: false, ownPid: 1)
        return s
    }

    func text(_ s: AppState, _ width: Int, _ height: Int) -> [String] {
        var s = s
        s.setScreen(width: width, height: height)
        return ScreenLayout.render(s, width: width, height: height).lines.map(\.text)
    }

    /// 13.3: the partial-view warning stays at every width (shorter, never gone), and the counts
    /// say they are at least what is shown.
    @Test(arguments: [(200, 40), (120, 30), (80, 24), (60, 20), (40, 12), (40, 10), (30, 8)])
    func thePartialViewWarningIsTheLastToGo(width: Int, height: Int) {
        let screen = text(partial, width, height)
        let header = screen.prefix(height < 12 ? 1 : 3).joined(separator: "\n")
        #expect(header.contains("partial"), "\(width)x\(height):\n\(header)")
        #expect(!header.contains("active 0") && !header.contains("idle in txn 0") && !header.contains("txn 0"), "\(header)")
        if height >= 12 { #expect(header.contains("idle in txn ≥10") || header.contains("active ≥0"), "\(header)") }
    }

    /// 13.7: no mid-word cut in the header or the footer; a cut value ends in `…`.
    @Test func wholeItemsInTheHeaderAndFooterAt40x12() {
        var s = partial
        s.server?.isSuperuser = true
        s.receive(Snapshot(backends: (0..<22).map { backend(Int32(100 + $0)) }
                           + [backend(5, app: "", query: "", type: "background writer"),
                              backend(6, app: "autovacuum launcher", state: .active, waitEvent: "LogicalLauncherMain")]))
        s.filter.showBackground = true
        s.recompute()
        let screen = text(s, 40, 12)
        #expect(screen[1].hasPrefix("Connections 24/60, 33 free") || screen[1].hasPrefix("Connections 24/60 used, 33 free"), "\(screen[1])")
        #expect(!screen[1].contains("super"), "\(screen[1])")
        let footer = screen[11]
        for word in footer.split(separator: " ") where word.count > 1 {
            #expect(["Help", "Space", "Mark", "Terminate", "Cancel", "Filter", "<>", "Sort", "Idle", "txn", "Blockers", "Pause", "Quit"].contains(String(word)), "\(footer)")
        }
        let laid = TableLayout(width: 40, rows: s.rows[...], elapsed: .query, columns: [.pid, .application, .query])
        guard let launcher = s.rows.first(where: { $0.pid == 6 }), laid.width(of: .application) == 16 else {
            Issue.record("layout: \(laid.slots)"); return
        }
        let row = TableView.row(launcher, layout: laid, state: s, selected: false).text
        #expect(row.contains("autovacuum laun… "), "\(row)")
        let wait = TableLayout(width: 40, rows: s.rows[...], elapsed: .query, columns: [.pid, .wait, .query])
        #expect(TableView.row(launcher, layout: wait, state: s, selected: false).text.contains("LogicalLauncher… "))
        #expect(!row.contains("autovacuum launc "))
    }

    @Test func theDetailWrapsInsteadOfCutting() {
        var s = partial
        let b = s.rows[0]
        s.mode = .detail(b.id, scroll: 0)
        s.detail = BackendDetail(id: b.id, fields: [.init("query", "UPDATE accounts SET n = n + 1")], xidAge: 179_330, xminAge: 179_331)
        let screen = text(s, 40, 24)
        let body = screen.joined(separator: "\n")
        #expect(body.contains("(holds back vacuum)") || body.contains("(holds back\n") , "\(body)")
        #expect(!body.contains("(holds back va\n"))
    }

    /// 13.12: sorted by PID, the title stays right-aligned over the numbers (it was left-aligned,
    /// ` PID▲  APPLICATION` over `  4910 leaky-worker`), with and without ASCII.
    @Test(arguments: [false, true])
    func aSortedNumberTitleEndsWhereItsNumbersEnd(ascii: Bool) {
        var s = state([backend(4910, app: "leaky-worker"), backend(27205, app: "leaky-worker")])
        s.asciiOnly = ascii
        s.sort = SortOrder(column: .pid, descending: false)
        s.recompute()
        for width in [40, 80, 120] {
            let screen = text(s, width, 24)
            guard let title = screen.first(where: { $0.contains("PID") && !$0.contains("Sort") }), let row = screen.first(where: { $0.contains("4910") }) else {
                Issue.record("no table at \(width)"); continue
            }
            let arrow = ascii ? "^" : "▲"
            let titleEnd = Self.end(of: "PID" + arrow, in: title)
            let pidEnd = Self.end(of: "4910", in: row)
            #expect(titleEnd == pidEnd, "\(width):\n\(title)\n\(row)")
        }
    }

    /// Where `needle` ends in `line`, in characters.
    static func end(of needle: String, in line: String) -> Int? {
        let hay = Array(line), n = Array(needle)
        guard hay.count >= n.count else { return nil }
        for i in 0...(hay.count - n.count) where Array(hay[i..<(i + n.count)]) == n { return i + n.count }
        return nil
    }

    /// Rough edge of issue 13: at 80 columns the waiting view dropped BLOCKED BY and the blocking
    /// tree APPLICATION. Each view keeps the columns it exists for.
    @Test(arguments: [80, 60])
    func eachViewKeepsItsColumns(width: Int) {
        var rows = [backend(4000, db: "shop", user: "app_rw", client: "10.1.2.3", app: "orders-api", state: .idleInTransaction,
                            query: "START TRANSACTION;", xact: 600)]
        rows += (1...4).map { backend(Int32(4000 + $0), db: "shop", user: "report", client: "10.9.9.\($0)", app: "nightly-report",
                                      state: .active, query: "UPDATE orders SET paid = true WHERE id = 1", age: 30,
                                      waiting: true, blockedBy: [4000], waitEvent: "transactionid") }
        var s = state(rows)
        s.filter.view = .waiting
        s.recompute()
        let waiting = text(s, width, 24).first { $0.contains("PID") && !$0.contains("Sort") } ?? ""
        #expect(waiting.contains("BLKD BY") || waiting.contains("BLOCKED BY"), "\(text(s, width, 24).joined(separator: "\n"))")
        s.filter.view = .blocking
        s.recompute()
        let title = text(s, width, 24).first { $0.contains("PID") && !$0.contains("Sort") } ?? ""
        #expect(title.contains("APP"), "\(title)")
    }
}
