/// Keeping a recording within `--retain` and `--max-size`.
extension RecordingWriter {
    /// What a prune removed.
    public struct Pruned: Sendable, Equatable {
        public var samples = 0
        /// The oldest sample kept afterwards (µs), nil when none is left.
        public var oldestKept: Int64?
        /// There is more to remove than one call does (`pruneBudget`): call again.
        public var more = false
        public init() {}
    }

    /// The oldest samples one step removes at most (µs): a minute, a tenth of a shorter
    /// recording when it is over `--max-size`.
    static let pruneStep: Int64 = 60_000_000
    /// Free pages one call gives back to the file system at most (64 MB).
    static let vacuumBudget = 16_384

    /// Removes the samples before `keepAfter` (µs; `--retain`) and, while the pages in use
    /// are more than `maxBytes` (`--max-size`), the oldest samples, a minute at a time (never the
    /// last sample); with them the spans that ended by the oldest sample kept, the sessions
    /// that ended by then, the query texts and activities no kept span uses, and the actions
    /// and outages before it. Every moment from the oldest kept sample on reads back as before.
    /// Then gives the space back to the file system (`incremental_vacuum`) when it is much
    /// (`vacuum`). Each step is a transaction of its own; one call does at most `pruneBudget`
    /// rows (`Pruned.more`).
    public func prune(keepAfter: Int64?, maxBytes: Int64?) throws -> Pruned {
        var pruned = Pruned()
        var budget = pruneBudget
        var forget = false
        while let first = try db.integer("SELECT min(t_us) FROM samples"), let last = try db.integer("SELECT max(t_us) FROM samples") {
            var cut: Int64?
            if let keepAfter, first < keepAfter {
                cut = Swift.min(keepAfter, first + Self.pruneStep)
            } else if let maxBytes, try db.usedBytes() > maxBytes, first < last {
                cut = Swift.min(last, first + Swift.min(Self.pruneStep, (last - first) / 10 + 1))
            }
            guard let cut else { break }
            guard budget > 0 else { pruned.more = true; break }
            let step = try db.transaction { try removeBefore(cut) }
            pruned.samples += step.samples
            budget -= step.rows
            forget = forget || step.interned
        }
        if forget {
            texts.forgetAll()
            activities.forgetAll()
        }
        pruned.oldestKept = try db.integer("SELECT min(t_us) FROM samples")
        if pruned.samples > 0 { try vacuum(maxBytes: maxBytes) }
        return pruned
    }

    /// Gives free pages back to the file system when there are many (more than `vacuumSlack`
    /// and a twentieth of the file) or the file is over `maxBytes`. A few free pages are left:
    /// the next samples take them (SQLite reuses free pages before it grows the file), and
    /// moving pages to the front to cut the file each minute would be work for nothing.
    private func vacuum(maxBytes: Int64?) throws {
        let free = try db.integer("PRAGMA freelist_count") ?? 0, pages = try db.integer("PRAGMA page_count") ?? 0
        let pageSize = try db.integer("PRAGMA page_size") ?? 4096
        let over = maxBytes.map { pages * pageSize > $0 } ?? false
        guard free > 0, over || (free * pageSize > vacuumSlack && free * 20 > pages) else { return }
        try db.execute("PRAGMA incremental_vacuum(\(Swift.min(free, Int64(Self.vacuumBudget))))")
        // In WAL mode the file is cut at a checkpoint; one that readers hold up is finished later.
        try db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    }

    /// One step: the samples before `cut` and what only they used. Returns the samples and
    /// the rows removed, and whether texts or activities were among them.
    private func removeBefore(_ cut: Int64) throws -> (samples: Int, rows: Int, interned: Bool) {
        try db.execute("DELETE FROM samples WHERE t_us < \(cut)")
        let samples = db.changes
        var rows = samples
        let oldest = try db.integer("SELECT min(t_us) FROM samples") ?? cut
        // Spans that ended by the oldest sample kept: alive at none of the kept ones.
        try db.execute("""
            DELETE FROM span_rows WHERE from_us < \(oldest) AND length_us IS NOT NULL AND from_us + length_us <= \(oldest)
            """)
        rows += db.changes
        // A session's spans all end by its end: one that ended by then has none left.
        try db.execute("DELETE FROM sessions WHERE end_us <= \(oldest)")
        rows += db.changes
        // A text or activity was touched at most `refresh` before each span that uses it began.
        var interned = false
        let unused = (try db.integer("SELECT min(from_us) FROM span_rows") ?? oldest) - Swift.max(texts.refresh, activities.refresh)
        for table in ["texts", "activities"] {
            try db.execute("DELETE FROM \(table) WHERE last_us < \(unused)")
            interned = interned || db.changes > 0
            rows += db.changes
        }
        try db.execute("DELETE FROM actions WHERE t_us < \(oldest)")
        rows += db.changes
        try db.execute("DELETE FROM outages WHERE to_us < \(oldest)")
        return (samples, rows + db.changes, interned)
    }
}
