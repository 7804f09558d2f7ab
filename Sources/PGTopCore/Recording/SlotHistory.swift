/// The samples' slot budgets and times, summed up for the report: the peak of slot use and the
/// stretches under 10% free or exhausted (`SlotBudget.level`), and the gaps between samples.
///
///     SlotHistory.summarize([(t0, budget0), (t1, budget1), ...])   // IncidentReport.Slots
///     SlotHistory.gaps([t0, t1, t2, ...])                          // (median interval, gaps)
public enum SlotHistory {
    public static func summarize(_ samples: [(t: Int64, slots: SlotBudget?)]) -> IncidentReport.Slots {
        var out = IncidentReport.Slots()
        var low: IncidentReport.SlotRange?, exhausted: IncidentReport.SlotRange?
        var lastTime: Int64?
        for (t, budget) in samples {
            lastTime = t
            guard let b = budget else { continue }
            if out.peak == nil || b.used > out.peak!.used {
                out.peak = IncidentReport.SlotPeak(used: b.used, max: b.max, free: b.freeForOrdinary, at: t)
            }
            let level = b.level
            extend(&low, into: &out.low, inside: level != .ok, at: t, free: b.freeForOrdinary)
            extend(&exhausted, into: &out.exhausted, inside: level == .exhausted, at: t, free: b.freeForOrdinary)
        }
        // A stretch still going at the last sample ends there.
        for (range, list) in [(low, \IncidentReport.Slots.low), (exhausted, \IncidentReport.Slots.exhausted)] {
            guard var r = range, let end = lastTime else { continue }
            r.to = end
            r.open = true
            out[keyPath: list].append(r)
        }
        return out
    }

    /// A stretch begins at the first sample inside and ends at the first sample outside.
    private static func extend(_ open: inout IncidentReport.SlotRange?, into list: inout [IncidentReport.SlotRange],
                               inside: Bool, at t: Int64, free: Int) {
        if inside {
            if open == nil { open = IncidentReport.SlotRange(from: t, to: t, lowestFree: free) }
            open!.to = t
            open!.lowestFree = min(open!.lowestFree, free)
        } else if var r = open {
            r.to = t
            list.append(r)
            open = nil
        }
    }

    /// The usual interval between samples (the median, seconds; nil under two samples) and the
    /// gaps: intervals over three times it and over 2 s (the recorder was stopped, the server or
    /// the machine was away).
    public static func gaps(_ times: [Int64]) -> (interval: Double?, gaps: [IncidentReport.Gap]) {
        guard times.count >= 2 else { return (nil, []) }
        var deltas: [Int64] = []
        deltas.reserveCapacity(times.count - 1)
        for i in 1..<times.count { deltas.append(times[i] - times[i - 1]) }
        let median = deltas.sorted()[deltas.count / 2]
        let limit = max(3 * median, 2_000_000)
        var gaps: [IncidentReport.Gap] = []
        for i in 1..<times.count where times[i] - times[i - 1] > limit {
            gaps.append(IncidentReport.Gap(from: times[i - 1], to: times[i]))
        }
        return (Double(median) / 1_000_000, gaps)
    }
}
