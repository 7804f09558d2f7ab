/// The backend table: a title row and one line per backend on screen.
enum TableView {
    static func lines(_ state: AppState, width: Int, height: Int) -> [StyledLine] {
        guard height > 0 else { return [] }
        let ascii = state.asciiOnly
        let (layout, visible) = Self.layout(state, width: width, height: height)

        var lines = [titleLine(layout, sort: state.sort, width: width, ascii: ascii)]
        for (offset, backend) in visible.enumerated() {
            let index = state.scroll + offset
            lines.append(row(backend, layout: layout, state: state, selected: index == state.selectedIndex))
        }
        if state.rows.isEmpty && height > 1 {
            let why = state.snapshot == nil ? "waiting for the first snapshot..." : "no backend matches the view and filter"
            lines.append(Line.fit([Span("  " + why, .dim)], width: width, ascii: ascii))
        }
        return lines
    }

    /// The columns for the rows on screen (`height` lines with the title): what is drawn, and
    /// what a click on the title row hits.
    static func layout(_ state: AppState, width: Int, height: Int) -> (TableLayout, ArraySlice<Backend>) {
        let end = min(state.rows.count, state.scroll + height - 1)
        let visible = state.rows[min(state.scroll, end)..<end]
        let layout = TableLayout(width: width, rows: visible, elapsed: state.elapsed, sorted: state.sort.column,
                                 ascii: state.asciiOnly, columns: state.columns, host: state.showHostColumns,
                                 keep: state.filter.view.essentialColumns)
        return (layout, visible)
    }

    static func titleLine(_ layout: TableLayout, sort: SortOrder, width: Int, ascii: Bool) -> StyledLine {
        let arrow = sort.descending ? (ascii ? "v" : "▼") : (ascii ? "^" : "▲")
        var spans = [Span(" ", .columnTitle)]
        for slot in layout.slots {
            let sorted = slot.column == sort.column
            var title = slot.title
            if sorted && CellWidth.of(title) < slot.width { title += arrow }
            // A right-aligned column keeps its title right-aligned when sorted, the arrow inside: the
            // title ends where its numbers end (issue 13.12: ` PID▲ ` over `  4910`).
            let cell = Padding.column(title, width: slot.width, alignRight: slot.column.alignRight, ascii: ascii)
            spans.append(Span(cell, sorted ? .sortedColumnTitle : .columnTitle))
            if slot.column != .query { spans.append(Span(" ", .columnTitle)) }
        }
        return Line.fit(spans, width: width, fill: .columnTitle, ascii: ascii)
    }

    static func row(_ b: Backend, layout: TableLayout, state: AppState, selected: Bool) -> StyledLine {
        let marked = state.isMarked(b.id)
        let style: Style
        switch (selected, marked) {
        case (true, true): style = .selectedMarked
        case (true, false): style = .selected
        case (false, true): style = .marked
        default:
            // While the connection is lost, the last snapshot stays, dimmed: it is getting old.
            if !state.link.isConnected { style = .dim }
            else if state.tree[b.id]?.depth == 0 { style = .stuck }  // a root of the blocking tree: the cause
            else { style = isStuck(b, threshold: state.idleWarn) ? .stuck : .normal }
        }
        var text = marked ? "*" : " "
        for slot in layout.slots {
            let value = slot.column.text(b, elapsed: state.elapsed)
            if slot.column == .query {
                // The tree mark is ours (its indent must not be folded like the query's spaces).
                var room = slot.width
                if let node = state.tree[b.id] {
                    let mark = Sanitizer.fit(treeMark(node, b, ascii: state.asciiOnly), width: room, ascii: state.asciiOnly, foldSpaces: false)
                    text += mark.text
                    room -= mark.cells
                }
                text += Padding.elided(value, width: room, ascii: state.asciiOnly).text
            } else {
                text += Padding.column(value, width: slot.width, alignRight: slot.column.alignRight, ascii: state.asciiOnly) + " "
            }
        }
        return StyledLine([Span(text, style)], fill: style)
    }

    /// Where a row sits in the blocking tree, before its query: `[blocks 3] ` for a root;
    /// beneath it, indented by depth, `└ ` and what it waits for when known
    /// (`[ShareLock on transactionid] `), then `[blocks N] ` if others wait on it in turn.
    static func treeMark(_ node: BlockingTree.Node, _ b: Backend, ascii: Bool) -> String {
        var mark = ""
        if node.depth > 0 {
            mark = String(repeating: "  ", count: node.depth - 1) + (ascii ? "`- " : "└ ")
            if !b.lockMode.isEmpty {
                mark += "[\(b.lockMode)\(b.lockTarget.isEmpty ? "" : " on " + b.lockTarget)] "  // sanitised with the rest
            }
        }
        if node.blocked > 0 || node.depth == 0 { mark += "[blocks \(node.blocked)] " }
        return mark
    }

    /// Idle in transaction for longer than the threshold, or in an aborted transaction.
    static func isStuck(_ b: Backend, threshold: Double) -> Bool {
        if b.state == .idleInTransactionAborted { return true }
        return b.state == .idleInTransaction && (b.transactionAge ?? 0) >= threshold
    }
}
