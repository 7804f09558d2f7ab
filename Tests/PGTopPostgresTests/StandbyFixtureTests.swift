import Foundation
import Testing
import PGTopCluster
import PGTopPostgres

/// The throwaway streaming standby itself: in recovery, fed by its primary (a row written there
/// shows up), listed in the primary's pg_stat_replication under its name; promoted it takes
/// writes; stopped it leaves nothing.
@Suite(.timeLimit(.minutes(3))) struct StandbyFixtureTests {
    func connect(_ cluster: ThrowawayCluster) throws -> PGConnection {
        try PGConnection.connect(ConnectionParameters(conninfo: cluster.conninfo(), host: nil, port: nil, user: nil,
                                                      database: nil, applicationName: "standby-fixture"), timeout: 10)
    }

    @Test func standbyStreamsAndPromotes() throws {
        let primary = try ThrowawayCluster.start(ClusterOptions(listenOnLoopback: false, stopsWithProcess: true))
        defer { primary.stop() }
        let standby = try primary.startStandby(named: "fixture_standby", ClusterOptions(listenOnLoopback: false, stopsWithProcess: true))
        defer { standby.stop() }
        #expect(standby.directory != primary.directory && standby.port != primary.port)
        #expect(standby.directory.hasPrefix("/tmp/pgtop-cluster-"))

        let p = try connect(primary), s = try connect(standby)
        defer { p.close(); s.close() }
        #expect(try p.execute("SELECT pg_is_in_recovery()").rows[0][0] == "f")
        #expect(try s.execute("SELECT pg_is_in_recovery(), current_setting('hot_standby')").rows[0] == ["t", "on"])

        try p.execute("CREATE TABLE fixture_rows (n int)")
        try p.execute("INSERT INTO fixture_rows VALUES (42)")
        #expect(Shared.eventually(timeout: 20) {
            (try? s.execute("SELECT n FROM fixture_rows").rows.first?[0]) == "42"
        })
        var replication: [[String?]] = []
        #expect(Shared.eventually(timeout: 20) {
            replication = (try? p.execute("SELECT application_name, state FROM pg_stat_replication").rows) ?? []
            return replication == [["fixture_standby", "streaming"]]
        }, "\(replication)")
        #expect(throws: PGError.self) { try s.execute("INSERT INTO fixture_rows VALUES (1)") }

        try standby.promote()
        #expect(try s.execute("SELECT pg_is_in_recovery()").rows[0][0] == "f")
        try s.execute("INSERT INTO fixture_rows VALUES (43)")
        #expect(try s.execute("SELECT count(*) FROM fixture_rows").rows[0][0] == "2")
        #expect(try p.execute("SELECT count(*) FROM fixture_rows").rows[0][0] == "1")

        s.close()
        let postmaster = try #require(standby.postmasterPid)
        standby.stop()
        #expect(!FileManager.default.fileExists(atPath: standby.directory))
        #expect(Shared.eventually { kill(postmaster, 0) != 0 })
    }
}
