/// What decides, beside its texts, whether a backend is still in its span, as plain values: a
/// sample compares one of these per backend (`SpanTracker`) without touching a reference
/// count. `texts` names the backend's box of texts: equal prints with the same box are the
/// same span for certain (a row the delta refresh kept); another box is compared by its texts.
///
///     SpanFingerprint(backend, at: t) == tracker's print   // unchanged, nothing to write
struct SpanFingerprint: Equatable {
    var stateChange: Int64?
    var queryStart: Int64?
    var transactionStart: Int64?
    var leaderPid: Int32?
    /// The state's case; -1 for a state the server named otherwise (`.other`), which only
    /// its text tells apart.
    var state: Int8
    var waiting: Bool
    var superuser: Bool
    var transactionSource: TransactionAgeSource?
    var texts: ObjectIdentifier

    init(_ b: Backend, at t: Int64) {
        stateChange = b.stateChange
        queryStart = RecordedSpan.start(t, age: b.queryAge)
        transactionStart = RecordedSpan.start(t, age: b.transactionAge)
        leaderPid = b.leaderPid
        state = Self.code(b.state)
        waiting = b.waiting
        superuser = b.superuser
        transactionSource = b.transactionAge == nil ? nil : b.transactionAgeSource
        texts = b.textIdentity
    }

    /// The same but perhaps for the texts.
    func sameBesidesTexts(_ o: SpanFingerprint) -> Bool {
        stateChange == o.stateChange && queryStart == o.queryStart && transactionStart == o.transactionStart
            && leaderPid == o.leaderPid && state == o.state && waiting == o.waiting && superuser == o.superuser
            && transactionSource == o.transactionSource
    }

    static func code(_ s: BackendState) -> Int8 {
        switch s {
        case .active: return 0
        case .idle: return 1
        case .idleInTransaction: return 2
        case .idleInTransactionAborted: return 3
        case .fastpath: return 4
        case .disabled: return 5
        case .none: return 6
        case .other: return -1
        }
    }
}
