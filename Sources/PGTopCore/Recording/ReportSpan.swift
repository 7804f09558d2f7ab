/// A row of a recording's `spans` as the report reads it (no wait event, no flags), and the
/// runs the report is made of: consecutive spans of one session in one state of interest.
///
///     let spans: [ReportSpan] = ...                        // in order of `from`
///     SpanRun.idleInTransaction(spans)                     // one run per transaction left idle
///     SpanRun.lockWaits(spans)                             // one run per statement seen waiting
public struct ReportSpan: Sendable, Equatable {
    /// `sessions.id`.
    public var session: Int64
    public var from: Int64
    /// nil: the recorder stopped without closing it (it lasted until the end of the recording).
    public var to: Int64?
    public var state: String
    public var waiting: Bool
    public var blockedBy: [Int32]
    public var lockMode: String
    public var lockTarget: String
    public var queryStart: Int64?
    public var transactionStart: Int64?
    public var stateChange: Int64?
    public var query: String
    /// Only when it differs from the session's (a `SET application_name`).
    public var application: String?

    public init(session: Int64, from: Int64, to: Int64?, state: String, waiting: Bool = false, blockedBy: [Int32] = [],
                lockMode: String = "", lockTarget: String = "", queryStart: Int64? = nil, transactionStart: Int64? = nil,
                stateChange: Int64? = nil, query: String = "", application: String? = nil) {
        self.session = session; self.from = from; self.to = to; self.state = state; self.waiting = waiting
        self.blockedBy = blockedBy; self.lockMode = lockMode; self.lockTarget = lockTarget; self.queryStart = queryStart
        self.transactionStart = transactionStart; self.stateChange = stateChange; self.query = query
        self.application = application
    }

    /// `idle in transaction` or `idle in transaction (aborted)`.
    public var isIdleInTransaction: Bool { state.hasPrefix("idle in transaction") }
}

/// Consecutive spans of one session (each beginning where the one before ended) that are one
/// thing to the report: a transaction left idle, a statement waiting for a lock.
public struct SpanRun: Sendable, Equatable {
    public var first: ReportSpan
    public var last: ReportSpan
    /// A lock's mode and target when some span of the run had them (recorded only while the
    /// blocking view asked for them).
    public var lockMode = "", lockTarget = ""

    public init(first: ReportSpan, last: ReportSpan) { self.first = first; self.last = last }

    public var session: Int64 { first.session }

    /// The spans idle in transaction, grouped: a run goes on while the next span of its session
    /// begins where it ended and keeps the transaction's start (a span also ends on a rollover
    /// or when a wait event changes; those are the same stretch). `outages`: when pgtop lost
    /// the server at `end` and saw it again at the sample `resume`, a session idle in the same
    /// transaction at `resume` as at `end` sat through it (the outage ended its spans, not it).
    public static func idleInTransaction(_ spans: [ReportSpan], outages: [(end: Int64, resume: Int64)] = []) -> [SpanRun] {
        runs(spans.lazy.filter(\.isIdleInTransaction), follows: { last, next in
            last.to == next.from || (last.transactionStart != nil && outages.contains { o in
                last.to == Swift.max(last.from + 1, o.end) && next.from == o.resume
            })
        }, same: { $0.transactionStart == $1.transactionStart })
    }

    /// The spans waiting for a lock, grouped by statement (its query start): the blockers may
    /// change while it waits; it is one wait.
    public static func lockWaits(_ spans: [ReportSpan]) -> [SpanRun] {
        runs(spans.lazy.filter(\.waiting)) { $0.queryStart == $1.queryStart }
    }

    /// Groups spans (in order of `from`) into runs of one session, each span beginning where the
    /// one before it ended (`follows`), for which `same(previous, next)` holds; the run's lock is the first one named in it.
    static func runs<S: Sequence>(_ spans: S, follows: (ReportSpan, ReportSpan) -> Bool = { $0.to == $1.from },
                                  same: (ReportSpan, ReportSpan) -> Bool) -> [SpanRun] where S.Element == ReportSpan {
        var out: [SpanRun] = []
        var open: [Int64: Int] = [:]
        for s in spans {
            let i: Int
            if let j = open[s.session], follows(out[j].last, s), same(out[j].last, s) {
                i = j
                out[i].last = s
            } else {
                i = out.count
                open[s.session] = i
                out.append(SpanRun(first: s, last: s))
            }
            if out[i].lockMode.isEmpty && !s.lockMode.isEmpty {
                out[i].lockMode = s.lockMode
                out[i].lockTarget = s.lockTarget
            }
        }
        return out
    }
}
