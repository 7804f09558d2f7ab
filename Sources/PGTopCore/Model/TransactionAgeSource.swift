/// Where a backend's transaction age comes from. The server's `xact_start` is the rule; an
/// aborted transaction (`idle in transaction (aborted)`) has none (the server clears it at the
/// error), yet it is the most stuck of all, so pgtop gives it an age of its own and says which.
///
///     b.transactionAgeSource   // .xactStart, .earlierRefresh, .stateChange, or nil: no transaction
public enum TransactionAgeSource: String, Sendable, CaseIterable {
    /// `now() - xact_start`, as the server reported it.
    case xactStart = "xact_start"
    /// The transaction's start as an earlier refresh saw it, before the transaction aborted:
    /// exact, unless the session committed and began a new transaction that failed at once
    /// within one refresh interval.
    case earlierRefresh = "earlier_refresh"
    /// Since `state_change` (the error that aborted it): pgtop never saw the transaction's start,
    /// so the age is at least this (`--once` always has a single snapshot).
    case stateChange = "state_change"
}
