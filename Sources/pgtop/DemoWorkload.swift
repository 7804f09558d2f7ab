import Glibc
import PGTopPostgres

/// The incident `--demo` reproduces, run by a child process of pgtop so that none of its
/// sessions are pgtop's own: the founding incident's picture, ordinary-role sessions whose last
/// statement is `START TRANSACTION;`, left idle in transaction, arriving in waves (three at
/// the start, two seconds apart, then smaller ones while the demo runs, so their ages differ);
/// beside them a lock holder with sessions blocked behind it, long reports, and connection
/// slots nearly exhausted. Sessions that get terminated come back after a while, as an
/// application's connection pool would bring them back.
struct DemoWorkload {
    /// One simulated client session.
    struct Role {
        let application: String
        let statements: [String]
        /// Sent without waiting: the session stays busy (long query, or blocked).
        let asyncStatement: String?
        /// Seconds after the workload starts when the session first connects (its wave).
        var opensAfter: Double = 0
    }

    let conninfo: String

    /// The waves of stuck sessions: (seconds after the start, sessions). The first three are in
    /// place before the screen opens (`readyAfter`); the later ones arrive while it runs.
    static let waves: [(at: Double, count: Int)] = [(0, 6), (2, 6), (4, 6), (40, 2), (80, 2)]
    /// The roles connected by then are the incident as the screen first shows it.
    static let readyAfter = 4.0

    static func roles() -> [Role] {
        var roles: [Role] = []
        let apis = ["orders-api", "billing-worker", "orders-api", "inventory-sync"]
        var n = 0
        for wave in waves {
            for _ in 0..<wave.count {
                roles.append(Role(application: apis[n % apis.count], statements: ["START TRANSACTION;"],
                                  asyncStatement: nil, opensAfter: wave.at))
                n += 1
            }
        }
        // The lock holder and the sessions it blocks.
        roles.append(Role(application: "billing-worker",
                          statements: ["START TRANSACTION", "UPDATE orders SET status = 'billing' WHERE id = 1"],
                          asyncStatement: nil))
        for _ in 0..<3 {
            roles.append(Role(application: "orders-api", statements: [],
                              asyncStatement: "UPDATE orders SET status = 'shipped' WHERE id = 1"))
        }
        // Long reports with multi-line query text.
        for i in 0..<3 {
            roles.append(Role(application: "report-cron", statements: [], asyncStatement: """
                /* nightly report \(i) */
                SELECT o.status, count(*), pg_sleep(3600)
                FROM orders o
                WHERE o.id > \(i)
                GROUP BY o.status
                """))
        }
        for _ in 0..<5 {
            roles.append(Role(application: "psql", statements: ["SELECT 1"], asyncStatement: nil))
        }
        return roles
    }

    static let setup = [
        "CREATE ROLE app LOGIN",
        "CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL DEFAULT 'new')",
        "INSERT INTO orders SELECT g FROM generate_series(1, 1000) g",
        "GRANT SELECT, UPDATE ON orders TO app",
    ]

    /// Opens each role's session in its wave and keeps it open, reopening ended ones after 20
    /// to 60 seconds, until
    /// `stop` says so; then closes them all.
    func run(until stop: () -> Bool) {
        let roles = DemoWorkload.roles()
        var sessions: [PGConnection?] = Array(repeating: nil, count: roles.count)
        let start = Clock.now()
        var reopenAt: [Double] = roles.map { start + $0.opensAfter }
        defer { for c in sessions { c?.close() } }
        while !stop() {
            let now = Clock.now()
            for (i, role) in roles.enumerated() {
                if let c = sessions[i], c.isAlive {
                    _ = try? c.poll()  // notice a terminate
                    if c.isAlive { continue }
                }
                if sessions[i] != nil {
                    sessions[i]?.close()
                    sessions[i] = nil
                    reopenAt[i] = now + Double.random(in: 20...60)
                }
                guard now >= reopenAt[i] else { continue }
                sessions[i] = open(role)
                if sessions[i] == nil { reopenAt[i] = now + 5 }
            }
            usleep(500_000)
        }
    }

    private func open(_ role: Role) -> PGConnection? {
        do {
            let c = try PGConnection.connect(
                ConnectionParameters(conninfo: conninfo, host: nil, port: nil, user: nil, database: nil, applicationName: role.application),
                timeout: 5)
            for statement in role.statements { _ = try c.execute(statement) }
            if let statement = role.asyncStatement { try c.send(statement) }
            return c
        } catch {
            return nil
        }
    }
}
