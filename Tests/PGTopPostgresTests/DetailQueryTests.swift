import Foundation
import Testing
import PGTopCore
@testable import PGTopPostgres

/// One backend in full, from the real server.
@Suite struct DetailQueryTests {
    @Test func everyFieldTheWholeQueryAgesAndLocks() throws {
        let tag = Shared.unique("detail")
        let table = "t_" + tag.replacingOccurrences(of: "-", with: "_")
        let admin = try Shared.connect()
        defer { admin.close() }
        try admin.execute("CREATE TABLE \(table) (id int PRIMARY KEY)")
        try admin.execute("INSERT INTO \(table) VALUES (1)")
        let holder = try Shared.connect(application: tag)
        defer { holder.close() }
        try holder.execute("START TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        let long = "UPDATE \(table) SET id = 1 WHERE id = 1 /* " + String(repeating: "x", count: 2000) + " */"
        try holder.execute(long)

        let c = try Shared.connect(application: "pgtop")
        defer { c.close() }
        let row = try #require(try Shared.activity(on: c).first { $0.pid == holder.backendPid })
        #expect(row.query.count == ActivityQuery.queryTextLimit)  // the refresh carries the start only
        let r = try c.execute(DetailQuery.sql(serverVersion: c.serverVersion), DetailQuery.parameters(row.id))
        let detail = try #require(DetailQuery.decode(r, id: row.id))
        #expect(detail.query == long)
        #expect(detail.fields.first?.name == "datid")
        #expect(detail.fields.contains(BackendDetail.Field("application_name", tag)))
        #expect(detail.fields.contains(BackendDetail.Field("state", "idle in transaction")))
        #expect(detail.xidAge != nil && detail.xminAge != nil)
        #expect(detail.locks.contains("holds RowExclusiveLock on relation \(table)"))
        #expect(detail.locks.contains { $0.hasPrefix("holds ExclusiveLock on transactionid ") })

        // Another backend start (pid reused): nothing, as for cancel and terminate.
        let stale = BackendID(pid: row.pid, start: row.id.start - 1)
        #expect(DetailQuery.decode(try c.execute(DetailQuery.sql(serverVersion: c.serverVersion), DetailQuery.parameters(stale)), id: stale) == nil)
        holder.close()
        try admin.execute("DROP TABLE \(table)")
    }
}
