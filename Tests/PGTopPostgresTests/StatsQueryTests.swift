import Foundation
import Testing
import PGTopCore
@testable import PGTopPostgres

/// The server figures from the real server: two samples around some work give its rates.
@Suite struct StatsQueryTests {
    @Test func twoSamplesGiveRates() throws {
        let c = try Shared.connect(application: "pgtop")
        defer { c.close() }
        let first = try #require(StatsQuery.decode(try c.execute(StatsQuery.sql(serverVersion: c.serverVersion, withSize: true))))
        #expect((first.databaseBytes ?? 0) > 1_000_000)
        #expect(first.commits > 0 && first.blocksHit > 0)
        let table = "stats_" + String(UInt32.random(in: 0...UInt32.max))
        try c.execute("CREATE TABLE \(table) AS SELECT g FROM generate_series(1, 5000) g")
        try c.execute("DROP TABLE \(table)")
        // Backends report their counters at most once a second (15+): wait for them to land.
        var second = first
        _ = try Shared.eventually(timeout: 5) {
            second = try #require(StatsQuery.decode(try c.execute(StatsQuery.sql(serverVersion: c.serverVersion, withSize: false))))
            return second.rowsInserted >= first.rowsInserted + 5000
        }
        #expect(second.databaseBytes == nil)
        let rates = try #require(ServerRates(from: first, to: second))
        #expect(rates.rowsInserted > 0 && rates.transactions > 0)
        #expect(second.at > first.at)
    }
}
