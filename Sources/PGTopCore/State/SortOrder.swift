/// Which column the table is sorted by, and in which direction.
///
///     SortOrder(column: .elapsed, descending: true)  // the default: longest first
public struct SortOrder: Sendable, Equatable {
    public var column: Column
    public var descending: Bool

    public init(column: Column = .elapsed, descending: Bool = true) {
        self.column = column
        self.descending = descending
    }

    /// Sorts backends; ties are broken by pid (ascending) so rows never jump between refreshes.
    public func sorted(_ backends: [Backend], elapsed: ElapsedMode) -> [Backend] {
        backends.sorted { a, b in
            let c = compare(a, b, elapsed: elapsed)
            if c != 0 { return descending ? c > 0 : c < 0 }
            return a.id < b.id
        }
    }

    /// -1, 0 or 1, in the column's natural ascending order.
    func compare(_ a: Backend, _ b: Backend, elapsed: ElapsedMode) -> Int {
        switch column {
        case .pid: return cmp(a.pid, b.pid)
        case .database: return cmp(a.database, b.database)
        case .user: return cmp(a.user, b.user)
        case .client: return cmp(a.client, b.client)
        case .application: return cmp(a.application, b.application)
        case .state: return cmp(a.state.sortRank, b.state.sortRank)
        case .wait: return cmp(Column.waitText(a), Column.waitText(b))
        case .blockedBy: return cmp(a.blockedBy.count, b.blockedBy.count)
        case .elapsed:
            // Missing ages sort below every real age, whatever the direction's start.
            return cmp(a.age(elapsed) ?? -1, b.age(elapsed) ?? -1)
        case .query: return cmp(a.query, b.query)
        }
    }

    private func cmp<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a > b ? 1 : 0) }
}
