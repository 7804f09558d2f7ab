/// Everything about one backend, fetched when its detail view opens (not per refresh): every
/// column of `pg_stat_activity` as the server gives it, the whole query text, the age of its
/// transaction id and snapshot (what holds back vacuum), and its locks.
public struct BackendDetail: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var id: BackendID
    /// `pg_stat_activity`'s columns in the server's order (`datname`, `pid`, ... `query`).
    public var fields: [Field]
    /// Transactions since `backend_xid` / `backend_xmin` (9.4+), nil when it has none.
    public var xidAge: Int?
    public var xminAge: Int?
    /// One line per lock: `holds RowExclusiveLock on relation orders`, `WAITS for ShareLock on transactionid 731`.
    public var locks: [String]
    /// Made from a recording's row (`recorded(_:at:clock:)`), not asked of the server: its
    /// locks are only what a waiter waited for.
    public var recorded = false

    public init(id: BackendID, fields: [Field], xidAge: Int? = nil, xminAge: Int? = nil, locks: [String] = [],
                recorded: Bool = false) {
        self.id = id
        self.fields = fields
        self.xidAge = xidAge
        self.xminAge = xminAge
        self.locks = locks
        self.recorded = recorded
    }

    /// The whole query text, as far as `track_activity_query_size` kept it.
    public var query: String? { fields.first { $0.name == "query" }?.value }
}
