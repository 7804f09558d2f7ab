import PGTopCore

/// What a replay reads of the whole recording up front: every sample's figures for the
/// timeline strip and the events (a few columns of `samples`, in order of time), the outages,
/// and the server figures' reading before a moment (for the header's rates).
extension RecordingReader {
    /// The samples after `after` (all of them when nil), in order. A damaged file is read as
    /// far as it goes from the start, then from the end back to the damage: `damage` says it
    /// in one line (`not a pgtop recording or damaged: FILE: database disk image is malformed`).
    public func timelinePoints(after: Int64? = nil) -> (points: [ReplayTimeline.Point], damage: String?) {
        let columns = "t_us, slots_used, slots_max, superuser_reserved, reserved, clients, stuck, waiting, longest_xact_s"
        let from = after ?? Int64.min
        var head: [ReplayTimeline.Point] = []
        do {
            try readPoints("SELECT \(columns) FROM samples WHERE t_us > ?1 ORDER BY t_us", from) { head.append($0) }
            return (head, nil)
        } catch {
            var tail: [ReplayTimeline.Point] = []
            let floor = head.last?.time ?? from
            // From the end back; stops at the damage (or at what the first pass read).
            try? readPoints("SELECT \(columns) FROM samples WHERE t_us > ?1 ORDER BY t_us DESC", floor) { tail.append($0) }
            return (head + tail.reversed(), "\(error)")
        }
    }

    private func readPoints(_ sql: String, _ after: Int64, _ take: (ReplayTimeline.Point) -> Void) throws {
        let s = try db.prepare(sql)
        s.bind(1, after)
        while try s.step() {
            var slots: SlotBudget?
            if let used = s.int(1), let max = s.int(2) {
                slots = SlotBudget(used: used, max: max, superuserReserved: s.int(3) ?? 0, reserved: s.int(4) ?? 0)
            }
            take(ReplayTimeline.Point(time: s.int64(0) ?? 0, slots: slots, clients: s.int(5) ?? 0,
                                      stuck: s.int(6) ?? 0, waiting: s.int(7) ?? 0, longestTransaction: s.double(8)))
        }
    }

    /// Every outage, in order: when the server stopped answering, when it answered again
    /// (nil: not within the recording), and why.
    public func outages() throws -> [ReplayTimeline.Outage] {
        let s = try db.prepare("SELECT from_us, to_us, reason FROM outages ORDER BY from_us")
        var out: [ReplayTimeline.Outage] = []
        while try s.step() { out.append(ReplayTimeline.Outage(from: s.int64(0) ?? 0, to: s.int64(1), reason: s.text(2) ?? "")) }
        return out
    }

    /// The server's counters at `t`: the last reading at or before it and the one before
    /// that (within two minutes), from which the header's rates come.
    public func statsReadings(at t: Int64) throws -> (current: ServerStats?, previous: ServerStats?) {
        let s = try db.prepare(SampleRow.select + " WHERE t_us <= ?1 AND t_us > ?1 - 120000000 AND stats_at IS NOT NULL ORDER BY t_us DESC LIMIT 2")
        s.bind(1, t)
        var found: [ServerStats] = []
        while try s.step() { if let stats = SampleRow.read(s).figures.stats { found.append(stats) } }
        return (found.first, found.dropFirst().first)
    }
}
