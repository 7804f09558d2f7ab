/// Decides which columns the table shows and how wide each is, for a terminal width and the
/// rows on screen. The query column takes what is left, and stays readable: other columns
/// give way (shrink to their content, then drop in a fixed order) before it goes under
/// `queryMinimum` cells.
public struct TableLayout: Sendable, Equatable {
    public struct Slot: Sendable, Equatable {
        public var column: Column
        public var width: Int
        public var title: String
    }

    /// The columns shown, left to right, after the one-cell mark gutter.
    public var slots: [Slot]

    static let gutter = 1

    static func bounds(_ column: Column) -> (min: Int, max: Int) {
        switch column {
        case .pid: return (5, 7)
        case .database: return (2, 16)
        case .user: return (4, 16)
        case .client: return (5, 22)
        case .application: return (3, 16)
        case .state: return (5, 14)
        case .wait: return (4, 16)
        case .blockedBy: return (7, 16)
        case .cpu: return (4, 5)
        case .memory: return (3, 8)
        case .readRate, .writeRate: return (6, 8)
        case .elapsed: return (7, 10)
        case .query: return (1, Int.max)
        }
    }

    /// Which column gives way first when the width runs short; pid and elapsed never do.
    static let dropOrder: [Column] = [.writeRate, .readRate, .client, .application, .blockedBy, .wait, .database, .user,
                                      .memory, .cpu, .state]

    /// - Parameters:
    ///   - width: the terminal's width in cells.
    ///   - rows: the rows on screen (widths follow their content, not all N backends).
    ///   - sorted: the sort column, whose title gets one more cell for the direction arrow.
    ///   - columns: the columns chosen, in order (`Column.shown` decides about the /proc ones).
    ///   - host: show the columns from /proc (CPU%, RES, READ/s, WRITE/s).
    public init(width: Int, rows: ArraySlice<Backend>, elapsed: ElapsedMode, sorted: Column? = nil, ascii: Bool = false,
                columns chosen: [Column] = Column.standard, host: Bool = false) {
        var content: [Column: Int] = [:]
        let all = Column.shown(chosen, host: host)
        let columns = all.filter { $0 != .query }
        for column in columns {
            var widest = 0
            for row in rows {
                let (_, cells) = Sanitizer.fit(column.text(row, elapsed: elapsed), width: TableLayout.bounds(column).max, ascii: ascii)
                widest = Swift.max(widest, cells)
            }
            content[column] = widest
        }
        let queryMinimum = !all.contains(.query) ? 0 : width >= 80 ? Swift.max(30, width / 4) : 12
        var shown = columns
        func natural(_ c: Column) -> Int {
            let b = TableLayout.bounds(c)
            let title = c.shortTitle(elapsed: elapsed).count + (c == sorted ? 1 : 0)
            return Swift.min(b.max, Swift.max(b.min, content[c] ?? 0, title))
        }
        func total(_ columns: [Column], _ widthOf: (Column) -> Int) -> Int {
            columns.reduce(TableLayout.gutter) { $0 + widthOf($1) + 1 }
        }
        // Empty columns go first, then the drop order, until the query has its minimum.
        var dropQueue = TableLayout.dropOrder.filter { shown.contains($0) && (content[$0] ?? 0) == 0 }
            + TableLayout.dropOrder.filter { shown.contains($0) && (content[$0] ?? 0) > 0 }
        while total(shown, natural) + queryMinimum > width, let next = dropQueue.first {
            dropQueue.removeFirst()
            shown.removeAll { $0 == next }
        }
        // Spare room beyond a comfortable query spells titles out in full.
        var widths = Dictionary(uniqueKeysWithValues: shown.map { ($0, natural($0)) })
        var spare = width - total(shown) { widths[$0]! } - (all.contains(.query) ? Swift.max(queryMinimum, 40) : 0)
        for column in shown where spare > 0 {
            let extra = column.title(elapsed: elapsed).count + (column == sorted ? 1 : 0) - widths[column]!
            if extra > 0 && extra <= spare {
                widths[column]! += extra
                spare -= extra
            }
        }
        var slots: [Slot] = []
        var used = TableLayout.gutter
        for column in shown {
            var w = widths[column]!
            if used + w + 1 > width { w = Swift.max(0, width - used - 1) }
            if w == 0 { break }
            let arrow = column == sorted ? 1 : 0
            let full = column.title(elapsed: elapsed)
            let title = full.count + arrow <= w ? full : column.shortTitle(elapsed: elapsed)
            slots.append(Slot(column: column, width: w, title: title))
            used += w + 1
        }
        if all.contains(.query) {
            slots.append(Slot(column: .query, width: Swift.max(0, width - used), title: Column.query.title))
        }
        self.slots = slots
    }

    public func width(of column: Column) -> Int? { slots.first { $0.column == column }?.width }

    /// The column under screen column `x` (its separating space counts with it).
    public func column(at x: Int) -> Column? {
        var left = TableLayout.gutter
        for slot in slots {
            if x >= left && x < left + slot.width + 1 { return slot.column }
            left += slot.width + 1
        }
        return nil
    }
}
