import Glibc
import PGTopCluster
import PGTopPostgres

/// N client sessions in the mix the benchmark measures: mostly idle, 15% idle in transaction
/// after `START TRANSACTION;`, 10% running a long query with a long multi-line text, 5% blocked
/// on a row lock held by one of the idle-in-transaction sessions.
final class Load {
    private(set) var sessions: [PGConnection] = []
    private let cluster: ThrowawayCluster
    private var lockHolder: PGConnection?

    init(cluster: ThrowawayCluster) throws {
        self.cluster = cluster
        let setup = try connect("bench-setup")
        _ = try setup.execute("CREATE TABLE IF NOT EXISTS hot (id int PRIMARY KEY, v int)")
        _ = try setup.execute("INSERT INTO hot VALUES (1, 0) ON CONFLICT DO NOTHING")
        setup.close()
    }

    func connect(_ application: String, limits: SessionLimits = .unlimited) throws -> PGConnection {
        try PGConnection.connect(ConnectionParameters(conninfo: cluster.conninfo(), host: nil, port: nil, user: nil,
                                                      database: nil, applicationName: application), timeout: 30, limits: limits)
    }

    /// A long, multi-line query text, as ORMs and reports send.
    static func longText(_ i: Int) -> String {
        var text = "/* report \(i): monthly revenue by region */\nSELECT pg_sleep(3600)"
        for column in 0..<40 { text += ",\n       \(column) AS column_\(column)_with_a_long_descriptive_name" }
        return text
    }

    /// Grows the load to `count` sessions, keeping the mix.
    func grow(to count: Int) throws {
        while sessions.count < count {
            let i = sessions.count
            let kind = i % 20  // 3 of 20 idle in txn, 2 of 20 long queries, 1 of 20 blocked
            switch kind {
            case 0, 1, 2:
                let c = try connect("orders-api")
                _ = try c.execute("START TRANSACTION")
                _ = try c.execute("SELECT \(i) AS last_statement_of_a_forgotten_transaction")
                if lockHolder == nil {
                    _ = try c.execute("UPDATE hot SET v = v + 1 WHERE id = 1")
                    lockHolder = c
                }
                sessions.append(c)
            case 3, 4:
                let c = try connect("report-cron")
                try c.send(Load.longText(i))
                sessions.append(c)
            case 5:
                let c = try connect("billing-worker")
                try c.send("UPDATE hot SET v = v + 1 WHERE id = 1")
                sessions.append(c)
            default:
                let c = try connect("web")
                _ = try c.execute("SELECT 1")
                sessions.append(c)
            }
        }
    }

    func close() {
        for c in sessions { c.close() }
        sessions.removeAll()
    }
}
