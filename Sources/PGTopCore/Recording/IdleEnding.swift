/// How a run of idle in transaction ended, from what the recording holds around its last span:
/// the span that followed it (its session's span beginning where it ended), the session's end,
/// a terminate pgtop sent, an outage, the end of the window.
///
///     IdleEnding.classify(run, next: nil, termination: ("postgres", t), outages: [], windowEnd: last, recordingEnd: last)
///     // (until: t, .terminated(role: "postgres", at: t))
public enum IdleEnding {
    public static func classify(_ run: SpanRun, next: ReportSpan?, termination: (role: String, at: Int64)?,
                                outages: [IncidentReport.Outage], windowEnd: Int64, recordingEnd: Int64)
        -> (until: Int64, ending: IncidentReport.Ending) {
        let last = run.last
        // The outages end every span where they begin: one that began while this span lasted
        // ended it (after the window's end only when the window is the whole recording).
        let reach = windowEnd >= recordingEnd ? Int64.max : windowEnd
        if let o = outages.first(where: { $0.from >= last.from && $0.from <= (last.to ?? Int64.max) && $0.from <= reach }) {
            return (o.from, .serverUnreachable(at: o.from, reason: o.reason))
        }
        guard let to = last.to, to <= windowEnd else {
            return (windowEnd, .stillIdle(endOfRecording: windowEnd >= recordingEnd))
        }
        if let next {
            if !next.isIdleInTransaction, let x = next.transactionStart, x == last.transactionStart {
                return (to, .activeAgain(at: to, nextState: next.state))
            }
            return (to, .transactionEnded(at: to, nextState: next.state))
        }
        if let termination, termination.at >= run.first.from {
            return (min(to, termination.at), .terminated(role: termination.role, at: termination.at))
        }
        return (to, .sessionEnded(at: to))
    }
}
