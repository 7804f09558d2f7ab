import Foundation
import Testing
import PGTopCluster
import PGTopCore
import PGTopPostgres

/// A primary with a streaming standby (pg_basebackup of it) and an unused replication slot:
/// the header shows the standby and its lag on the primary, the replay lag on the standby, and
/// the slot with the WAL it keeps.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ReplicationTests {
    @Test func standbyLagAndSlotsInTheHeader() throws {
        let primary = try ThrowawayCluster.start(ClusterOptions(stopsWithProcess: true))
        defer { primary.stop() }
        let server = VersionMatrixTests.Server(cluster: primary)
        let admin = try server.connect(application: "repl-admin")
        defer { admin.close() }
        try admin.execute("SELECT pg_create_physical_replication_slot('keeper', true)")
        let standby = try primary.startStandby(named: "replica1", ClusterOptions(stopsWithProcess: true))
        defer { standby.stop() }
        try admin.execute("CREATE TABLE filler AS SELECT g, repeat('x', 100) AS pad FROM generate_series(1, 20000) g")

        var seen = ServerStats(at: 0)
        let streaming = try server.eventually(timeout: 20) {
            seen = try #require(StatsQuery.decode(try admin.execute(StatsQuery.sql(serverVersion: admin.serverVersion, withSize: false))))
            return seen.standbys.first?.state == "streaming" && seen.standbys.first?.lagBytes != nil  // replay_lsn comes with the first feedback
        }
        #expect(streaming)
        #expect(!seen.inRecovery)
        #expect(seen.standbys.map(\.name) == ["replica1"])
        #expect(seen.standbys.first?.lagBytes != nil)
        let keeper = try #require(seen.slots.first { $0.name == "keeper" })
        #expect(!keeper.active && (keeper.retainedBytes ?? 0) > 1_000_000)  // the filler's WAL, at least

        let replica = try VersionMatrixTests.Server(cluster: standby).connect(application: "repl-check")
        defer { replica.close() }
        let far = try #require(StatsQuery.decode(try replica.execute(StatsQuery.sql(serverVersion: replica.serverVersion, withSize: false))))
        #expect(far.inRecovery && far.replayBytes != nil && far.standbys.isEmpty)

        let env = ["LANG": "C.UTF-8", "TERM": "xterm-256color"]
        let onPrimary = try Tmux("\(Harness.binary) -h \(primary.socketDirectory) -p \(primary.port) -U postgres --no-audit-log",
                                 width: 200, height: 30, environment: env)
        let top = try onPrimary.wait(timeout: 15, for: "the standby") { $0.contains("standby replica1 streaming") }
        #expect(top.contains("slot keeper inactive, keeps "))
        onPrimary.kill()
        let onStandby = try Tmux("\(Harness.binary) -h \(standby.socketDirectory) -p \(standby.port) -U postgres --no-audit-log",
                                 width: 200, height: 30, environment: env)
        try onStandby.wait(timeout: 15, for: "the replay lag") { $0.contains("STANDBY replay lag") && $0.contains("behind") }
        onStandby.kill()
    }
}
