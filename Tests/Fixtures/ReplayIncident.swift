import PGTopCore
import PGTopStore

/// The scripted incident of the store's tests (Tests/PGTopStoreTests/Incident.swift), starting
/// at 2026-11-24 00:19:00 UTC, written as a recording a replay can be tested on: 50 web
/// sessions running a query every 7 s, cron jobs that `BEGIN` and sit idle in transaction in
/// three waves (at 20, 40 and 60 s; the first wave terminated by pgtop at 79.5 s, gone at 80),
/// a lock pile-up of three sessions from 70 to 80 s, a pid reused at 90 s, and (with
/// `outage`) the server unreachable from 100.5 to 104.5 s. 80 slots: under 10% free from 60 s.
/// Every field at second `s` is a function of `s`, so a test knows what was alive at any sample.
public enum ReplayIncident {
    /// 2026-11-24 00:19:00 UTC.
    public static let t0: Int64 = 1_795_479_540_000_000
    public static func time(_ s: Double) -> Int64 { t0 + Int64((s * 1_000_000).rounded()) }

    public static let server = ServerInfo(versionNumber: 170000, version: "17.0", endpoint: "/tmp:5432/shop", maxConnections: 80)

    /// The pids of each cron wave's five sessions (wave 0, 1, 2).
    public static func wave(_ n: Int) -> [Int32] { (0..<5).map { Int32(2000 + n * 10 + $0) } }

    /// Writes seconds `range` (skipping the outage's, with `outage`) into `path`; returns the
    /// writer when `keepOpen` (a recording still being written), else closes it.
    @discardableResult
    public static func record(_ range: ClosedRange<Int> = 0...119, into path: String, outage: Bool = true,
                              keepOpen: Bool = false, meta: [String: String] = [:]) throws -> RecordingWriter? {
        let writer = try RecordingWriter(path: path, meta: ["server": server.endpoint].merging(meta) { $1 })
        try write(range, with: writer, outage: outage)
        if keepOpen { return writer }
        writer.close()
        return nil
    }

    /// Writes seconds `range` with an open writer.
    public static func write(_ range: ClosedRange<Int>, with writer: RecordingWriter, outage: Bool = true) throws {
        for s in range {
            if outage && (101...104).contains(s) { continue }
            if outage && s == 105 { try writer.outageEnded(at: time(104.5)) }
            if s == 80 {
                for pid in wave(0) {
                    let id = BackendID(pid: pid, start: time(19.5))
                    try writer.action(at: time(79.5), id: id, kind: "terminate", outcome: "terminated",
                                      line: "2026-11-24T00:20:19.5Z server=/tmp:5432/shop action=terminate pid=\(pid) outcome=terminated")
                }
            }
            let b = backends(at: s)
            try writer.write(b, figures: SampleFigures(b, server: server, idleWarn: 10), at: time(Double(s)))
            if outage && s == 100 { try writer.outageBegan(at: time(100.5), reason: "server closed the connection unexpectedly") }
        }
    }

    /// The backends as the screen had them at second `s`.
    /// `t0`: another start (the store's tests' `Incident` runs the same script from an earlier second).
    public static func backends(at s: Int, t0 base: Int64 = t0) -> [Backend] {
        func time(_ x: Double) -> Int64 { base + Int64((x * 1_000_000).rounded()) }
        let now = time(Double(s))
        func age(_ from: Int64?) -> Double? { from.map { Double(now - $0) / 1_000_000 } }
        func make(_ pid: Int32, start: Int64, app: String, user: String = "app", state: BackendState, query: String,
                  queryStart: Int64?, xactStart: Int64?, stateChange: Int64?, type: String = "client backend") -> Backend {
            Backend(id: BackendID(pid: pid, start: start), database: "shop", user: user, client: "10.0.0.\(pid % 200)",
                    application: app, state: state, backendType: type, queryAge: age(queryStart),
                    transactionAge: age(xactStart), backendAge: age(start), query: query, stateChange: stateChange,
                    stateAge: age(stateChange))
        }
        var out: [Backend] = []
        out.append(make(50, start: time(-86_400), app: "", user: "", state: .none, query: "", queryStart: nil,
                        xactStart: nil, stateChange: nil, type: "autovacuum launcher"))
        for i in 0..<50 {
            let offset = i % 7
            let last = s >= offset ? s - (s - offset) % 7 : offset - 7
            let running = last == s
            let start = time(Double(last)), change = running ? start : start + 200_000
            out.append(make(Int32(1000 + i), start: time(-3600), app: "web", state: running ? .active : .idle,
                            query: "SELECT * FROM orders WHERE id = $\(i % 3)", queryStart: start,
                            xactStart: running ? start : nil, stateChange: change))
        }
        for wave in 0..<3 where s >= 20 * (wave + 1) && !(wave == 0 && s >= 80) {
            let began = time(Double(20 * (wave + 1)))
            for j in 0..<5 {
                let xact = began - 400_000 + Int64(j) * 1000
                out.append(make(Int32(2000 + wave * 10 + j), start: began - 500_000, app: "cron-wave-\(wave)",
                                state: .idleInTransaction, query: "UPDATE orders SET status = 'late' WHERE batch = \(j)",
                                queryStart: xact + 100_000, xactStart: xact, stateChange: xact + 150_000))
            }
        }
        for j in 0..<3 {
            let pid = Int32(3000 + j), start = time(-10)
            if s >= 70 && s < 80 {
                let q = time(69.5) + Int64(j) * 100_000
                var b = make(pid, start: start, app: "api", state: .active, query: "UPDATE orders SET n = n + 1 WHERE id = 7",
                             queryStart: q, xactStart: q, stateChange: q)
                b.waiting = true; b.waitEventType = "Lock"; b.waitEvent = j == 0 ? "transactionid" : "tuple"
                b.blockedBy = j == 0 ? [2000] : [2000, 3000]
                b.lockMode = j == 0 ? "ShareLock" : "ExclusiveLock"; b.lockTarget = j == 0 ? "transactionid" : "orders row"
                out.append(b)
            } else {
                let q = s < 70 ? time(-5) : time(69.5) + Int64(j) * 100_000
                out.append(make(pid, start: start, app: "api", state: .idle, query: "UPDATE orders SET n = n + 1 WHERE id = 7",
                                queryStart: q, xactStart: nil, stateChange: s < 70 ? q + 10_000 : time(80)))
            }
        }
        if s < 90 {
            out.append(make(4000, start: time(-10), app: "psql", state: .idle, query: "SELECT 1", queryStart: time(-5),
                            xactStart: nil, stateChange: time(-4)))
        } else {
            out.append(make(4000, start: time(90), app: "psql", state: .active, query: "VACUUM orders", queryStart: time(90),
                            xactStart: time(90), stateChange: time(90)))
        }
        return out
    }
}
