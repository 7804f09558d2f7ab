/// Turns the state into the whole screen for a terminal of `width` x `height` cells.
///
///     let frame = ScreenLayout.render(state, width: 120, height: 40)
public enum ScreenLayout {
    /// The smallest terminal pgtop draws a table in; below it, a one-line message.
    public static let minimumWidth = 20
    public static let minimumHeight = 5

    struct Geometry {
        var headerLines: Int
        /// The replay's timeline strip under the header: 0 or 1 line.
        var timelineLines = 0
        var footerLines: Int
        var tableLines: Int  // including the title row
    }

    /// `timeline`: a recording is replayed, its strip goes under the header (from 8 lines up).
    static func geometry(height: Int, stats: Bool = false, timeline: Bool = false) -> Geometry {
        let compact = height < 12
        let header = HeaderView.count(height: height, stats: stats)
        let footer = compact ? 1 : 2
        let strip = timeline && height >= 8 ? 1 : 0
        return Geometry(headerLines: header, timelineLines: strip, footerLines: footer,
                        tableLines: max(0, height - header - strip - footer))
    }

    /// How many backend rows the table shows at this height.
    public static func tableRows(height: Int, stats: Bool = false, timeline: Bool = false) -> Int {
        max(1, geometry(height: height, stats: stats, timeline: timeline).tableLines - 1)
    }

    public static func render(_ state: AppState, width: Int, height: Int) -> Frame {
        guard width > 0, height > 0 else { return Frame(lines: []) }
        if width < minimumWidth || height < minimumHeight {
            var text = "pgtop: terminal \(width)x\(height) is too small, need \(minimumWidth)x\(minimumHeight)"
            if text.count > width { text = "too small (\(width)x\(height))" }
            let line = Line.fit([Span(text, .warn)], width: width, ascii: state.asciiOnly)
            return Frame(lines: [line] + Array(repeating: StyledLine(), count: height - 1))
        }
        if case .help(let position) = state.mode {
            return Frame(lines: pad(HelpView.lines(state, position: position, width: width, height: height), to: height))
        }
        let g = geometry(height: height, stats: state.showStats, timeline: state.replay != nil)
        var lines = HeaderView.lines(state, width: width, count: g.headerLines)
        if g.timelineLines > 0, let replay = state.replay {
            lines.append(TimelineView.line(replay.timeline, cursor: replay.time, width: width, ascii: state.asciiOnly, clock: replay.clock))
        }
        if case .detail(let id, let scroll) = state.mode {
            lines += pad(DetailView.lines(state, id: id, scroll: scroll, width: width, height: g.tableLines), to: g.tableLines)
        } else if case .columns(let cursor, let order) = state.mode {
            lines += pad(ColumnsView.lines(state, cursor: cursor, order: order, width: width, height: g.tableLines), to: g.tableLines)
        } else {
            lines += pad(TableView.lines(state, width: width, height: g.tableLines), to: g.tableLines)
        }
        let footer = FooterView.lines(state, width: width, count: g.footerLines)
        lines += footer.lines
        let cursor = footer.cursorColumn.map { (row: height - 1, column: $0) }
        return Frame(lines: pad(lines, to: height), cursor: cursor)
    }

    static func pad(_ lines: [StyledLine], to height: Int) -> [StyledLine] {
        if lines.count >= height { return Array(lines.prefix(height)) }
        return lines + Array(repeating: StyledLine(), count: height - lines.count)
    }
}
