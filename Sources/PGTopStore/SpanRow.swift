import PGTopCore

/// A span to and from a row of `span_rows`: the one place that knows how a span is stored.
/// `from_us` is absolute (the key); the rest are small numbers, which SQLite stores in 0 to 4
/// bytes instead of 8: the length instead of the end, and the starts as offsets, each from the
/// start it follows (the query's start before `from_us`, the transaction's before the query's,
/// the state change after the query's; `from_us` stands in for a query start the span has
/// not). A statement that began its own transaction stores 0 for both, which takes no bytes.
/// The view `spans` undoes it in SQL (`RecordingSchema`).
///
///     SpanRow.Times(span, from: t)   // query 12 ms before t, transaction and state change at the query's start
enum SpanRow {
    struct Times: Equatable {
        var queryBefore: Int64?
        var transactionBefore: Int64?
        var changeAfter: Int64?

        init(queryBefore: Int64?, transactionBefore: Int64?, changeAfter: Int64?) {
            self.queryBefore = queryBefore
            self.transactionBefore = transactionBefore
            self.changeAfter = changeAfter
        }

        /// Wrapping arithmetic: whatever the times, the row gives them back exactly.
        init(_ span: RecordedSpan, from: Int64) {
            let base = span.queryStart ?? from
            self.init(queryBefore: span.queryStart.map { from &- $0 }, transactionBefore: span.transactionStart.map { base &- $0 },
                      changeAfter: span.stateChange.map { $0 &- base })
        }

        /// The absolute starts of a span that began at `from`.
        func starts(from: Int64) -> (query: Int64?, transaction: Int64?, change: Int64?) {
            let query = queryBefore.map { from &- $0 }
            let base = query ?? from
            return (query, transactionBefore.map { base &- $0 }, changeAfter.map { base &+ $0 })
        }
    }

    static let insert = """
        INSERT INTO span_rows(from_us, session, activity, query, query_before_us, xact_before_us, change_after_us)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
        """

    /// Ends the span `(?1, ?2)` at `?3`.
    static let close = "UPDATE span_rows SET length_us = ?3 - from_us WHERE from_us = ?1 AND session = ?2"

    /// The spans alive at `?1` (those that began in the rollover `?2` before it): the columns `read` takes.
    static let alive = """
        SELECT session, from_us, length_us, activity, query, query_before_us, xact_before_us, change_after_us FROM span_rows
        WHERE from_us > ?1 - ?2 AND from_us <= ?1 AND (length_us IS NULL OR from_us + length_us > ?1)
        """

    static func bind(_ s: Statement, session: Int64, from: Int64, activity: Int64, query: Int64?, times: Times) {
        s.bind(1, from); s.bind(2, session); s.bind(3, activity); s.bind(4, query)
        s.bind(5, times.queryBefore); s.bind(6, times.transactionBefore); s.bind(7, times.changeAfter)
    }

    /// A row of `alive`.
    struct Read {
        var session: Int64
        var from: Int64
        /// nil while it lasts.
        var end: Int64?
        var activity: Int64
        var query: Int64?
        var times: Times
    }

    static func read(_ s: Statement) -> Read {
        let from = s.int64(1) ?? 0
        return Read(session: s.int64(0) ?? 0, from: from, end: s.int64(2).map { from &+ $0 }, activity: s.int64(3) ?? 0,
                    query: s.int64(4), times: Times(queryBefore: s.int64(5), transactionBefore: s.int64(6), changeAfter: s.int64(7)))
    }
}
