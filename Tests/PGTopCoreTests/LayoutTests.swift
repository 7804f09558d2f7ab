import Testing
@testable import PGTopCore

@Suite struct LayoutTests {
    var incident: [Backend] {
        var rows: [Backend] = []
        for i in 0..<30 {
            rows.append(backend(Int32(4000 + i), db: "shop", user: "app_rw", client: "10.1.2.\(i)", app: "orders-api",
                                state: .idleInTransaction, query: "START TRANSACTION;", age: Double(3000 + i), xact: Double(48_000 + i)))
        }
        rows.append(backend(5000, db: "shop", user: "report", client: "local", app: "psql", state: .active,
                            query: "SELECT count(*) FROM orders o JOIN lines l USING (order_id) WHERE o.created > now() - interval '1 day'",
                            age: 75, waiting: true, blockedBy: [4000, 4001], waitEvent: "transactionid"))
        return rows
    }

    func frame(_ width: Int, _ height: Int, _ rows: [Backend]? = nil) -> Frame {
        var s = state(rows ?? incident)
        s.setPageSize(ScreenLayout.tableRows(height: height))
        return ScreenLayout.render(s, width: width, height: height)
    }

    @Test(arguments: [20, 40, 60, 80, 100, 120, 160, 250])
    func linesNeverExceedTheWidthAndFillTheHeight(width: Int) {
        for height in [5, 6, 11, 12, 24, 40] {
            let f = frame(width, height)
            #expect(f.lines.count == height)
            for line in f.lines { #expect(CellWidth.of(line.text) <= width) }
        }
    }

    @Test func queryStaysReadableAt100Columns() {
        let layout = TableLayout(width: 100, rows: incident[...], elapsed: .query)
        #expect(layout.width(of: .query)! >= 30)
        for slot in layout.slots where slot.column != .query { #expect(slot.width >= 4) }
        #expect(layout.width(of: .pid) != nil)
        #expect(layout.width(of: .elapsed) != nil)
        #expect(layout.width(of: .state) != nil)
    }

    @Test func allColumnsAt160() {
        let layout = TableLayout(width: 160, rows: incident[...], elapsed: .query)
        let database = Column.allCases.filter { !$0.isHost }
        #expect(layout.slots.map(\.column) == database)
        #expect(layout.slots.map(\.title) == database.map(\.title))
        // With the host columns on, at a width that holds them all (they carry no data here:
        // the first to go when it runs short).
        let host = TableLayout(width: 200, rows: incident[...], elapsed: .query, host: true)
        #expect(host.slots.map(\.column) == Column.allCases)
        #expect(TableLayout(width: 120, rows: incident[...], elapsed: .query, host: true).width(of: .writeRate) == nil)
    }

    @Test func narrowTerminalsKeepPidElapsedAndQuery() {
        let layout = TableLayout(width: 40, rows: incident[...], elapsed: .query)
        let columns = layout.slots.map(\.column)
        #expect(columns.first == .pid)
        #expect(columns.contains(.elapsed))
        #expect(columns.last == .query)
    }

    @Test func headerShowsVersionSlotsCountsAndSort() {
        let text = frame(120, 40).text
        #expect(text.contains("PostgreSQL 15.18"))
        #expect(text.contains("/tmp:5432/postgres"))
        #expect(text.contains("Connections 32/100 used, 65 free, 3 superuser-reserved"))
        #expect(text.contains("active 1  idle in txn 30  waiting 1  idle 0"))
        #expect(text.contains("Sort: ELAPSED▼"))
        #expect(text.contains("ELAPSED▼"))
        #expect(text.contains("refresh 1s"))
    }

    /// The ELAPSED column's title names the clock `T` chose; an aborted transaction's age
    /// since its error shows as a lower bound.
    @Test func theElapsedTitleNamesItsClock() {
        var aborted = backend(7, state: .idleInTransactionAborted, xact: nil)
        aborted.transactionAge = 90
        aborted.transactionAgeSource = .stateChange
        aborted.stateAge = 90
        var s = state([aborted, backend(8, state: .idle, age: 5)])
        var titles: [String] = []
        for _ in 0..<4 {
            let text = ScreenLayout.render(s, width: 120, height: 20).text
            let title = text.split(separator: "\n").first { $0.contains(" PID ") }.map(String.init) ?? ""
            titles.append(["ELAPSED", "XACT AGE", "IN STATE", "CONN AGE"].first { title.contains($0 + "▼") } ?? title)
            if s.elapsed == .transaction { #expect(text.contains(">1:30")) }
            if s.elapsed == .state { #expect(text.contains("ELAPSED since state change")) }
            s.press(.char("T"))
        }
        #expect(titles == ["ELAPSED", "XACT AGE", "IN STATE", "CONN AGE"])
    }

    @Test func exhaustedSlotsAreAnAlarm() {
        var s = AppState()
        s.server = ServerInfo(versionNumber: 160000, version: "16.2", endpoint: "x", maxConnections: 20, superuserReserved: 3, reserved: 2)
        s.receive(Snapshot(backends: (1...14).map { backend(Int32($0)) }))
        let f = ScreenLayout.render(s, width: 120, height: 30)
        let slotLine = f.lines[1]
        #expect(slotLine.text.contains("Connections 15/20 used: NO free slots for ordinary roles (3 superuser-reserved, 2 pg_use_reserved)"))
        #expect(slotLine.spans.first?.style == .alarm)
    }

    @Test func headerSaysWhoHoldsTheSlots() {
        let text = frame(160, 40).text
        #expect(text.contains("Held by user: "))
        #expect(text.contains("Held by app: "))
        #expect(text.contains("Held by client: "))
    }

    @Test func slotHoldersAreCountedMostFirst() {
        let backends = ["a", "b", "a", "c", "a", "b", "d", "e"].enumerated().map { i, user in
            Backend(id: BackendID(pid: Int32(i + 1), start: 0), user: user)
        }
        let groups = SlotHolders(backends + [Backend(id: BackendID(pid: 99, start: 0), user: "a", backendType: "walsender")])
        #expect(groups.clients == 8)
        let top = SlotHolders.top(groups.byUser, limit: 3)
        #expect(top.map(\.name) == ["a", "b", "c", "2 others"])
        #expect(top.map(\.count) == [3, 2, 1, 2])
    }

    @Test func lowSlotsWarnBeforeTheyRunOut() {
        var s = AppState()
        s.server = ServerInfo(versionNumber: 150000, version: "15.4", endpoint: "x", maxConnections: 100, superuserReserved: 3, reserved: 0)
        s.receive(Snapshot(backends: (1...88).map { backend(Int32($0)) }))
        let line = ScreenLayout.render(s, width: 160, height: 30).lines[1]
        #expect(line.text.contains("only 8 free, 3 superuser-reserved"))
        #expect(line.spans.first?.style == .warn)
    }

    @Test func partialViewIsSaid() {
        var s = AppState()
        s.server = ServerInfo(versionNumber: 150000, version: "15.4", endpoint: "x", maxConnections: 100, superuserReserved: 3, reserved: 0)
        var hidden = backend(7)
        hidden.state = .none
        hidden.query = "<insufficient privilege>"
        s.receive(Snapshot(backends: [backend(1), hidden]))
        let text = ScreenLayout.render(s, width: 200, height: 30).text
        #expect(text.contains("partial view: 1 other sessions hidden (needs pg_monitor)"))
    }

    @Test func narrowHeaderDropsWholeSegments() {
        let f = frame(60, 20)
        for line in f.lines.prefix(4) {
            #expect(CellWidth.of(line.text) <= 60)
            #expect(!line.text.hasSuffix("pos"))
        }
        #expect(f.lines[1].text.hasPrefix("Connections") || f.lines[1].text.hasPrefix("active"))
    }

    @Test func rowsShowTheirCells() {
        let f = frame(160, 40)
        let row = f.lines.first { $0.text.contains("5000") }!.text
        #expect(row.contains("report"))
        #expect(row.contains("local"))
        #expect(row.contains("transactionid"))
        #expect(row.contains("4000,4001"))
        #expect(row.contains("1:15"))
        #expect(row.contains("SELECT count(*)"))
        let stuck = f.lines.first { $0.text.contains("4003") }!
        #expect(stuck.text.contains("idle in txn"))
        #expect(stuck.spans[0].style == .stuck)
    }

    @Test func markedAndSelectedRowsAreVisible() {
        var s = state(incident)
        s.setPageSize(ScreenLayout.tableRows(height: 40))
        s.press(.char(" "))
        let f = ScreenLayout.render(s, width: 120, height: 40)
        let first = f.lines[HeaderView.count(height: 40, stats: true) + 1]
        #expect(first.text.hasPrefix("*"))
        #expect(first.spans[0].style == .marked)
        #expect(f.lines[HeaderView.count(height: 40, stats: true) + 2].spans[0].style == .selected)
    }

    @Test func columnsLineUpAfterWideCharacters() {
        let rows = [backend(1, app: "日本語アプリ", query: "x"), backend(2, app: "plain", query: "y"), backend(3, app: "😀😀", query: "z")]
        let f = frame(160, 20, rows)
        let tableRows = f.lines.filter { $0.text.hasSuffix("x") || $0.text.hasSuffix("y") || $0.text.hasSuffix("z") }
        #expect(tableRows.count == 3)
        let widths = Set(tableRows.map { CellWidth.of($0.text) })
        #expect(widths.count == 1)
    }

    @Test func tinyTerminalsGetAMessage() {
        let f = frame(19, 5)
        #expect(f.lines[0].text == "too small (19x5)")
        let g = frame(40, 4)
        #expect(g.lines.count == 4)
        #expect(g.lines[0].text.contains("too small"))
        let ok = frame(20, 5)
        #expect(ok.lines[1].text.contains("PID"))
    }

    @Test func confirmationIsInTheFooter() {
        var s = state(incident)
        s.press(.char("3"), .char("A"), .char("k"))
        let f = ScreenLayout.render(s, width: 200, height: 40)
        let last = f.lines[39].text
        #expect(last == "Terminate 30 backends (4000, 4001, 4002, 4003, 4004, 4005, +24 more)? [y/N]")
        #expect(f.lines[39].fill == .alarm)
        let detail = f.lines[38].text
        #expect(detail.contains("30 idle in transaction, oldest 13:20:29"))
        #expect(detail.contains("WARNING: holds locks 1 other session(s) wait for"))
        #expect(f.text.contains("View: idle in transaction"))
    }

    @Test func filterPromptHasACursor() {
        var s = state(incident)
        s.press(.char("/"), .char("r"), .char("e"))
        let f = ScreenLayout.render(s, width: 100, height: 30)
        #expect(f.lines[29].text.hasPrefix("Filter: re"))
        #expect(f.cursor?.row == 29)
        #expect(f.cursor?.column == 10)
        #expect(f.text.contains("Filter: \"re\""))
    }

    @Test func asciiTerminalsGetNoUnicode() {
        var s = state([backend(1, app: "日本語", query: "é")])
        s.asciiOnly = true
        let text = ScreenLayout.render(s, width: 120, height: 20).text
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text.contains("ELAPSEDv"))
    }
}

@Suite struct TallyTests {
    @Test func countsBeyondTheShortList() {
        var t = Tally()
        let names = (0..<30).map { "app-\($0 % 12)" }
        for n in names { t.add(n) }
        let counts = Dictionary(uniqueKeysWithValues: t.counts.map { ($0.name, $0.count) })
        #expect(counts.count == 12)
        #expect(counts["app-0"] == 3 && counts["app-11"] == 2)
        #expect(counts.values.reduce(0, +) == 30)
    }
}
