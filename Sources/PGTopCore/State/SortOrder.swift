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
        order(backends, Array(backends.indices), elapsed: elapsed).map { backends[$0] }
    }

    /// Sorts `indices` of `backends` (the rows a filter kept): indices move, backends don't,
    /// and numeric columns compare precomputed keys. Thousands of rows per refresh.
    func order(_ backends: [Backend], _ indices: [Int], elapsed: ElapsedMode) -> [Int] {
        var indices = indices
        backends.withUnsafeBufferPointer { b in
            func byKey(_ key: (Backend) -> Double) {
                var keys = [Double](repeating: 0, count: b.count)
                for i in indices { keys[i] = key(b[i]) }
                indices.sort { x, y in
                    if keys[x] != keys[y] { return descending ? keys[x] > keys[y] : keys[x] < keys[y] }
                    return b[x].id < b[y].id
                }
            }
            switch column {
            // Missing ages sort below every real age, whatever the direction's start.
            case .elapsed: byKey { $0.age(elapsed) ?? -1 }
            case .pid: byKey { Double($0.pid) }
            case .state: byKey { Double($0.state.sortRank) }
            case .cpu: byKey { $0.usage?.cpu ?? -1 }
            case .memory: byKey { $0.usage.map { Double($0.residentBytes) } ?? -1 }
            case .readRate: byKey { $0.usage?.readRate ?? -1 }
            case .writeRate: byKey { $0.usage?.writeRate ?? -1 }
            case .wait, .blockedBy:
                // Empty cells last in both directions, as htop sorts: the rows that have one first.
                let column = self.column
                indices.sort { x, y in
                    let (ex, ey) = (column.isEmptyCell(b[x]), column.isEmptyCell(b[y]))
                    if ex != ey { return ey }
                    let c = compare(b[x], b[y], elapsed: elapsed)
                    if c != 0 { return descending ? c > 0 : c < 0 }
                    return b[x].id < b[y].id
                }
            default:
                indices.sort { x, y in
                    let c = compare(b[x], b[y], elapsed: elapsed)
                    if c != 0 { return descending ? c > 0 : c < 0 }
                    return b[x].id < b[y].id
                }
            }
        }
        return indices
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
        case .cpu: return cmp(a.usage?.cpu ?? -1, b.usage?.cpu ?? -1)
        case .memory: return cmp(a.usage?.residentBytes ?? -1, b.usage?.residentBytes ?? -1)
        case .readRate: return cmp(a.usage?.readRate ?? -1, b.usage?.readRate ?? -1)
        case .writeRate: return cmp(a.usage?.writeRate ?? -1, b.usage?.writeRate ?? -1)
        }
    }

    private func cmp<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a > b ? 1 : 0) }
}
