import PGTopCore

/// A busy server's backends second by second, without a server: what the recorder is given
/// to write a recording of many hours in minutes (`ReplayFigures`). Deterministic (a seeded
/// generator): the same seed gives the same recording.
///
/// 2,000 backends: web sessions that run short statements (one in ten per second; a sample
/// sees most of them idle again, with a new query and state change), API sessions that sit
/// idle in transaction for seconds to minutes, reports running for minutes, a lock pile-up
/// every ten minutes (a holder idle in transaction, 40 waiters blocked behind it for half a
/// minute, each blocked by the ones ahead of it), autovacuum workers coming and going, and a
/// connection pool that replaces a session every second (a new pid, a new backend start).
/// Starts are whole milliseconds, as the refresh gives them; ages are the sample's time minus
/// them. About 150 spans begin per sample, many texts carry literals (a new text now and then).
///
///     var server = SyntheticServer(seed: 1, start: t0)
///     let backends = server.advance()   // the next second
struct SyntheticServer {
    enum Kind { case web, api, report, waiter, holder, vacuum }

    struct Session {
        var kind: Kind
        var backend: Backend
        var queryStart: Int64?
        var xactStart: Int64?
        var stateChange: Int64?
        /// When the session next does something (µs).
        var next: Int64
    }

    private(set) var now: Int64
    private var rng: SplitMix
    private var sessions: [Session] = []
    private var nextPid: Int32 = 10_000
    private let texts: [String]
    static let count = 2000

    init(seed: UInt64, start: Int64) {
        now = start
        rng = SplitMix(seed: seed)
        var texts: [String] = []
        for table in ["orders", "customers", "invoices", "items", "stock", "payments", "sessions", "carts"] {
            texts.append("SELECT * FROM \(table) WHERE id = $1")
            texts.append("UPDATE \(table) SET updated_at = now() WHERE id = $1")
            texts.append("INSERT INTO \(table) SELECT * FROM json_populate_record(NULL::\(table), $1)")
            texts.append("SELECT count(*) FROM \(table) WHERE created_at > now() - interval '1 hour'")
        }
        self.texts = texts
        for i in 0..<Self.count {
            sessions.append(open(Self.kind(i)))
        }
    }

    /// Sessions 0..<1300 web, ..<1700 API, ..<1890 reports, ..<1930 lock waiters, the holder,
    /// three autovacuum workers, the rest web again.
    static func kind(_ i: Int) -> Kind {
        i < 1300 ? .web : i < 1700 ? .api : i < 1890 ? .report : i < waiters.upperBound ? .waiter
            : i == holder ? .holder : i < holder + 4 ? .vacuum : .web
    }

    static let waiters = 1890..<1930
    static let holder = 1930

    /// The backends one second later.
    mutating func advance() -> [Backend] {
        now += 1_000_000
        // The pool replaces a web or API session every second.
        let churn = Int(rng.below(1700))
        sessions[churn] = open(sessions[churn].kind)
        let pileUp = now / 1_000_000 % 600 < 30  // half a minute in ten
        for i in sessions.indices {
            let s = sessions[i]
            switch s.kind {
            case .web where now >= s.next:
                // A short statement ran since the last sample; one in twenty is still running.
                let start = ms(now - Int64(rng.below(900_000)))
                let running = rng.below(20) == 0
                run(i, query: text(), at: start, state: running ? .active : .idle,
                    change: running ? start : start + Int64(rng.below(50)) * 1000, xact: running ? start : nil)
                sessions[i].next = now + 1_000_000 * Int64(1 + rng.below(19))
            case .api where now >= s.next:
                let start = ms(now - Int64(rng.below(500_000)))
                if s.backend.state == .idleInTransaction && rng.below(3) == 0 {
                    run(i, query: "COMMIT", at: start, state: .idle, change: start + 1000, xact: nil)
                } else {
                    run(i, query: text(), at: start, state: .idleInTransaction, change: start + 2000,
                        xact: s.xactStart ?? start)
                }
                sessions[i].next = now + 1_000_000 * Int64(1 + rng.below(90))
            case .report where now >= s.next:
                let start = ms(now)
                run(i, query: "/* report */ SELECT region, sum(total) FROM orders WHERE day = $1 GROUP BY region",
                    at: start, state: .active, change: start, xact: start)
                sessions[i].backend.waitEventType = rng.below(2) == 0 ? "IO" : ""
                sessions[i].backend.waitEvent = sessions[i].backend.waitEventType.isEmpty ? "" : "DataFileRead"
                sessions[i].next = now + 1_000_000 * Int64(60 + rng.below(600))
            case .waiter:
                let waiting = pileUp
                guard waiting != sessions[i].backend.waiting else { break }
                if waiting {
                    let start = ms(now - Int64(i - Self.waiters.lowerBound) * 10_000)
                    run(i, query: "UPDATE stock SET reserved = reserved + 1 WHERE item = 7", at: start, state: .active,
                        change: start, xact: start)
                    var b = sessions[i].backend
                    b.waiting = true; b.waitEventType = "Lock"; b.waitEvent = i == Self.waiters.lowerBound ? "transactionid" : "tuple"
                    b.blockedBy = [sessions[Self.holder].backend.pid] + (Self.waiters.lowerBound..<i).map { sessions[$0].backend.pid }
                    let first = i == Self.waiters.lowerBound
                    b.lockMode = first ? "ShareLock" : "ExclusiveLock"; b.lockTarget = first ? "transactionid" : "stock row"
                    sessions[i].backend = b
                } else {
                    run(i, query: "UPDATE stock SET reserved = reserved + 1 WHERE item = 7", at: ms(now - 5000), state: .idle,
                        change: ms(now - 4000), xact: nil)
                    clearWait(i)
                }
            case .holder:
                let holding = now / 1_000_000 % 600 < 40
                guard holding != (sessions[i].backend.state == .idleInTransaction) else { break }
                let start = ms(now)
                run(i, query: holding ? "UPDATE stock SET reserved = 0 WHERE item = 7" : "COMMIT", at: start,
                    state: holding ? .idleInTransaction : .idle, change: start + 3000, xact: holding ? start : nil)
            case .vacuum where now >= s.next:
                sessions[i] = open(.vacuum)
            default:
                break
            }
            let r = sessions[i]
            sessions[i].backend.queryAge = age(r.queryStart)
            sessions[i].backend.transactionAge = age(r.xactStart)
            sessions[i].backend.stateAge = age(r.stateChange)
            sessions[i].backend.backendAge = age(r.backend.id.start)
        }
        return sessions.map(\.backend)
    }

    private func age(_ start: Int64?) -> Double? { start.map { Double(now - $0) / 1_000_000 } }
    private func ms(_ t: Int64) -> Int64 { t / 1000 * 1000 }

    /// One in five statements carries a literal: texts keep coming, as they do from ORMs.
    private mutating func text() -> String {
        let t = texts[Int(rng.below(UInt64(texts.count)))]
        return rng.below(5) == 0 ? t.replacingFirstParameter(with: rng.below(100_000)) : t
    }

    private mutating func run(_ i: Int, query: String, at start: Int64, state: BackendState, change: Int64, xact: Int64?) {
        sessions[i].backend.query = query
        sessions[i].backend.state = state
        sessions[i].queryStart = start
        sessions[i].xactStart = xact
        sessions[i].stateChange = change
        sessions[i].backend.stateChange = change
    }

    private mutating func clearWait(_ i: Int) {
        var b = sessions[i].backend
        b.waiting = false; b.waitEventType = "Client"; b.waitEvent = "ClientRead"; b.blockedBy = []; b.lockMode = ""; b.lockTarget = ""
        sessions[i].backend = b
    }

    /// A new session of `kind`: a new pid, started now.
    private mutating func open(_ kind: Kind) -> Session {
        nextPid = nextPid >= 4_000_000 ? 10_000 : nextPid + 1
        let start = now - (now == 0 ? 0 : Int64(rng.below(1000)))
        let app: String, user: String, type: String
        switch kind {
        case .web: (app, user, type) = ("web", "app", "client backend")
        case .api, .holder: (app, user, type) = ("orders-api", "app", "client backend")
        case .report: (app, user, type) = ("report-cron", "report", "client backend")
        case .waiter: (app, user, type) = ("billing-worker", "app", "client backend")
        case .vacuum: (app, user, type) = ("", "", "autovacuum worker")
        }
        var b = Backend(id: BackendID(pid: nextPid, start: start), database: kind == .vacuum ? "" : "shop", user: user,
                        client: kind == .vacuum ? "" : "10.0.\(nextPid % 16).\(nextPid % 250)", application: app,
                        state: kind == .vacuum ? .none : .idle, waitEventType: kind == .vacuum ? "" : "Client",
                        waitEvent: kind == .vacuum ? "" : "ClientRead", backendType: type)
        if kind == .vacuum { b.query = "autovacuum: VACUUM public.orders" }
        var s = Session(kind: kind, backend: b, queryStart: nil, xactStart: nil, stateChange: nil,
                        next: now + 1_000_000 * Int64(1 + rng.below(kind == .vacuum ? 300 : 20)))
        if kind != .vacuum {
            let change = ms(start)
            s.queryStart = change; s.stateChange = change
            s.backend.stateChange = change
            s.backend.query = "SET application_name = '\(app)'"
        } else {
            s.queryStart = ms(start); s.xactStart = ms(start)
            s.backend.state = .active
        }
        return s
    }
}

/// SplitMix64: small, fast, and the same sequence for a seed everywhere.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// In 0..<n.
    mutating func below(_ n: UInt64) -> UInt64 { next() % n }
}

extension String {
    /// `WHERE id = $1` with a literal: `WHERE id = 4711`.
    func replacingFirstParameter(with n: UInt64) -> String {
        replacing("$1", with: String(n), maxReplacements: 1)
    }
}
