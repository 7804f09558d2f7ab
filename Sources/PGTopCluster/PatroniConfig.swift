/// One member of a throwaway Patroni cluster: its name, its ports, and its files in the
/// cluster's directory (`node1.yml`, `node1.log`, `node1.pid`, `node1-data/`, `node1.pgpass`).
struct PatroniNode: Sendable, Equatable {
    let name: String
    let restPort: Int
    let pgPort: Int
    let directory: String

    var configPath: String { "\(directory)/\(name).yml" }
    var logPath: String { "\(directory)/\(name).log" }
    var pidPath: String { "\(directory)/\(name).pid" }
    var dataDirectory: String { "\(directory)/\(name)-data" }
    var pgpassPath: String { "\(directory)/\(name).pgpass" }
}

/// What a throwaway Patroni cluster's files say: etcd's command line and each member's YAML.
/// Fast for tests: `loop_wait` 1 s and the smallest `ttl` Patroni takes (20 s);
/// `primary_start_timeout` 0, so a leader whose PostgreSQL crashed hands over at once instead
/// of restarting it; `use_pg_rewind`, so an old leader rejoins as a replica; trust
/// authentication on loopback and the Unix socket (in the cluster's directory); durability off.
struct PatroniConfig: Sendable {
    static let scope = "pgtop"
    let directory: String
    let binDirectory: String
    let etcdClientPort: Int
    let etcdPeerPort: Int
    let nodes: [PatroniNode]

    /// `etcd`'s arguments after the program: one member, `e1`, its data in `etcd/`.
    func etcdArguments() -> [String] {
        let client = "http://127.0.0.1:\(etcdClientPort)", peer = "http://127.0.0.1:\(etcdPeerPort)"
        return ["--name", "e1", "--data-dir", directory + "/etcd",
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "e1=" + peer, "--initial-cluster-state", "new"]
    }

    func yaml(for node: PatroniNode) -> String {
        """
        # written by pgtop's ThrowawayPatroni
        scope: \(Self.scope)
        name: \(node.name)
        restapi:
          listen: 127.0.0.1:\(node.restPort)
          connect_address: 127.0.0.1:\(node.restPort)
        etcd3:
          hosts: 127.0.0.1:\(etcdClientPort)
        bootstrap:
          dcs:
            ttl: 20
            loop_wait: 1
            retry_timeout: 5
            maximum_lag_on_failover: 1048576
            primary_start_timeout: 0
            postgresql:
              use_pg_rewind: true
              parameters:
                max_connections: 40
                wal_keep_size: 64MB
          initdb:
          - encoding: UTF8
          - locale: C
        postgresql:
          listen: 127.0.0.1:\(node.pgPort)
          connect_address: 127.0.0.1:\(node.pgPort)
          data_dir: \(Self.quoted(node.dataDirectory))
          bin_dir: \(Self.quoted(binDirectory))
          pgpass: \(Self.quoted(node.pgpassPath))
          pg_hba:
          - local all all trust
          - local replication all trust
          - host replication all 127.0.0.1/32 trust
          - host all all 127.0.0.1/32 trust
          authentication:
            superuser: {username: postgres, password: pgtop}
            replication: {username: replicator, password: pgtop}
            rewind: {username: postgres, password: pgtop}
          parameters:
            unix_socket_directories: \(Self.quoted(directory))
            fsync: 'off'
            synchronous_commit: 'off'

        """
    }

    /// A YAML single-quoted scalar: `'it''s'`.
    static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }
}
