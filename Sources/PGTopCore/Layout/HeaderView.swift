/// The lines above the table: who and where, the slot budget and who holds the slots, the
/// view. Each line is made of segments in order of importance; at a narrow width the ones that
/// do not fit are left out whole rather than cut mid-word.
enum HeaderView {
    /// Header lines for a screen of `height` rows: one when short, three, four from 16 rows,
    /// five from 20 with the server figures shown.
    static func count(height: Int, stats: Bool = false) -> Int {
        height < 12 ? 1 : (height < 16 ? 3 : (height < 20 || !stats ? 4 : 5))
    }

    static func lines(_ state: AppState, width: Int, count: Int) -> [StyledLine] {
        let ascii = state.asciiOnly
        let backends = state.snapshot?.backends ?? []
        let tally = state.tally
        let budget = state.server.map { SlotBudget(server: $0, clients: tally.clients) }
        let counts = tally.counts
        if count <= 1 { return [compact(state, budget: budget, counts: counts, width: width)] }

        var title: [[Span]] = [[Span("pgtop", .header)]]
        if let link = linkSpan(state) { title.append([link]) }
        if let server = state.server {
            title.append([Span("PostgreSQL \(server.shortVersion)", .normal)])
            title.append([Span(server.endpoint, .normal)])
        }
        if state.paused { title.append([Span("PAUSED", .warn)]) }
        if counts.hidden > 0 {
            title.append([Span("partial view: \(counts.hidden) other sessions hidden (needs pg_monitor)", .warn)])
        }
        if let server = state.server { title.append([Span("as \(server.role)", .normal)]) }
        title.append([Span("refresh \(Format.interval(state.interval))", .normal)])

        var slots: [[Span]] = []
        if let budget { slots.append([slotSpan(budget)]) }
        slots.append([Span("active \(counts.active)", .normal)])
        slots.append([Span("idle in txn \(counts.idleInTransaction)", counts.idleInTransaction > 0 ? .warn : .normal)])
        slots.append([Span("waiting \(counts.waiting)", counts.waiting > 0 ? .warn : .normal)])
        slots.append([Span("idle \(counts.idle)", .normal)])

        var view: [[Span]] = [[Span("View: \(state.filter.view.title)", state.filter.view == .all ? .normal : .warn)]]
        let arrow = state.sort.descending ? (ascii ? "v" : "▼") : (ascii ? "^" : "▲")
        view.append([Span("Sort: \(state.sort.column.title)\(arrow)", .normal)])
        if !state.filter.text.isEmpty { view.append([Span("Filter: \"\(Sanitizer.clean(state.filter.text, ascii: ascii))\"", .warn)]) }
        if let threshold = state.minDurationLabel { view.append([Span(threshold, .warn)]) }
        if !state.marks.isEmpty { view.append([Span("Marked \(state.marks.count)", .marked)]) }
        view.append([Span("Shown \(state.rows.count)/\(backends.count)", .normal)])
        view.append([Span("ELAPSED \(state.elapsed.label)", .normal)])
        if !state.filter.showIdle { view.append([Span("idle hidden", .normal)]) }
        if state.filter.showBackground { view.append([Span("+background", .normal)]) }

        var out = [pack(title, width: width, ascii: ascii), pack(slots, width: width, ascii: ascii)]
        if count >= 5 { out.append(pack(figures(state, longestTransaction: tally.longestTransaction), width: width, ascii: ascii)) }
        if count >= 4 { out.append(pack(holders(tally), width: width, ascii: ascii)) }
        out.append(pack(view, width: width, ascii: ascii))
        return out
    }

    /// `connection lost: server closed the connection unexpectedly; retry in 3s; data 12s old`,
    /// nil while connected.
    static func linkSpan(_ state: AppState) -> Span? {
        guard case .lost(let reason, let since, let retryAt) = state.link else {
            // Connected, but the answer is late: say so before the query is given up on.
            guard let sent = state.awaitingSince, state.now - sent >= max(2, 2 * state.interval) else { return nil }
            return Span("waiting for the server: no answer for \(Format.duration(state.now - sent))", .warn)
        }
        var text = "connection lost: \(reason)"
        if let retryAt, retryAt > state.now {
            text += "; retry in \(Format.duration(max(0, retryAt - state.now).rounded(.up)))"
        } else {
            text += "; reconnecting"
        }
        if let taken = state.snapshot?.takenAt {
            text += "; data \(Format.duration(max(0, state.now - taken))) old"
        } else {
            text += " (\(Format.duration(max(0, state.now - since))) ago)"
        }
        return Span(text, .alarm)
    }

    /// `Connections 35/40 used, 2 free, 3 superuser-reserved`: the free count is what ordinary
    /// roles can still take. In the alarm colour when none is free, the warning colour under 10%.
    static func slotSpan(_ budget: SlotBudget) -> Span {
        var reserved = "\(budget.superuserReserved) superuser-reserved"
        if budget.reserved > 0 { reserved += ", \(budget.reserved) pg_use_reserved" }
        let used = "Connections \(budget.used)/\(budget.max) used"
        switch budget.level {
        case .exhausted: return Span("\(used): NO free slots for ordinary roles (\(reserved))", .alarm)
        case .low: return Span("\(used), only \(budget.freeForOrdinary) free, \(reserved)", .warn)
        case .ok: return Span("\(used), \(budget.freeForOrdinary) free, \(reserved)", .normal)
        }
    }

    /// Who holds the slots: the top users, applications and client addresses.
    static func holders(_ tally: HeaderTally) -> [[Span]] {
        guard tally.clients > 0 else { return [[Span("Held by: nobody else", .normal)]] }
        var segments: [[Span]] = []
        let groups = tally.holders
        for (label, top) in [("user", groups.byUser), ("app", groups.byApplication), ("client", groups.byClient)] {
            let text = top.map { "\($0.name.isEmpty ? "-" : $0.name) \($0.count)" }.joined(separator: ", ")
            segments.append([Span("Held by \(label): ", .normal), Span(text, .normal)])
        }
        return segments
    }

    /// The server's figures: rates over the last interval, cache hit, what holds back vacuum.
    static func figures(_ state: AppState, longestTransaction longest: Double?) -> [[Span]] {
        var out: [[Span]] = []
        let replication = self.replication(state.stats, ascii: state.asciiOnly)
        if state.stats?.inRecovery == true { out += replication }
        if let r = state.rates {
            out.append([Span("TPS \(Format.quantity(r.transactions))", .normal)])
            if state.stats?.inRecovery == false { out += replication }
            out.append([Span("rows/s read \(Format.quantity(r.rowsRead)) ins \(Format.quantity(r.rowsInserted)) "
                             + "upd \(Format.quantity(r.rowsUpdated)) del \(Format.quantity(r.rowsDeleted))", .normal)])
            if let hit = r.cacheHit {
                out.append([Span("cache hit \(Format.percent(hit))", hit < 0.9 ? .warn : .normal)])
            }
            out.append([Span("temp \(Format.quantity(r.tempFiles)) files/s \(Format.bytes(r.tempBytes))/s", r.tempFiles > 0 ? .warn : .normal)])
            if r.deadlocks > 0 { out.append([Span("deadlocks +\(r.deadlocks)", .alarm)]) }
            if r.checkpoints > 0 {
                out.append([Span("checkpoints +\(r.checkpoints)" + (r.checkpointsRequested > 0 ? " (\(r.checkpointsRequested) requested)" : ""),
                                 r.checkpointsRequested > 0 ? .warn : .normal)])
            }
        } else if state.stats == nil {
            out.append([Span("server figures: waiting for the first sample", .dim)])
        } else {
            out.append([Span("server figures: rates from the next sample", .dim)])
            if state.stats?.inRecovery == false { out += replication }
        }
        if let longest, longest >= 1 {
            out.append([Span("longest txn \(Format.duration(longest))", longest >= state.idleWarn ? .warn : .normal)])
        }
        if let xmin = state.stats?.oldestXminAge {
            out.append([Span("oldest xmin \(Format.quantity(Double(xmin))) txns", xmin > 10_000_000 ? .warn : .normal)])
        }
        if let size = state.stats?.databaseBytes { out.append([Span("size \(Format.bytes(Double(size)))", .normal)]) }
        if let h = state.host {
            let load = [h.load1, h.load5, h.load15].map { v -> String in
                let hundredths = Int((max(0, v) * 100).rounded())
                return "\(hundredths / 100).\(Format.two(hundredths % 100))"
            }
            out.append([Span("load " + load.joined(separator: " "), .normal)])
            let used = Double(h.memoryTotal - h.memoryAvailable)
            out.append([Span("mem \(Format.bytes(used))/\(Format.bytes(Double(h.memoryTotal)))",
                             h.memoryAvailable * 10 < h.memoryTotal ? .warn : .normal)])
            if h.swapTotal > 0 {
                out.append([Span("swap \(Format.bytes(Double(h.swapTotal - h.swapFree)))", h.swapFree < h.swapTotal ? .warn : .normal)])
            }
        }
        return out
    }

    /// `STANDBY replay lag 2s, 0 B behind`; on a primary `standby s1 streaming, 1.2 MB 0.3s behind`
    /// per standby; `slot s1 inactive, keeps 1.2 GB` per slot.
    static func replication(_ stats: ServerStats?, ascii: Bool) -> [[Span]] {
        guard let stats else { return [] }
        var out: [[Span]] = []
        if stats.inRecovery {
            var text = "STANDBY"
            if let lag = stats.replayLag { text += " replay lag \(Format.duration(lag))" }
            if let bytes = stats.replayBytes { text += ", \(Format.bytes(Double(bytes))) behind" }
            let late = (stats.replayBytes ?? 0) > 16 * 1_048_576 || ((stats.replayBytes ?? 0) > 0 && (stats.replayLag ?? 0) > 30)
            out.append([Span(text, late ? .warn : .header)])
        }
        for s in stats.standbys {
            var text = "standby \(Sanitizer.clean(s.name.isEmpty ? "?" : s.name, ascii: ascii)) \(s.state)"
            if let b = s.lagBytes { text += ", \(Format.bytes(Double(b))) behind" }
            // write 16 kB 1ms: what the standby has not yet written, flushed, replayed, and for how long.
            let lags = [("write", s.writeBytes, s.writeLag), ("flush", s.flushBytes, s.flushLag), ("replay", nil, s.replayLag)]
                .compactMap { name, bytes, lag -> String? in
                    let parts = [bytes.flatMap { $0 > 0 ? Format.bytes(Double($0)) : nil }, lag.map { Format.seconds($0) }].compactMap { $0 }
                    return parts.isEmpty ? nil : "\(name) " + parts.joined(separator: " ")
                }
            if !lags.isEmpty { text += ", lag " + lags.joined(separator: " ") }
            out.append([Span(text, s.state == "streaming" ? .normal : .warn)])
        }
        for slot in stats.slots {
            var text = "slot \(Sanitizer.clean(slot.name, ascii: ascii))" + (slot.active ? "" : " inactive")
            if let kept = slot.retainedBytes { text += ", keeps \(Format.bytes(Double(kept)))" }
            out.append([Span(text, slot.active ? .normal : .warn)])
        }
        return out
    }

    static func compact(_ state: AppState, budget: SlotBudget?, counts: StateCounts, width: Int) -> StyledLine {
        var segments: [[Span]] = [[Span("pgtop", .header)]]
        if let link = linkSpan(state) { segments.append([link]) }
        if let budget {
            let style: Style = budget.level == .exhausted ? .alarm : (budget.level == .low ? .warn : .normal)
            segments.append([Span("\(budget.used)/\(budget.max) " + (budget.level == .exhausted ? "FULL" : "\(budget.freeForOrdinary) free"), style)])
        }
        segments.append([Span("txn \(counts.idleInTransaction)", counts.idleInTransaction > 0 ? .warn : .normal)])
        if state.paused { segments.append([Span("PAUSED", .warn)]) }
        segments.append([Span("\(state.filter.view.title)", .normal)])
        return pack(segments, width: width, ascii: state.asciiOnly)
    }

    /// Lays segments out left to right, two spaces apart, skipping any that would not fit; the
    /// first is cut to the width if it alone is too wide.
    static func pack(_ segments: [[Span]], width: Int, ascii: Bool) -> StyledLine {
        var spans: [Span] = []
        var used = 0
        for (i, segment) in segments.enumerated() {
            let cells = segment.reduce(0) { $0 + Sanitizer.fit($1.text, width: Int.max, ascii: ascii, foldSpaces: false).cells }
            let gap = spans.isEmpty ? 0 : 2
            if i == 0 || used + gap + cells <= width {
                if gap > 0 { spans.append(Span("  ", .normal)) }
                spans += segment
                used += gap + cells
            }
        }
        return Line.fit(spans, width: width, ascii: ascii)
    }
}
