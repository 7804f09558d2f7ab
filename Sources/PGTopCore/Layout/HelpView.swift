/// The help screen, generated from `KeyMap` (the table's keys, then the help's own) so it
/// always tells the truth. One column of lines under a title that says where you are; it
/// scrolls and searches like `less` (`KeyMap.helpBindings`), the lines that match the last
/// search highlighted, the search being typed on the bottom line.
enum HelpView {
    struct Entry: Equatable {
        var keys: String
        var text: String
        /// A heading or a note, not a key.
        var isHeading = false

        var searchable: String { (keys + " " + text).lowercased() }
    }

    /// Lines between the title (and the blank under it) and the bottom line.
    static func room(height: Int) -> Int { max(1, height - 3) }

    static func entries(_ state: AppState) -> [Entry] {
        var out: [Entry] = []
        if state.replay != nil {
            // A replay's own keys first: they come before the table's (Z, + and - among them).
            out.append(Entry(keys: "", text: "Replaying a recording (these keys come first):", isHeading: true))
            out += KeyMap.replayBindings.map { Entry(keys: $0.keys.map(\.name).joined(separator: ", "), text: $0.help) }
            for note in replayNotes { out.append(Entry(keys: "", text: note, isHeading: true)) }
            out.append(Entry(keys: "", text: "", isHeading: true))
            out.append(Entry(keys: "", text: "In the table:", isHeading: true))
        }
        out += KeyMap.bindings.map { Entry(keys: $0.keys.map(\.name).joined(separator: ", "), text: $0.help) }
        out.append(Entry(keys: "Mouse", text: "Click a row to select it, a column title to sort by it (again: invert); the wheel scrolls"))
        out.append(Entry(keys: "", text: "", isHeading: true))
        out.append(Entry(keys: "", text: "In this help (as in less):", isHeading: true))
        out += KeyMap.helpBindings.map { Entry(keys: $0.keys.map(\.name).joined(separator: ", "), text: $0.help) }
        out.append(Entry(keys: "", text: "", isHeading: true))
        out.append(Entry(keys: "", text: "Highlighted rows sit idle in transaction for \(Format.duration(state.idleWarn)) or more; * marks a row.",
                         isHeading: true))
        return out
    }

    /// What the help says about a replay besides its keys (the man page too).
    static let replayNotes = [
        "The strip under the header is the whole recording, the moment shown highlighted:",
        "its height is the most slots used; sessions idle in transaction past idle-warn in the stuck",
        "rows' colour; lock waiters (or no slot free) in the alarm colour; x an outage.",
        "k and c are off: a recording cannot be acted on.",
        "The detail (Enter) has the recorded fields; of the locks, only what a waiter waited for.",
    ]

    /// `position` with its scroll on the next line (from `start`, going `forward` or back) that
    /// holds the text searched for; unchanged but `notFound` when there is none.
    static func find(_ position: HelpPosition, in entries: [Entry], from start: Int, forward: Bool, last: Int) -> HelpPosition {
        var p = position
        let needle = p.searched.lowercased()
        guard !needle.isEmpty else { return p }
        let order = forward ? Array(stride(from: max(0, start), to: entries.count, by: 1))
                            : Array(stride(from: min(start, entries.count - 1), through: 0, by: -1))
        if let hit = order.first(where: { entries[$0].searchable.contains(needle) }) {
            p.scroll = min(hit, last)
            p.notFound = false
        } else {
            p.notFound = true
        }
        return p
    }

    static func lines(_ state: AppState, position: HelpPosition, width: Int, height: Int) -> [StyledLine] {
        let ascii = state.asciiOnly
        let entries = self.entries(state)
        let room = self.room(height: height)
        let top = max(0, min(position.scroll, entries.count - room))
        let shown = entries[top..<min(entries.count, top + room)]
        let keyWidth = entries.map { CellWidth.of($0.keys) }.max() ?? 10
        let needle = position.searched.lowercased()

        let place = "lines \(top + 1)-\(top + shown.count) of \(entries.count)"
        var lines = [HeaderView.pack([[Span("pgtop help", .header)], [Span(place, .normal)],
                                      [Span("Up/Down/PgUp/PgDn/Space scroll, / search, n next, q closes", .footer)]],
                                     width: width, ascii: ascii),
                     StyledLine()]
        for entry in shown {
            let hit = !needle.isEmpty && entry.searchable.contains(needle)
            if entry.isHeading {
                lines.append(Line.fit([Span("  " + entry.text, hit ? .marked : .header)], width: width, ascii: ascii))
                continue
            }
            let help = Padding.column("  " + entry.text, width: max(0, width - keyWidth - 2), ascii: ascii).trimmingTrailingSpaces()
            lines.append(Line.fit([Span("  " + Padding.pad(entry.keys, to: keyWidth), .footerKey), Span(help, hit ? .marked : .normal)],
                                  width: width, ascii: ascii))
        }
        lines = ScreenLayout.pad(lines, to: height - 1)
        let bottom: StyledLine
        if let typing = position.typing {
            bottom = Line.fit([Span("/", .prompt), Span(FooterView.tail(Sanitizer.clean(typing, ascii: ascii), cells: max(1, width - 2), ascii: ascii), .normal)],
                              width: width, ascii: ascii)
        } else if position.notFound {
            bottom = Line.fit([Span("Not found: \(Sanitizer.clean(position.searched, ascii: ascii))", .warn)], width: width, ascii: ascii)
        } else if top + room < entries.count {
            bottom = Line.fit([Span("-- \(entries.count - top - room) more below: Down, PgDn or Space --", .footer)], width: width, ascii: ascii)
        } else {
            bottom = Line.fit([Span("(END) q closes", .footer)], width: width, ascii: ascii)
        }
        return lines + [bottom]
    }
}
