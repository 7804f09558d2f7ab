import Foundation
import Testing
@testable import PGTopCore
@testable import PGTopStore

/// Not a test of speed (nothing here can fail on time): with PGTOP_MEASURE=1 it writes three
/// hours at 1 s from 300 backends (200 web sessions running a statement every few seconds,
/// 60 cron sessions left idle in transaction for 20 minutes every half hour, a pile-up of 20
/// lock waiters for 40 s every 10 minutes) and prints how long `report` takes over it, whole
/// and for one hour. PGTOP_MEASURE_FILE keeps the file (for `pgtop report` itself).
@Suite struct ReportMeasurement {
    @Test func threeHoursAtThreeHundredBackends() throws {
        guard ProcessInfo.processInfo.environment["PGTOP_MEASURE"] == "1" else {
            print("skipped: ReportMeasurement runs with PGTOP_MEASURE=1 (a measurement, not a test)")
            return
        }
        let env = ProcessInfo.processInfo.environment
        let samples = Int(env["PGTOP_MEASURE_SAMPLES"] ?? "") ?? 3 * 3600
        let path = env["PGTOP_MEASURE_FILE"] ?? Scratch.directory("report-measure") + "/r.pgtop"
        let t0 = Incident.t0
        let server = ServerInfo(versionNumber: 170000, version: "17.0", endpoint: "db1:5432/shop", maxConnections: 320)
        let writer = try RecordingWriter(path: path, meta: ["server": server.endpoint, "version": server.version, "idle-warn": "60"])
        let started = Date()
        for s in 0..<samples {
            let t = t0 + Int64(s) * 1_000_000
            func age(_ from: Int64?) -> Double? { from.map { Double(t - $0) / 1e6 } }
            var rows: [Backend] = []
            rows.reserveCapacity(300)
            for i in 0..<200 {
                let period = 3 + i % 5, last = s - (s + i) % period
                let running = last == s
                let q = t0 + Int64(last) * 1_000_000
                rows.append(Backend(id: BackendID(pid: Int32(10_000 + i), start: t0 - 3_600_000_000), database: "shop", user: "app",
                                    client: "10.0.\(i % 8).\(i % 250)", application: "web", state: running ? .active : .idle,
                                    queryAge: age(q), transactionAge: running ? age(q) : nil, backendAge: age(t0 - 3_600_000_000),
                                    query: "SELECT * FROM orders WHERE id = $\(i % 40)", stateChange: running ? q : q + 100_000,
                                    stateAge: age(running ? q : q + 100_000)))
            }
            let wave = s / 1800, inWave = s % 1800
            for i in 0..<60 {
                let start = t0 + Int64(wave * 1800) * 1_000_000 - 1_000_000
                let stuck = inWave < 1200
                let xact: Int64? = stuck ? start + Int64(i) * 1000 : nil
                rows.append(Backend(id: BackendID(pid: Int32(20_000 + wave * 100 + i), start: start - 1_000_000), database: "shop",
                                    user: "cron", client: "10.1.0.\(i)", application: "cron-\(i % 3)",
                                    state: stuck ? .idleInTransaction : .idle, queryAge: age(start), transactionAge: age(xact),
                                    backendAge: age(start - 1_000_000), query: stuck ? "UPDATE ledger SET done = true WHERE batch = \(i)" : "COMMIT",
                                    stateChange: stuck ? start + 500_000 : start + 1_200_000_000, stateAge: age(start + 500_000)))
            }
            let pile = s % 600 < 40
            for i in 0..<40 {
                let q = t0 + Int64(s - s % 600) * 1_000_000 + Int64(i) * 1000
                var b = Backend(id: BackendID(pid: Int32(30_000 + i), start: t0 - 60_000_000), database: "shop", user: "api",
                                client: "10.2.0.\(i)", application: "api", state: pile && i < 20 ? .active : .idle,
                                queryAge: age(q), transactionAge: pile && i < 20 ? age(q) : nil, backendAge: age(t0 - 60_000_000),
                                query: "UPDATE ledger SET n = n + 1 WHERE id = 7", stateChange: q, stateAge: age(q))
                if pile && i < 20 {
                    b.waiting = true; b.waitEventType = "Lock"; b.waitEvent = "transactionid"
                    b.blockedBy = i == 0 ? [Int32(20_000 + wave * 100)] : [30_000]
                    b.lockMode = "ShareLock"; b.lockTarget = "transactionid"
                }
                rows.append(b)
            }
            try writer.write(rows, figures: SampleFigures(rows, server: server, idleWarn: 60), at: t)
        }
        writer.close()
        let writing = Date().timeIntervalSince(started)
        var st = stat()
        _ = stat(path, &st)
        let reader = try RecordingReader(path: path)
        var times: [Double] = []
        var report = IncidentReport()
        for _ in 0..<5 {
            let start = Date()
            report = reader.report()
            times.append(Date().timeIntervalSince(start))
        }
        let hourStart = Date()
        let hour = reader.report(from: t0 + 3600 * 1_000_000, to: t0 + 7200 * 1_000_000)
        let hourTime = Date().timeIntervalSince(hourStart)
        let spans = try reader.db.integer("SELECT count(*) FROM spans") ?? 0
        print(String(format: "measure: %d samples, 300 backends, %d spans, %.1f MB (written in %.0f s); report of the whole: best %.0f ms, worst %.0f ms (debug build; %d idle in transaction, %d lock waits); of one hour: %.0f ms",
                     samples, spans, Double(st.st_size) / 1e6, writing, times.min()! * 1000, times.max()! * 1000,
                     report.idleInTransaction.count, report.lockWaitCount, hourTime * 1000))
        #expect(report.idleInTransaction.count == 60 * ((samples + 1799) / 1800))
        #expect(hour.recording.samples == 3601)
    }
}
