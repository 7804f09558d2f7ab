import PGTopCore

/// A server's backends second by second, as its refreshes would give them: 50 web sessions
/// running a query every 7 s, cron jobs that `BEGIN` and sit idle in transaction in three waves
/// (at 20, 40 and 60 s; the first wave is terminated at 80 s), a lock pile-up on the first cron
/// session from 70 to 80 s, a pid reused at 90 s, an autovacuum launcher. Every field at second
/// `s` is a function of `s`, so a test knows exactly what was alive at any sample.
enum Incident {
    static let t0: Int64 = 1_795_000_000_000_000  // a whole second
    static func time(_ s: Double) -> Int64 { t0 + Int64((s * 1_000_000).rounded()) }

    /// The backends as the screen had them at second `s`.
    static func backends(at s: Int) -> [Backend] {
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
