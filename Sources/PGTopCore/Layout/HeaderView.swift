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
        // A recording without the server's settings has no budget to show (max_connections 0).
        let budget = state.server.flatMap { $0.maxConnections > 0 ? SlotBudget(server: $0, clients: tally.clients) : nil }
        let counts = tally.counts
        if count <= 1 { return [compact(state, budget: budget, counts: counts, width: width)] }

        var title: [Segment] = [[Span("pgtop", .header)]]
        if let replay = state.replay {
            title += replaySegments(replay)
        } else if let link = linkSpan(state) {
            title.append([link])
        }
        if let server = state.server {
            if !server.version.isEmpty { title.append([Span("PostgreSQL \(server.shortVersion)", .normal)]) }
            title.append([Span(server.endpoint, .normal)])
        }
        if state.paused && state.replay == nil { title.append([Span("PAUSED", .warn)]) }
        if counts.hidden > 0 { title.append(partialWarning(counts.hidden)) }
        if let server = state.server, !server.role.isEmpty { title.append([Span("as \(server.role)", .normal)]) }
        if let replay = state.replay {
            title.append([Span("sample \(replay.index + 1)/\(replay.count)", .normal)])
        } else {
            title.append([Span("refresh \(Format.interval(state.interval))", .normal)])
        }

        // A partial view counts only the sessions it sees: `active ≥0`, never a false `active 0`.
        let atLeast = counts.hidden > 0 ? (ascii ? ">=" : "≥") : ""
        var slots: [Segment] = []
        if let budget { slots.append(slotSegment(budget)) }
        slots.append([Span("active \(atLeast)\(counts.active)", .normal)])
        slots.append([Span("idle in txn \(atLeast)\(counts.idleInTransaction)", counts.idleInTransaction > 0 ? .warn : .normal)])
        slots.append([Span("waiting \(atLeast)\(counts.waiting)", counts.waiting > 0 ? .warn : .normal)])
        slots.append([Span("idle \(atLeast)\(counts.idle)", .normal)])

        var view: [Segment] = [[Span("View: \(state.filter.view.title)", state.filter.view == .all ? .normal : .warn)]]
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

    /// `REPLAY 2026-11-24 20:30:12` (the recorded moment, local time), `OUTAGE: reason` while
    /// the server was unreachable then, and `paused` / `playing 4x` / `following`. Said in the
    /// warning colour, so a narrow header keeps them.
    static func replaySegments(_ replay: ReplayStatus) -> [Segment] {
        var out: [Segment] = [Segment([Span("REPLAY \(replay.clock.dateTime(replay.time))", .warn)],
                                      or: [Span("REPLAY \(replay.clock.time(replay.time))", .warn)])]
        if let outage = replay.outage {
            out.append(Segment([Span("OUTAGE: \(outage)", .alarm)], or: [Span("OUTAGE", .alarm)]))
        }
        out.append([Span(replay.pace, replay.playing || replay.following ? .warn : .normal)])
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
    /// Narrower forms drop whole words: `Connections 35/40, 2 free`, then `35/40 used, 2 free`.
    static func slotSegment(_ budget: SlotBudget) -> Segment {
        var reserved = "\(budget.superuserReserved) superuser-reserved"
        if budget.reserved > 0 { reserved += ", \(budget.reserved) pg_use_reserved" }
        let used = "Connections \(budget.used)/\(budget.max) used"
        let fraction = "\(budget.used)/\(budget.max)"
        switch budget.level {
        case .exhausted:
            return Segment([Span("\(used): NO free slots for ordinary roles (\(reserved))", .alarm)],
                           or: [Span("\(used): NO free slots for ordinary roles", .alarm)],
                           [Span("Connections \(fraction): NO free slots", .alarm)], [Span("\(fraction) FULL", .alarm)])
        case .low:
            return Segment([Span("\(used), only \(budget.freeForOrdinary) free, \(reserved)", .warn)],
                           or: [Span("Connections \(fraction), only \(budget.freeForOrdinary) free", .warn)],
                           [Span("\(fraction), \(budget.freeForOrdinary) free", .warn)])
        case .ok:
            return Segment([Span("\(used), \(budget.freeForOrdinary) free, \(reserved)", .normal)],
                           or: [Span("Connections \(fraction), \(budget.freeForOrdinary) free", .normal)],
                           [Span("\(fraction), \(budget.freeForOrdinary) free", .normal)])
        }
    }

    /// `slotSegment`'s widest form, as one span.
    static func slotSpan(_ budget: SlotBudget) -> Span { slotSegment(budget).forms[0][0] }

    /// What a role without pg_monitor sees is partial: said in the warning colour, in a
    /// shorter form rather than not at all.
    static func partialWarning(_ hidden: Int) -> Segment {
        Segment([Span("partial view: \(hidden) other sessions hidden (needs pg_monitor)", .warn)],
                or: [Span("partial view: \(hidden) hidden (needs pg_monitor)", .warn)],
                [Span("partial: \(hidden) hidden", .warn)], [Span("partial", .warn)])
    }

    /// Who holds the slots: the top users, applications and client addresses.
    static func holders(_ tally: HeaderTally) -> [Segment] {
        guard tally.clients > 0 else { return [[Span("Held by: nobody else", .normal)]] }
        var segments: [Segment] = []
        let groups = tally.holders
        for (label, top) in [("user", groups.byUser), ("app", groups.byApplication), ("client", groups.byClient)] {
            let text = top.map { "\($0.name.isEmpty ? "-" : $0.name) \($0.count)" }.joined(separator: ", ")
            segments.append([Span("Held by \(label): ", .normal), Span(text, .normal)])
        }
        return segments
    }

    /// The server's figures: rates over the last interval, cache hit, what holds back vacuum.
    static func figures(_ state: AppState, longestTransaction longest: Double?) -> [Segment] {
        var out: [Segment] = []
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
            out.append([Span(state.replay == nil ? "server figures: waiting for the first sample" : "server figures: none recorded here", .dim)])
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
    static func replication(_ stats: ServerStats?, ascii: Bool) -> [Segment] {
        guard let stats else { return [] }
        var out: [Segment] = []
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
        var segments: [Segment] = [[Span("pgtop", .header)]]
        if let replay = state.replay {
            segments.append([Span("REPLAY \(replay.clock.time(replay.time))", .warn)])
            if replay.outage != nil { segments.append([Span("OUTAGE", .alarm)]) }
        } else if let link = linkSpan(state) {
            segments.append([link])
        }
        if let budget {
            let style: Style = budget.level == .exhausted ? .alarm : (budget.level == .low ? .warn : .normal)
            segments.append([Span("\(budget.used)/\(budget.max) " + (budget.level == .exhausted ? "FULL" : "\(budget.freeForOrdinary) free"), style)])
        }
        let atLeast = counts.hidden > 0 ? (state.asciiOnly ? ">=" : "≥") : ""
        segments.append([Span("txn \(atLeast)\(counts.idleInTransaction)", counts.idleInTransaction > 0 ? .warn : .normal)])
        if counts.hidden > 0 { segments.append(Segment([Span("partial: \(counts.hidden) hidden", .warn)], or: [Span("partial", .warn)])) }
        if let replay = state.replay {
            segments.append([Span(replay.pace, .normal)])
        } else if state.paused {
            segments.append([Span("PAUSED", .warn)])
        }
        segments.append([Span("\(state.filter.view.title)", .normal)])
        return pack(segments, width: width, ascii: state.asciiOnly)
    }

    /// One item of a header line: its widest form first, then narrower ones made of whole words.
    struct Segment: ExpressibleByArrayLiteral {
        var forms: [[Span]]

        init(_ spans: [Span], or narrower: [Span]...) { forms = [spans] + narrower }
        init(arrayLiteral spans: Span...) { forms = [spans] }

        /// Warnings and alarms are the last to give way.
        var isUrgent: Bool { forms[0].contains { $0.style == .warn || $0.style == .alarm } }
    }

    /// Lays segments out left to right, two spaces apart. Which ones are kept is decided first
    /// for the first segment, then for the warnings and alarms, then for the rest in order; each
    /// takes its widest form that fits while leaving room for the narrowest form of every warning
    /// still to come, and one that fits in no form is left out whole. Only the first, alone too
    /// wide in every form, is cut (with `…`).
    static func pack(_ segments: [Segment], width: Int, ascii: Bool) -> StyledLine {
        func cells(_ spans: [Span]) -> Int {
            spans.reduce(0) { $0 + Sanitizer.fit($1.text, width: Int.max, ascii: ascii, foldSpaces: false).cells }
        }
        let sizes = segments.map { $0.forms.map(cells) }
        var chosen = [Int?](repeating: nil, count: segments.count)
        var used = 0
        var count = 0
        let urgent = segments.indices.dropFirst().filter { segments[$0].isUrgent }
        let rest = segments.indices.dropFirst().filter { !segments[$0].isUrgent }
        let order = (segments.isEmpty ? [] : [0]) + urgent + rest
        for (step, i) in order.enumerated() {
            let gap = count == 0 ? 0 : 2
            // Room kept for the warnings after this one, in their narrowest forms.
            let reserve = order.dropFirst(step + 1).filter { urgent.contains($0) }
                .reduce(0) { $0 + 2 + (sizes[$1].min() ?? 0) }
            let fits = { (form: Int, keep: Int) in used + gap + sizes[i][form] + keep <= width }
            if let form = sizes[i].indices.first(where: { fits($0, reserve) }) ?? sizes[i].indices.first(where: { fits($0, 0) }) {
                chosen[i] = form
                used += gap + sizes[i][form]
                count += 1
            } else if i == 0 {
                chosen[i] = segments[i].forms.count - 1
                used = width
                count += 1
            }
        }
        var spans: [Span] = []
        for (i, form) in chosen.enumerated() {
            guard let form else { continue }
            if !spans.isEmpty { spans.append(Span("  ", .normal)) }
            spans += segments[i].forms[form]
        }
        return Line.fit(spans, width: width, ascii: ascii)
    }
}
