import Testing
@testable import PGTopCore

/// Settings as values: reading, precedence, styles, columns, and the layout `S` saves.
@Suite struct SettingsTests {
    @Test func readsEveryKeyBackFromWhatItWrites() throws {
        var s = Settings()
        s.conninfo = "host=db1"; s.host = "h"; s.port = "5433"; s.user = "u"; s.dbname = "d"
        s.refresh = 0.5; s.idleWarn = 90; s.view = .waiting; s.filter = "orders"; s.minDuration = 600
        s.sort = .blockedBy; s.sortDescending = true; s.elapsed = .transaction; s.columns = [.pid, .query]
        s.showIdle = false; s.showBackground = true; s.showStats = false; s.hostColumns = true
        s.color = false; s.format = .json; s.auditLog = "/var/log/pgtop.log"
        var back = Settings()
        for key in SettingKey.all {
            if let v = key.value(in: s) { try key.read(v, into: &back) }
        }
        #expect(back == s)
    }

    @Test func wrongKindsSayWhatWasExpected() {
        var s = Settings()
        #expect(throws: SettingError(key: "refresh", expected: "a number of seconds, at least 0.1", got: .double(0.01))) {
            try SettingKey.named("refresh")!.read(.double(0.01), into: &s)
        }
        #expect(throws: SettingError.self) { try SettingKey.named("show-idle")!.read(.string("yes"), into: &s) }
        #expect(throws: SettingError.self) { try SettingKey.named("min-duration")!.read(.string("soon"), into: &s) }
        #expect(throws: SettingError.self) { try SettingKey.named("audit-log")!.read(.bool(true), into: &s) }
        try? SettingKey.named("audit-log")!.read(.bool(false), into: &s)
        #expect(s.noAuditLog == true)
        try? SettingKey.named("min-duration")!.read(.string("1.5h"), into: &s)
        #expect(s.minDuration == 5400)
    }

    @Test func suggestionsForTypos() {
        #expect(SettingKey.suggestion(for: "refersh") == "refresh")
        #expect(SettingKey.suggestion(for: "colums") == "columns")
        #expect(SettingKey.suggestion(for: "xyzzy-plugh") == nil)
    }

    @Test func columnLists() {
        #expect(Column.list("pid,user,elapsed,query") == [.pid, .user, .elapsed, .query])
        #expect(Column.list("PID, blocked_by") == [.pid, .blockedBy])
        #expect(Column.list("pid,pid") == nil)
        #expect(Column.list("query,pid") == nil)
        #expect(Column.list("pid,nope") == nil)
        #expect(Column.list("") == nil)
    }

    @Test func hostColumnsJoinOnlyWithH() {
        let chosen: [Column] = [.pid, .user, .elapsed, .query]
        #expect(Column.shown(chosen, host: false) == chosen)
        #expect(Column.shown(chosen, host: true) == [.pid, .user, .cpu, .memory, .readRate, .writeRate, .elapsed, .query])
        #expect(Column.shown([.pid, .memory, .query], host: true) == [.pid, .memory, .cpu, .readRate, .writeRate, .query])
        #expect(Column.shown([.pid, .memory, .query], host: false) == [.pid, .query])
    }

    @Test func styleSpecs() {
        #expect(StyleSpec.parse("bold yellow") == StyleSpec(bold: true, foreground: 3))
        #expect(StyleSpec.parse("black on cyan") == StyleSpec(foreground: 0, background: 6))
        #expect(StyleSpec.parse("underline 208 on default") == StyleSpec(underline: true, foreground: 208))
        #expect(StyleSpec.parse("reverse") == StyleSpec(reverse: true))
        #expect(StyleSpec.parse("Bold  Red") == StyleSpec(bold: true, foreground: 1))
        #expect(StyleSpec.parse("red blue") == nil)
        #expect(StyleSpec.parse("red on") == nil)
        #expect(StyleSpec.parse("256") == nil)
        #expect(StyleSpec.parse("black on cyan")?.text == "black on cyan")
        #expect(StyleSpec(bold: true, foreground: 208).text == "bold 208")
        #expect(Style.sortedColumnTitle.configName == "sorted-column-title")
        #expect(Style.named("selected-marked") == .selectedMarked)
    }

    @Test func theLayoutSAvesIsWhatTheScreenShows() {
        var state = AppState(interval: 2)
        state.columns = [.pid, .state, .elapsed, .query]
        _ = state.apply(.sortRight)           // elapsed -> query
        _ = state.apply(.view(.waiting))
        _ = state.apply(.toggleIdle)
        let s = Settings.layout(of: state)
        #expect(s.columns == [.pid, .state, .elapsed, .query])
        #expect(s.sort == .query)
        #expect(s.view == .waiting)
        #expect(s.refresh == 2)
        #expect(s.showIdle == false)
        #expect(s.filter == nil)
        var again = AppState()
        s.apply(to: &again)
        #expect(again.columns == state.columns)
        #expect(again.sort == state.sort)
        #expect(again.filter.view == .waiting)
        #expect(again.interval == 2)
    }

    @Test func sortKeysRoundTheChosenColumns() {
        var state = AppState()
        state.columns = [.pid, .user, .elapsed, .query]
        state.sort = SortOrder(column: .elapsed)
        _ = state.apply(.sortRight)
        #expect(state.sort.column == .query)
        _ = state.apply(.sortRight)
        #expect(state.sort.column == .pid)
        _ = state.apply(.sortLeft)
        _ = state.apply(.sortLeft)
        #expect(state.sort.column == .elapsed)
    }

    @Test func theTableShowsTheChosenColumnsInOrder() {
        var state = AppState()
        state.columns = [.user, .pid, .elapsed]
        state.receive(Snapshot(backends: [backend(7, user: "alice", age: 65)]))
        let frame = ScreenLayout.render(state, width: 60, height: 12)
        let title = frame.lines.first { $0.text.contains("PID") }?.text ?? ""
        #expect(title.split(separator: " ").map(String.init) == ["USER", "PID", "ELAPSED▼"])
        let row = frame.lines.first { $0.text.contains("alice") }?.text ?? ""
        #expect(row.split(separator: " ").map(String.init) == ["alice", "7", "1:05"])
    }

    /// Issue 13: `--profile p -U other` threw away the profile's host and port.
    @Test func connectionFlagsMergeIntoTheProfileFieldByField() {
        var profile = Settings()
        profile.host = "db1"; profile.port = "5433"; profile.user = "admin"; profile.dbname = "app"; profile.refresh = 5
        var flags = Settings()
        flags.user = "other"
        let merged = profile.overridden(byCommandLine: flags)
        #expect(merged.host == "db1" && merged.port == "5433" && merged.user == "other" && merged.dbname == "app" && merged.refresh == 5)
        var uri = Settings()
        uri.conninfo = "postgresql://x@db2/shop"
        let replaced = profile.overridden(byCommandLine: uri)
        #expect(replaced.conninfo == "postgresql://x@db2/shop" && replaced.host == nil && replaced.port == nil
                && replaced.user == nil && replaced.dbname == nil && replaced.refresh == 5)
        var conninfo = Settings()
        conninfo.conninfo = "host=db3"; conninfo.user = "u"
        let whole = profile.overridden(byCommandLine: conninfo)
        #expect(whole.conninfo == "host=db3" && whole.host == nil && whole.user == "u" && whole.dbname == nil)
        var name = Settings()
        name.conninfo = "reports"
        let database = profile.overridden(byCommandLine: name)
        #expect(database.conninfo == nil && database.dbname == "reports" && database.host == "db1")
        var inProfile = Settings()
        inProfile.conninfo = "host=db1 port=5433"
        flags.host = "db9"
        let overConninfo = inProfile.overridden(byCommandLine: flags)
        #expect(overConninfo.conninfo == "host=db1 port=5433" && overConninfo.host == "db9" && overConninfo.user == "other")
    }
}
