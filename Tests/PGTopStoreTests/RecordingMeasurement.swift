import Foundation
import Testing
@testable import PGTopCore
@testable import PGTopStore

/// Not a test of speed (nothing here can fail on time): with PGTOP_MEASURE=1 it writes an hour
/// of samples at 1 s from 2,000 backends of which about 300 change per sample (200 active
/// sessions start a statement, 100 idle ones run one or finish), and prints bytes per sample,
/// the writer's CPU per sample and the time to read the moment at random instants.
@Suite struct RecordingMeasurement {
    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    @Test func anHourAtTwoThousandBackends() throws {
        guard ProcessInfo.processInfo.environment["PGTOP_MEASURE"] == "1" else {
            print("skipped: RecordingMeasurement runs with PGTOP_MEASURE=1 (a measurement, not a test)")
            return
        }
        let samples = Int(ProcessInfo.processInfo.environment["PGTOP_MEASURE_SAMPLES"] ?? "") ?? 3600
        let t0 = Incident.t0
        var rows: [Backend] = (0..<2000).map { i in
            let state: BackendState = i < 200 ? .active : i < 500 ? .idleInTransaction : .idle
            var b = Backend(id: BackendID(pid: Int32(10_000 + i), start: t0 - 3_600_000_000), database: "shop",
                            user: i % 10 == 0 ? "report" : "app", client: "10.0.\(i % 8).\(i % 250)",
                            application: ["orders-api", "billing", "cron", "web"][i % 4], state: state,
                            queryAge: 0.5, transactionAge: state == .idle ? nil : 0.5, backendAge: 3600,
                            query: "SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer WHERE o.id = $\(i % 40)",
                            stateChange: t0 - 500_000, stateAge: 0.5)
            if i % 97 == 0 { b.waiting = true; b.waitEventType = "Lock"; b.waitEvent = "transactionid"; b.blockedBy = [10_250] }
            return b
        }
        let path = ProcessInfo.processInfo.environment["PGTOP_MEASURE_FILE"] ?? Scratch.directory("measure") + "/r.pgtop"
        let writer = try RecordingWriter(path: path)
        var cpu = 0.0, opened = 0
        for s in 0..<samples {
            let t = t0 + Int64(s) * 1_000_000
            for i in rows.indices {  // a second passes for everyone (DeltaRefresh's kept rows)
                rows[i].queryAge = rows[i].queryAge.map { $0 + 1 }
                rows[i].transactionAge = rows[i].transactionAge.map { $0 + 1 }
                rows[i].backendAge = rows[i].backendAge.map { $0 + 1 }
                rows[i].stateAge = rows[i].stateAge.map { $0 + 1 }
            }
            for i in 0..<200 { rows[i].queryAge = 0.01; rows[i].stateChange = t - 10_000; rows[i].stateAge = 0.01 }
            for k in 0..<100 {
                let i = 500 + (s * 100 + k) % 1500
                let active = rows[i].state == .active
                rows[i].state = active ? .idle : .active
                rows[i].queryAge = active ? rows[i].queryAge : 0.02
                rows[i].stateChange = t - 20_000
                rows[i].stateAge = 0.02
                rows[i].query = "UPDATE orders SET status = $1 WHERE id = \(s % 500)"
            }
            let figures = SampleFigures(rows, server: nil, idleWarn: 60)
            let before = Self.threadCPU()
            opened += try writer.write(rows, figures: figures, at: t).opened.count
            cpu += Self.threadCPU() - before
        }
        writer.close()
        var st = stat()
        _ = stat(path, &st)
        let reader = try RecordingReader(path: path)
        var reads: [Double] = []
        var found = 0
        for _ in 0..<50 {
            let t = t0 + Int64.random(in: 0..<Int64(samples)) * 1_000_000
            let start = Date()
            found += try reader.moment(at: t)?.snapshot.backends.count ?? 0
            reads.append(Date().timeIntervalSince(start))
        }
        reads.sort()
        print(String(format: "measure: %d samples, 2000 backends, %.0f spans opened per sample; %.1f kB per sample (%.1f MB per hour); writer CPU %.2f ms per sample (debug build, diff + SQLite); moment at a random T: median %.1f ms, worst %.1f ms, %d backends each",
                     samples, Double(opened) / Double(samples), Double(st.st_size) / Double(samples) / 1000,
                     Double(st.st_size) / Double(samples) * 3600 / 1e6, cpu / Double(samples) * 1000,
                     reads[reads.count / 2] * 1000, reads.last! * 1000, found / reads.count))
        #expect(found == 50 * 2000)
    }
}
