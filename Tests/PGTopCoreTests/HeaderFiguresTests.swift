import Testing
@testable import PGTopCore

@Suite struct FiguresTests {
    @Test func quantitiesBytesPercents() {
        #expect(Format.quantity(0) == "0" && Format.quantity(7) == "7" && Format.quantity(12.5) == "13")
        #expect(Format.quantity(1.25) == "1.3" && Format.quantity(830) == "830" && Format.quantity(1234) == "1.2k")
        #expect(Format.quantity(45_000_000) == "45M" && Format.quantity(.nan) == "-")
        #expect(Format.bytes(512) == "512 B" && Format.bytes(1536) == "1.5 kB" && Format.bytes(15 * 1_048_576) == "15 MB")
        #expect(Format.percent(0.9996) == "99.9%" && Format.percent(1) == "100.0%" && Format.percent(0.5) == "50.0%")
    }

    @Test func ratesBetweenTwoSamples() {
        var a = ServerStats(at: 100)
        a.commits = 1000; a.rollbacks = 10; a.rowsInserted = 50; a.blocksHit = 900; a.blocksRead = 100; a.checkpointsTimed = 3
        var b = a
        b.at = 102; b.commits = 1190; b.rollbacks = 20; b.rowsInserted = 250; b.blocksHit = 1890; b.blocksRead = 110
        b.deadlocks = 1; b.checkpointsRequested = 1
        let r = ServerRates(from: a, to: b)!
        #expect(r.transactions == 100 && r.rowsInserted == 100)
        #expect(r.cacheHit == 0.99)
        #expect(r.deadlocks == 1 && r.checkpoints == 1 && r.checkpointsRequested == 1)
        var reset = b
        reset.at = 104; reset.commits = 5
        #expect(ServerRates(from: b, to: reset) == nil)
        #expect(ServerRates(from: a, to: a) == nil)
    }

    @Test func theHeaderLineAndItsKey() {
        var s = AppState()
        s.server = ServerInfo(versionNumber: 150000, version: "15.4", endpoint: "x", maxConnections: 100)
        s.receive(Snapshot(backends: [Backend(id: BackendID(pid: 1, start: 1), state: .idleInTransaction, transactionAge: 75)]))
        #expect(ScreenLayout.render(s, width: 160, height: 30).text.contains("server figures: waiting for the first sample"))
        var a = ServerStats(at: 10)
        a.databaseBytes = 15 * 1_048_576
        a.oldestXminAge = 42
        s.receive(a)
        var b = a
        b.at = 11; b.commits = 20; b.blocksHit = 10; b.tempFiles = 1; b.tempBytes = 2048; b.databaseBytes = nil
        s.receive(b)
        let text = ScreenLayout.render(s, width: 200, height: 30).text
        #expect(text.contains("TPS 20  rows/s read 0 ins 0 upd 0 del 0  cache hit 100.0%  temp 1 files/s 2 kB/s  longest txn 1:15  oldest xmin 42 txns  size 15 MB"))
        s.press(.char("s"))
        #expect(!ScreenLayout.render(s, width: 200, height: 30).text.contains("TPS"))
        #expect(ScreenLayout.tableRows(height: 30, stats: true) == ScreenLayout.tableRows(height: 30) - 1)
    }
}

@Suite struct ReplicationLineTests {
    @Test func primaryAndStandby() {
        var s = AppState()
        s.server = ServerInfo(versionNumber: 150000, version: "15.4", endpoint: "x", maxConnections: 100)
        var a = ServerStats(at: 1)
        a.standbys = [.init(name: "r\u{1B}1", state: "catchup", lagBytes: 2_097_152, writeBytes: 16384, flushBytes: 0, writeLag: 0.004, flushLag: 0.25, replayLag: 3)]
        a.slots = [.init(name: "keeper", active: false, retainedBytes: 40 * 1_048_576)]
        s.receive(a)
        var text = ScreenLayout.render(s, width: 200, height: 30).text
        #expect(text.contains("standby r?1 catchup, 2 MB behind, lag write 16 kB 4ms flush 0.3s replay 3s  slot keeper inactive, keeps 40 MB"))
        var b = ServerStats(at: 2)
        b.inRecovery = true
        b.replayLag = 75
        b.replayBytes = 0
        s.receive(b)
        text = ScreenLayout.render(s, width: 200, height: 30).text
        #expect(text.contains("STANDBY replay lag 1:15, 0 B behind  TPS 0"))
    }
}

@Suite struct HostFiguresTests {
    @Test func procTexts() {
        let stat = "4211 (postgres: app db [local] idle) S 1 4211 4211 0 -1 4194560 300 0 0 0 25 7 0 0 20 0 1 0 100 300000000 3584 18446744073709551615"
        let parsed = ProcText.stat(stat)
        #expect(parsed?.comm == "postgres: app db [local] idle")
        #expect(parsed?.ticks == 32 && parsed?.rssPages == 3584)
        #expect(ProcText.stat("garbage") == nil && ProcText.stat("1 (x) S 1") == nil)
        #expect(ProcText.io("rchar: 5\nwchar: 6\nread_bytes: 4096\nwrite_bytes: 8192\n")! == (4096, 8192))
        let host = HostFigures.parse(loadavg: "0.52 0.40 0.31 1/523 4242\n",
                                     meminfo: "MemTotal:       24000000 kB\nMemFree: 1000 kB\nMemAvailable:   20000000 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n")
        #expect(host?.load1 == 0.52 && host?.memoryTotal == 24_000_000 * 1024 && host?.memoryAvailable == 20_000_000 * 1024)
        #expect(HostFigures.parse(loadavg: "", meminfo: "") == nil)
    }

    @Test func columnsHeaderAndKey() {
        var s = AppState()
        s.server = ServerInfo(versionNumber: 150000, version: "15.4", endpoint: "x", maxConnections: 100)
        var busy = Backend(id: BackendID(pid: 7, start: 7), state: .active, query: "SELECT busy")
        busy.usage = ProcessUsage(cpu: 97.5, residentBytes: 30 * 1_048_576, readRate: 2048, writeRate: 0)
        var calm = Backend(id: BackendID(pid: 8, start: 8), state: .active, query: "SELECT calm")
        calm.usage = ProcessUsage(cpu: 0.5, residentBytes: 12 * 1_048_576)
        s.receive(Snapshot(backends: [calm, busy]))
        s.press(.char("H"))
        #expect(!s.showHostColumns && s.message?.isError == true)  // not on the host: says so
        s.host = HostFigures(load1: 1.5, load5: 0.25, load15: 0.1, memoryTotal: 8 << 30, memoryAvailable: 6 << 30, swapTotal: 0, swapFree: 0)
        s.press(.char("H"))
        #expect(s.showHostColumns)
        s.sort = SortOrder(column: .cpu, descending: true)
        s.receive(Snapshot(backends: [calm, busy]))
        #expect(s.rows.map(\.pid) == [7, 8])
        let text = ScreenLayout.render(s, width: 180, height: 30).text
        #expect(text.contains("CPU%▼") && text.contains("RES") && text.contains("READ/s"))
        #expect(text.contains("98 30 MB   2 kB     0 B"))
        #expect(text.contains("load 1.50 0.25 0.10  mem 2 GB/8 GB"))
        s.press(.char("H"))
        s.message = nil
        #expect(!ScreenLayout.render(s, width: 180, height: 30).text.contains("READ/s"))
    }
}
