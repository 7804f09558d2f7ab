import PGTopCore

/// The rows a replay finds its events in (`ReplayEvents`, pure): the spans idle in transaction,
/// pgtop's actions, and how many sessions ended at each sample. Each reads only what lies
/// after a time, so a recording being written is read again from where the last look ended.
extension RecordingReader {
    /// The spans idle in transaction (aborted or not) that began after `from` and at or before
    /// `through`: one range of the spans' key, so a large file is read in pieces.
    public func idleSpans(from: Int64, through: Int64) throws -> [RecordedIdleSpan] {
        let s = try db.prepare("""
            SELECT session, from_us, to_us, xact_start_us, state_change_us, state FROM spans
            WHERE from_us > ?1 AND from_us <= ?2 AND state LIKE 'idle in transaction%' ORDER BY from_us
            """)
        s.bind(1, from)
        s.bind(2, through)
        var out: [RecordedIdleSpan] = []
        while try s.step() {
            out.append(RecordedIdleSpan(session: s.int64(0) ?? 0, from: s.int64(1) ?? 0, to: s.int64(2),
                                        transactionStart: s.int64(3), stateChange: s.int64(4),
                                        aborted: s.text(5) == "idle in transaction (aborted)"))
        }
        return out
    }

    /// The cancels and terminates pgtop sent after `after`, in order.
    public func actions(after: Int64? = nil) throws -> [RecordedAction] {
        let s = try db.prepare("SELECT t_us, pid, kind, outcome FROM actions WHERE t_us > ?1 ORDER BY t_us")
        s.bind(1, after ?? Int64.min)
        var out: [RecordedAction] = []
        while try s.step() {
            out.append(RecordedAction(time: s.int64(0) ?? 0, pid: Int32(truncatingIfNeeded: s.int64(1) ?? 0),
                                      kind: s.text(2) ?? "", outcome: s.text(3) ?? ""))
        }
        return out
    }

    /// How many sessions ended at each time after `after` (`sessions.end_us`: the first
    /// sample a session was no longer in), in order.
    public func sessionEnds(after: Int64? = nil) throws -> [(time: Int64, count: Int)] {
        let s = try db.prepare("SELECT end_us, count(*) FROM sessions WHERE end_us > ?1 GROUP BY end_us ORDER BY end_us")
        s.bind(1, after ?? Int64.min)
        var out: [(time: Int64, count: Int)] = []
        while try s.step() { out.append((s.int64(0) ?? 0, s.int(1) ?? 0)) }
        return out
    }
}
