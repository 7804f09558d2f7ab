/// One backend in full, in place of the table: who and what, the whole query wrapped, ages,
/// who it blocks and who blocks it, its locks, then every field of `pg_stat_activity`.
enum DetailView {
    static func lines(_ state: AppState, id: BackendID, scroll: Int, width: Int, height: Int) -> [StyledLine] {
        guard height > 0 else { return [] }
        let ascii = state.asciiOnly
        let all = state.snapshot?.backends ?? []
        let backend = all.first { $0.id == id }
        let detail = state.detail?.id == id ? state.detail : nil

        var body: [(String, Style)] = []
        // A line wider than the screen wraps at a space rather than being cut (`(holds back va`).
        func add(_ text: String, _ style: Style = .normal) {
            let pieces = CellWidth.of(text) <= width ? [text] : wrap(text, width: width, ascii: ascii)
            for piece in pieces.isEmpty ? [""] : pieces { body.append((piece, style)) }
        }
        if let b = backend {
            let who = [b.user, b.database].filter { !$0.isEmpty }.joined(separator: "@")
            add("Backend \(b.pid)  \(b.application.isEmpty ? b.backendType : b.application)  \(who)  from \(b.client.isEmpty ? "-" : b.client)  \(b.state.fullLabel)",
                .header)
            var transaction = "transaction \(Format.duration(b.transactionAge))"
            switch b.transactionAgeSource {
            case .earlierRefresh?: transaction += " (aborted: its start as pgtop saw it)"
            case .stateChange?: transaction = "transaction at least \(Format.duration(b.transactionAge)) (aborted: since its error)"
            default: break
            }
            var ages = ["query \(Format.duration(b.queryAge))", transaction]
            if b.stateAge != nil { ages.append("in state \(Format.duration(b.stateAge))") }
            ages.append("backend \(Format.duration(b.backendAge))")
            if let x = detail?.xidAge { ages.append("xid age \(x)") }
            if let x = detail?.xminAge { ages.append("xmin age \(x) (holds back vacuum)") }
            add("Ages: " + ages.joined(separator: ", "))
            if !b.waitEvent.isEmpty { add("Waiting on: \(b.waitEventType) \(b.waitEvent)") }
            if !b.blockedBy.isEmpty { add("Blocked by: " + b.blockedBy.map(String.init).joined(separator: ", "), .warn) }
            let blocks = all.filter { $0.blockedBy.contains(b.pid) }.map(\.pid)
            if !blocks.isEmpty {
                let behind = BlockingTree.released(by: [b.id], in: all)
                add("Blocks: " + blocks.map(String.init).joined(separator: ", ") + (behind > blocks.count ? " (\(behind) held up in all)" : ""), .warn)
            }
            if let leader = b.leaderPid { add("Parallel worker of \(leader)") }
            let workers = all.filter { $0.leaderPid == b.pid && $0.pid != b.pid }.map(\.pid)
            if !workers.isEmpty { add("Parallel workers: " + workers.map(String.init).joined(separator: ", ")) }
        } else {
            if let replay = state.replay {
                add("Backend \(id.pid) is not in the recording at \(replay.clock.time(replay.time))", .warn)
            } else {
                add("Backend \(id.pid) has ended (it is no longer in pg_stat_activity)", .warn)
            }
        }

        add("")
        let partial = detail?.recorded == true ? " (as recorded: the first 256 characters at most):"
            : (detail == nil ? " (first \(backend?.query.count ?? 0) characters; the whole text is on its way)" : ":")
        add("Query" + partial, .columnTitle)
        for line in wrap(detail?.query ?? backend?.query ?? "", width: width - 2, ascii: ascii) { add("  " + line) }

        if let detail {
            add("")
            add(detail.recorded ? "Locks (recorded: only what a waiter waited for; locks held are not recorded):" : "Locks:", .columnTitle)
            if detail.locks.isEmpty { add(detail.recorded ? "  waits for none" : "  none") }
            for lock in detail.locks { add("  " + lock, lock.hasPrefix("WAITS") ? .warn : .normal) }
            add("")
            add(detail.recorded ? "Recorded fields (pg_stat_activity's, as the refresh had them):" : "pg_stat_activity:", .columnTitle)
            let nameWidth = min(24, detail.fields.map { $0.name.count }.max() ?? 0)
            for field in detail.fields where field.name != "query" {
                add("  " + Padding.column(field.name, width: nameWidth, alignRight: false, ascii: ascii) + "  " + field.value)
            }
        }

        let top = max(0, min(scroll, body.count - height))
        return body.dropFirst(top).prefix(height).map { text, style in
            Line.fit([Span(text, style)], width: width, ascii: ascii)
        }
    }

    /// `text` in lines of at most `width` cells: its own line breaks kept, long lines cut at
    /// the last space that fits (or anywhere, for a very long word), controls made visible.
    static func wrap(_ text: String, width: Int, ascii: Bool) -> [String] {
        guard width > 0 else { return [] }
        var out: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var rest = Substring(Sanitizer.clean(String(raw), ascii: ascii))
            if rest.isEmpty { out.append(""); continue }
            while !rest.isEmpty {
                let piece = Sanitizer.fit(String(rest), width: width, ascii: ascii, foldSpaces: false).text
                var take = piece.count
                if take < rest.count, let space = piece.lastIndex(of: " "), piece.distance(from: piece.startIndex, to: space) > 0 {
                    take = piece.distance(from: piece.startIndex, to: space) + 1
                }
                if take == 0 { take = 1 }
                out.append(String(rest.prefix(take)).trimmingTrailingSpaces())
                rest = rest.dropFirst(take)
                if out.count > 2000 { out.append("..."); return out }
            }
        }
        return out
    }
}
