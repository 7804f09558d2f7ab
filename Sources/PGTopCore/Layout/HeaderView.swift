/// The lines above the table: who and where, the slot budget, backend counts, the view.
enum HeaderView {
    /// Three lines for a full screen, one when the terminal is short.
    static func lines(_ state: AppState, width: Int, compact: Bool) -> [StyledLine] {
        let ascii = state.asciiOnly
        var title: [Span] = [Span("pgtop", .header)]
        if let server = state.server {
            title.append(Span("  PostgreSQL \(server.shortVersion)  \(server.endpoint)  as \(server.role)", .normal))
        }
        title.append(Span("  refresh \(Format.interval(state.interval))", .normal))
        if state.paused { title.append(Span("  PAUSED", .warn)) }

        let budget = state.server.map { SlotBudget(server: $0, backends: state.snapshot?.backends ?? []) }
        let counts = StateCounts(state.snapshot?.backends ?? [])
        var slots: [Span] = []
        if let budget {
            let style: Style = budget.level == .exhausted ? .alarm : (budget.level == .low ? .warn : .normal)
            var reserved = "\(budget.superuserReserved) superuser"
            if budget.reserved > 0 { reserved += " + \(budget.reserved) reserved" }
            let free = budget.level == .exhausted
                ? "NO free slots for ordinary roles"
                : "\(budget.freeForOrdinary) free"
            slots.append(Span("Connections \(budget.used)/\(budget.max) used, \(free) (\(reserved))", style))
            slots.append(Span("  ", .normal))
        }
        slots.append(Span("active \(counts.active)  idle \(counts.idle)  idle in txn \(counts.idleInTransaction)", .normal))
        slots.append(Span("  waiting \(counts.waiting)", counts.waiting > 0 ? .warn : .normal))

        let arrow = state.sort.descending ? (ascii ? "v" : "▼") : (ascii ? "^" : "▲")
        var view: [Span] = [
            Span("View: \(state.filter.view.title)", state.filter.view == .all ? .normal : .warn),
            Span("  Sort: \(state.sort.column.title)\(arrow)", .normal),
            Span("  ELAPSED \(state.elapsed.label)", .normal),
        ]
        if !state.filter.text.isEmpty { view.append(Span("  Filter: \"\(Sanitizer.clean(state.filter.text, ascii: ascii))\"", .warn)) }
        if !state.filter.showIdle { view.append(Span("  idle hidden", .normal)) }
        if state.filter.showBackground { view.append(Span("  +background", .normal)) }
        view.append(Span("  Shown \(state.rows.count)/\(state.snapshot?.backends.count ?? 0)", .normal))
        if !state.marks.isEmpty { view.append(Span("  Marked \(state.marks.count)", .marked)) }

        if compact {
            let used = budget.map { "\($0.used)/\($0.max) " + ($0.level == .exhausted ? "FULL" : "\($0.freeForOrdinary) free") } ?? ""
            let style: Style = budget?.level == .exhausted ? .alarm : (budget?.level == .low ? .warn : .header)
            return [Line.fit([Span("pgtop ", .header), Span(used, style), Span(" txn \(counts.idleInTransaction)", .normal)] + (state.paused ? [Span(" PAUSED", .warn)] : []), width: width, ascii: ascii)]
        }
        return [title, slots, view].map { Line.fit($0, width: width, ascii: ascii) }
    }
}

/// Backend counts by state, over client backends.
struct StateCounts {
    var active = 0, idle = 0, idleInTransaction = 0, waiting = 0

    init(_ backends: [Backend]) {
        for b in backends where b.isClientBackend {
            switch b.state {
            case .active, .fastpath: active += 1
            case .idle: idle += 1
            case .idleInTransaction, .idleInTransactionAborted: idleInTransaction += 1
            default: break
            }
            if b.waiting { waiting += 1 }
        }
    }
}
