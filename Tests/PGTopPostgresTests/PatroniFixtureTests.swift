import Foundation
import Testing
@testable import PGTopCluster
import PGTopPostgres

/// The throwaway Patroni cluster itself (one etcd, three PostgreSQL members): one leader and two
/// streaming replicas as `GET /cluster` says and as PostgreSQL says; a switchover; a crashed
/// leader's failover; a member stopped and started; nothing left after stop() or its watcher.
/// Serialized: the tests take turns at the one shared cluster, each leaving it settled.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PatroniFixtureTests {
    let clock = ContinuousClock()

    @Test func threeMembersOneLeaderStreaming() throws {
        guard let ha = try SharedPatroni.cluster(for: "ThrowawayPatroni members") else { return }
        try ha.waitUntilSettled()
        let members = try ha.members()
        #expect(members.map(\.name) == ["node1", "node2", "node3"])
        let leaders = members.filter(\.isLeader)
        #expect(leaders.map(\.role) == ["leader"] && leaders.map(\.state) == ["running"])
        for m in members {
            #expect(m.host == "127.0.0.1" && m.port == ha.port(member: m.name), "\(m)")
            #expect(m.apiURL == ha.restURL(member: m.name) + "/patroni")
            if !m.isLeader { #expect(m.role == "replica" && m.isStreaming && m.lag != nil, "\(m)") }
        }
        let leader = try ha.leader()

        // What PostgreSQL says: the leader takes writes and sends WAL to both replicas (named
        // after them), which are in recovery and get the row.
        let l = try SharedPatroni.connect(ha, member: leader.name)
        defer { l.close() }
        #expect(try l.execute("SELECT pg_is_in_recovery()").rows[0][0] == "f")
        let tag = "row-\(UInt32.random(in: 0...UInt32.max))"
        try l.execute("CREATE TABLE IF NOT EXISTS fixture_rows (tag text)")
        try l.execute("INSERT INTO fixture_rows VALUES ($1)", [tag])
        for replica in members where !replica.isLeader {
            // Over TCP, where /cluster says it listens: the way a fleet view reaches it.
            let r = try PGConnection.connect(ConnectionParameters(conninfo: nil, host: replica.host, port: replica.port.map { "\($0)" },
                                                                  user: "postgres", database: nil, applicationName: "x"), timeout: 10)
            defer { r.close() }
            #expect(try r.execute("SELECT pg_is_in_recovery()").rows[0][0] == "t")
            #expect(Shared.eventually(timeout: 20) {
                (try? r.execute("SELECT count(*) FROM fixture_rows WHERE tag = $1", [tag]).rows[0][0]) == "1"
            })
        }
        let senders = try l.execute("SELECT application_name, state FROM pg_stat_replication ORDER BY 1").rows
        #expect(senders == members.filter { !$0.isLeader }.map { [$0.name, "streaming"] })
    }

    /// `GET /cluster` decoded agrees with `patronictl list -f json`.
    @Test func clusterAsPatronictlListsIt() throws {
        guard let ha = try SharedPatroni.cluster(for: "ThrowawayPatroni /cluster") else { return }
        try ha.waitUntilSettled()
        let members = try ha.members()
        let listed = ha.patronictl(["list", "-f", "json"])
        #expect(listed.status == 0, "\(listed.output)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["Member"] as? String } == members.map(\.name))
        #expect(rows.map { ($0["Role"] as? String)?.lowercased() } == members.map(\.role))
        #expect(rows.map { $0["State"] as? String } == members.map(\.state))
        #expect(rows.map { $0["Host"] as? String } == members.map { "\($0.host ?? ""):\($0.port ?? 0)" })
        #expect(rows.map { $0["TL"] as? Int } == members.map(\.timeline))
        #expect(rows.allSatisfy { $0["Cluster"] as? String == ha.scope })
    }

    @Test func switchoverMovesTheLeader() throws {
        guard let ha = try SharedPatroni.cluster(for: "ThrowawayPatroni switchover") else { return }
        try ha.waitUntilSettled()
        let old = try ha.leader()
        let candidate = try #require(try ha.members().first { !$0.isLeader }).name
        let start = clock.now
        let new = try ha.switchover(to: candidate)
        let moved = clock.now - start
        try ha.waitUntilSettled()
        print("ThrowawayPatroni: switchover \(old.name) -> \(candidate): leader in \(SharedPatroni.seconds(moved)) s, settled in \(SharedPatroni.seconds(clock.now - start)) s")
        #expect(new.name == candidate && new.isLeader)
        // A new timeline, once the leader's next loop has said so.
        #expect(Shared.eventually(timeout: 10) { ((try? ha.leader())?.timeline ?? 0) > (old.timeline ?? 0) })
        let before = try #require(try ha.members().first { $0.name == old.name })
        #expect(before.role == "replica" && before.isStreaming)
        let c = try SharedPatroni.connect(ha, member: old.name)
        defer { c.close() }
        #expect(try c.execute("SELECT pg_is_in_recovery()").rows[0][0] == "t")
        #expect(throws: ClusterError.self) { try ha.switchover(to: candidate) }
        #expect(throws: ClusterError.self) { try ha.switchover(to: "node9") }
    }

    @Test func killedLeaderFailsOver() throws {
        guard let ha = try SharedPatroni.cluster(for: "ThrowawayPatroni failover") else { return }
        try ha.waitUntilSettled()
        let old = try ha.leader()
        let start = clock.now
        let killed = try ha.killLeader()
        let new = try ha.waitForLeader(not: killed)
        let failedOver = clock.now - start
        try ha.waitUntilSettled(timeout: 90)
        print("ThrowawayPatroni: \(killed)'s postmaster killed: \(new.name) leader in \(SharedPatroni.seconds(failedOver)) s, \(killed) streaming again in \(SharedPatroni.seconds(clock.now - start)) s")
        #expect(killed == old.name && new.name != old.name)
        #expect(Shared.eventually(timeout: 10) { ((try? ha.leader())?.timeline ?? 0) > (old.timeline ?? 0) })
        let rejoined = try #require(try ha.members().first { $0.name == killed })
        #expect(rejoined.role == "replica" && rejoined.isStreaming)

        let tag = "after-failover-\(UInt32.random(in: 0...UInt32.max))"
        let l = try SharedPatroni.connect(ha, member: new.name)
        defer { l.close() }
        try l.execute("CREATE TABLE IF NOT EXISTS fixture_rows (tag text)")
        try l.execute("INSERT INTO fixture_rows VALUES ($1)", [tag])
        let r = try SharedPatroni.connect(ha, member: killed)
        defer { r.close() }
        #expect(Shared.eventually(timeout: 20) {
            (try? r.execute("SELECT count(*) FROM fixture_rows WHERE tag = $1", [tag]).rows[0][0]) == "1"
        })
    }

    /// A replica whose patroni is stopped leaves `/cluster` (or shows stopped until its key
    /// expires); started again it streams again.
    @Test func stoppedMemberRejoins() throws {
        guard let ha = try SharedPatroni.cluster(for: "ThrowawayPatroni stop and start a member") else { return }
        try ha.waitUntilSettled()
        let replica = try #require(try ha.members().first { !$0.isLeader }).name
        try ha.stopMember(replica)
        #expect(Shared.eventually(timeout: 30) {
            guard let members = try? ha.members() else { return false }
            return members.allSatisfy { $0.name != replica || $0.state == "stopped" }
        })
        #expect(throws: PGError.self) { try SharedPatroni.connect(ha, member: replica) }
        try ha.waitUntilSettled()
        try ha.startMember(replica)
        try ha.waitUntilSettled()
        #expect(try ha.members().count == 3)
        #expect(throws: ClusterError.self) { try ha.startMember(replica) }
    }

    /// The pids of what a cluster runs: etcd, each patroni, each postmaster.
    func pids(_ ha: ThrowawayPatroni) -> [Int32] {
        (["etcd.pid"] + ha.memberNames.flatMap { ["\($0).pid", "\($0)-data/postmaster.pid"] })
            .compactMap { readPid(ha.directory + "/" + $0) }
    }

    @Test func stopLeavesNothing() throws {
        guard let ha = try ThrowawayPatroni.startIfInstalled(members: 1) else {
            print(ThrowawayPatroni.skipped("ThrowawayPatroni stop")); return
        }
        #expect(ha.directory.hasPrefix("/tmp/pgtop-patroni-"))
        if geteuid() == 0 {
            let owner = try FileManager.default.attributesOfItem(atPath: ha.directory)[.ownerAccountName] as? String
            #expect(owner == "postgres")
        }
        #expect(try ha.leader().name == "node1")
        let running = pids(ha)
        #expect(running.count == 3)
        ha.stop()
        #expect(!FileManager.default.fileExists(atPath: ha.directory))
        #expect(Shared.eventually(timeout: 10) { running.allSatisfy { !isRunning($0) } })
        ha.stop()
    }

    /// What the watcher does once this process has gone (its pipe closed).
    @Test func exitWatcherStopsIt() throws {
        guard let ha = try ThrowawayPatroni.startIfInstalled(members: 1) else {
            print(ThrowawayPatroni.skipped("ThrowawayPatroni watcher")); return
        }
        let running = pids(ha)
        #expect(running.count == 3)
        try ExitWatcher.start(directory: ha.directory, script: ExitWatcher.patroniScript).release()
        #expect(!FileManager.default.fileExists(atPath: ha.directory))
        #expect(running.allSatisfy { !isRunning($0) })
        ha.stop()  // nothing left to do
    }

    @Test func clusterJSONDecoded() {
        let json = """
            {"members": [{"name": "node1", "role": "leader", "state": "running", "api_url": "http://127.0.0.1:8009/patroni",
              "host": "127.0.0.1", "port": 5621, "timeline": 2},
             {"name": "node2", "role": "replica", "state": "streaming", "host": "127.0.0.1", "port": 5622, "timeline": 2,
              "receive_lag": 0, "receive_lsn": "0/404B5F0", "replay_lag": 0, "replay_lsn": "0/404B5F0", "lag": 16, "lsn": "0/404B5F0"},
             {"name": "node3", "role": "replica", "state": "stopped", "lag": "unknown", "lsn": "unknown", "tags": {"nofailover": true}}],
             "scope": "demo"}
            """
        #expect(PatroniMember.decodeCluster(json) == [
            PatroniMember(name: "node1", role: "leader", state: "running", host: "127.0.0.1", port: 5621, timeline: 2,
                          apiURL: "http://127.0.0.1:8009/patroni"),
            PatroniMember(name: "node2", role: "replica", state: "streaming", host: "127.0.0.1", port: 5622, timeline: 2, lag: 16),
            PatroniMember(name: "node3", role: "replica", state: "stopped"),
        ])
        #expect(PatroniMember.decodeCluster("not json") == nil)
        #expect(PatroniMember.decodeCluster("{}") == nil)
        #expect(ThrowawayPatroni.settled(PatroniMember.decodeCluster(json)!, expected: ["node1", "node2"]))
        #expect(!ThrowawayPatroni.settled(PatroniMember.decodeCluster(json)!, expected: ["node1", "node2", "node3"]))
        #expect(ThrowawayPatroni.describe(PatroniMember.decodeCluster(json)!)
                == "node1 leader running TL2, node2 replica streaming TL2 lag 16, node3 replica stopped")
    }

    @Test func configurationAndSkipLine() {
        let node = PatroniNode(name: "node2", restPort: 41012, pgPort: 41022, directory: "/tmp/pgtop-patroni-x")
        let config = PatroniConfig(directory: "/tmp/pgtop-patroni-x", binDirectory: "/usr/lib/postgresql/15/bin",
                                   etcdClientPort: 41001, etcdPeerPort: 41002, nodes: [node])
        let yaml = config.yaml(for: node)
        #expect(yaml.contains("name: node2\n") && yaml.contains("  listen: 127.0.0.1:41012\n") && yaml.contains("  hosts: 127.0.0.1:41001\n"))
        #expect(yaml.contains("  listen: 127.0.0.1:41022\n") && yaml.contains("  data_dir: '/tmp/pgtop-patroni-x/node2-data'\n"))
        #expect(config.etcdArguments().contains("e1=http://127.0.0.1:41002"))
        #expect(PatroniConfig.quoted("it's") == "'it''s'")
        #expect(LoopbackHTTP.parse("HTTP/1.0 503 Service Unavailable\r\nServer: x\r\n\r\n{\"a\": 1}")?.status == 503)
        #expect(LoopbackHTTP.parse("HTTP/1.0 200 OK\r\n\r\nbody")?.body == "body")
        #expect(LoopbackHTTP.parse("garbage") == nil)
        #expect(ThrowawayPatroni.skipped("x").hasPrefix("x skipped: "))
        #expect(PatroniInstall.locateEtcd(searchPath: "/nonexistent") == (access("/usr/bin/etcd", X_OK) == 0 ? "/usr/bin/etcd" : nil))
    }
}
