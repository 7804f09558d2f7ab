/// Keys in, effects out: the state machine of the screen.
extension AppState {
    /// Handles one key in the current mode; what the filter prompt typed is applied to the rows at once.
    public mutating func handle(_ key: Key) -> [Effect] {
        let effects = handleInBatch(key)
        applyTypedFilter()
        return effects
    }

    /// Handles one key of those one read drained. What the filter prompt types is applied to the
    /// rows by `applyTypedFilter()` once the batch is done, or before a key of another mode: a
    /// paste of a thousand characters filters the rows once, not a thousand times.
    public mutating func handleInBatch(_ key: Key) -> [Effect] {
        if case .filter = mode {} else { applyTypedFilter() }
        if key == .resize { return [] }
        if key == .pasteBegin || key == .pasteEnd || pasting { return handlePaste(key) }
        if case .mouse(let mouse) = key { return handle(mouse) }
        switch mode {
        case .help(let position):
            return handleHelpKey(key, at: position)
        case .filter(let draft):
            return handleFilterKey(key, draft: draft)
        case .minDuration(let draft):
            return handleMinDurationKey(key, draft: draft)
        case .replayTime(let draft):
            return handleReplayTimeKey(key, draft: draft)
        case .confirm(let confirmation):
            mode = .table
            if key == .char("y") {
                message = Message("\(confirmation.kind.verb) sent to \(confirmation.targets.count) backend(s)...")
                // Acted on: a later k must not take them again unseen (a c, then a k).
                marks.subtract(confirmation.targets)
                return [.signal(confirmation.kind, confirmation.backends, pidOnly: confirmation.pidOnly)]
            }
            message = Message("\(confirmation.kind.verb) aborted: nothing was sent")
            return []
        case .table:
            if let effects = handleReplayKey(key) { return effects }
            guard let action = KeyMap.action(for: key) else { return [] }
            return apply(action)
        case .detail(let id, let scroll):
            return handleDetailKey(key, id: id, scroll: scroll)
        case .columns(let cursor, let order):
            return handleColumnsKey(key, cursor: cursor, order: order)
        }
    }

    /// The detail view: scroll, act on this backend, write its query, go back.
    mutating func handleDetailKey(_ key: Key, id: BackendID, scroll: Int) -> [Effect] {
        switch key {
        case .escape, .char("q"), .left, .backspace:
            mode = .table
        case .up: mode = .detail(id, scroll: max(0, scroll - 1))
        case .down: mode = .detail(id, scroll: scroll + 1)
        case .pageUp: mode = .detail(id, scroll: max(0, scroll - pageSize))
        case .pageDown, .char(" "): mode = .detail(id, scroll: scroll + pageSize)
        case .home, .char("g"): mode = .detail(id, scroll: 0)
        case .char("k"), .function(9), .char("c"):
            let kind: SignalKind = key == .char("c") ? .cancel : .terminate
            guard let backend = snapshot?.backends.first(where: { $0.id == id }) else {
                message = Message("backend \(id.pid) has ended", isError: true)
                break
            }
            askToSignal(kind, targets: [backend])
        case .char("w"):
            guard let detail, detail.id == id, let query = detail.query else {
                message = Message("the query of \(id.pid) is not loaded yet", isError: true)
                break
            }
            return [.writeQuery(id, query)]
        case .ctrl("c"), .function(10):
            return [.quit]
        case .ctrl("l"):
            return [.redrawAll, .fetchDetail(id)]
        case .char("t"):
            break  // the time prompt belongs to the table
        default:
            // In a replay the detail moves through time with the rest of the screen.
            return handleReplayKey(key) ?? []
        }
        return []
    }

    /// Carries out one table action.
    public mutating func apply(_ action: Action) -> [Effect] {
        switch action {
        case .quit: return [.quit]
        case .help: mode = .help(HelpPosition())
        case .redraw: return [.redrawAll]
        case .moveUp: select(selectedIndex - 1)
        case .moveDown: select(selectedIndex + 1)
        case .pageUp: select(selectedIndex - pageSize)
        case .pageDown: select(selectedIndex + pageSize)
        case .home: select(0)
        case .end: select(rows.count - 1)
        case .sortLeft, .sortRight:
            // Round the columns shown: the host ones only while they are on.
            var all = Column.shown(columns, host: showHostColumns)
            if !all.contains(sort.column) { all.append(sort.column) }
            let here = all.firstIndex(of: sort.column) ?? 0
            let step = action == .sortLeft ? all.count - 1 : 1
            let column = all[(here + step) % all.count]
            sort = SortOrder(column: column, descending: column.defaultDescending)
            recompute()
        case .invertSort:
            sort.descending.toggle()
            recompute()
        case .toggleMark:
            guard let id = selectedBackend?.id else { break }
            if marks.contains(id) { marks.remove(id) } else { marks.insert(id) }
            select(selectedIndex + 1)
        case .markAll:
            marks.formUnion(rows.map(\.id))
            message = Message("\(marks.count) marked")
        case .unmarkAll:
            marks.removeAll()
        case .terminate: askToSignal(.terminate)
        case .cancel: askToSignal(.cancel)
        case .openFilter: mode = .filter(draft: filter.text)
        case .openMinDuration: mode = .minDuration(draft: minDuration.map(DurationText.text) ?? "")
        case .toggleIdle:
            filter.showIdle.toggle()
            recompute()
        case .toggleBackground:
            filter.showBackground.toggle()
            recompute()
        case .cycleElapsed:
            elapsed = elapsed.next
            recompute()
        case .slower, .faster:
            interval = AppState.step(interval, up: action == .slower)
            message = Message("Refresh every \(Format.interval(interval))")
        case .togglePause:
            paused.toggle()
            return paused ? [] : [.refreshNow]
        case .view(let view):
            filter.view = view
            recompute()
        case .toggleStats:
            showStats.toggle()
        case .toggleHostColumns:
            showHostColumns.toggle()
            if showHostColumns && host == nil {
                message = Message("CPU%, RES, READ/s, WRITE/s need pgtop on the database host", isError: true)
                showHostColumns = false
            }
        case .saveLayout:
            return [.saveLayout(Settings.layout(of: self))]
        case .chooseColumns:
            mode = .columns(cursor: 0, order: ColumnChooser.list(columns))
        case .openDetail:
            guard let id = selectedBackend?.id else { break }
            mode = .detail(id, scroll: 0)
            detail = nil
            return [.fetchDetail(id)]
        }
        return []
    }

    /// The next interval up or down the ladder from `current`.
    static func step(_ current: Double, up: Bool) -> Double {
        if up { return intervals.first { $0 > current + 1e-9 } ?? current }
        return intervals.last { $0 < current - 1e-9 } ?? current
    }

    mutating func handleFilterKey(_ key: Key, draft: String) -> [Effect] {
        var draft = draft
        switch key {
        case .enter:
            mode = .table
            filterCut = false
            return []
        case .escape:
            draft = ""
            filterCut = false
            mode = .table
        case .backspace, .delete:
            guard PromptText.erase(&draft) == .changed else { return [] }
            filterCut = false
            mode = .filter(draft: draft)
        case .ctrl("u"):
            draft = ""
            filterCut = false
            mode = .filter(draft: draft)
        case .ctrl("c"):
            return [.quit]
        case .char(let c):
            // Past the cap a key costs a comparison: nothing is copied, nothing refiltered.
            guard PromptText.type(c, into: &draft) == .changed else {
                filterCut = true
                return []
            }
            mode = .filter(draft: draft)
        default:
            return []
        }
        filter.text = draft
        filterTyped = true
        return []
    }

    /// Filters the rows by what the prompt typed since the last time, if anything.
    public mutating func applyTypedFilter() {
        if filterTyped { recompute() }
    }

    /// A bracketed paste is text for the filter prompt, its line breaks and tabs made spaces;
    /// anywhere else nothing of it is acted on (a pasted `sky` must not mark, ask and confirm).
    mutating func handlePaste(_ key: Key) -> [Effect] {
        switch key {
        case .pasteBegin:
            pasting = true
        case .pasteEnd:
            pasting = false
            if pasteIgnored {
                pasteIgnored = false
                message = Message("Paste ignored: pasted text goes only into the / prompt, it is never taken as keys", isError: true)
            }
        default:
            guard case .filter(let draft) = mode else {
                pasteIgnored = true
                return []
            }
            switch key {
            case .char: return handleFilterKey(key, draft: draft)
            case .enter, .tab: return handleFilterKey(.char(" "), draft: draft)
            default: return []  // Esc, arrows, Ctrl-U inside a paste are not the user's keys
            }
        }
        return []
    }

    /// The confirmation for `targets` (the marks, else the selection), or the reason there is none.
    mutating func askToSignal(_ kind: SignalKind, targets: [Backend]? = nil) {
        if replay != nil {
            message = Message(Self.replayRefusal, isError: true)
            return
        }
        let targets = targets ?? self.targets
        guard !targets.isEmpty else {
            message = Message("No backend selected", isError: true)
            return
        }
        let version = server?.versionNumber ?? 150000
        let blind = targets.filter { !$0.id.startKnown }
        if !blind.isEmpty && !allowPidOnly {
            message = Message(Confirmation.refusal(kind: kind, blind: blind, serverVersion: version), isError: true)
            return
        }
        let all = snapshot?.backends ?? []
        mode = .confirm(Confirmation.make(kind: kind, targets: targets, all: all, shown: Set(rows.map(\.id)), elapsed: elapsed,
                                          pidOnly: allowPidOnly, idleWarn: idleWarn, serverVersion: version))
    }
}
