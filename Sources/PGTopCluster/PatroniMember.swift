#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One member of a Patroni cluster as its REST API's `GET /cluster` lists it (the columns of
/// `patronictl list`): who it is, its role and state, where its PostgreSQL listens, how far behind.
///
///     PatroniMember(name: "node2", role: "replica", state: "streaming", host: "127.0.0.1", port: 41002,
///                   timeline: 2, lag: 0, apiURL: "http://127.0.0.1:41012/patroni")
public struct PatroniMember: Sendable, Equatable, Decodable {
    public var name: String
    /// "leader", "replica", "sync_standby", "quorum_standby" or "standby_leader".
    public var role: String
    /// "running" (the leader), "streaming" (a replica receiving WAL), "starting", "stopped",
    /// "crashed", "creating replica" and the like.
    public var state: String
    public var host: String?
    public var port: Int?
    public var timeline: Int?
    /// Bytes of WAL behind the leader; nil for the leader and while it is "unknown".
    public var lag: Int?
    public var apiURL: String?

    public var isLeader: Bool { role == "leader" || role == "standby_leader" }
    public var isStreaming: Bool { state == "streaming" }

    public init(name: String, role: String, state: String, host: String? = nil, port: Int? = nil,
                timeline: Int? = nil, lag: Int? = nil, apiURL: String? = nil) {
        self.name = name
        self.role = role
        self.state = state
        self.host = host
        self.port = port
        self.timeline = timeline
        self.lag = lag
        self.apiURL = apiURL
    }

    enum CodingKeys: String, CodingKey {
        case name, role, state, host, port, timeline, lag
        case apiURL = "api_url"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        role = try c.decodeIfPresent(String.self, forKey: .role) ?? ""
        state = try c.decodeIfPresent(String.self, forKey: .state) ?? ""
        host = try c.decodeIfPresent(String.self, forKey: .host)
        port = try c.decodeIfPresent(Int.self, forKey: .port)
        timeline = try c.decodeIfPresent(Int.self, forKey: .timeline)
        // A number of bytes, or the text "unknown" while the member has not said.
        lag = (try? c.decodeIfPresent(Int.self, forKey: .lag)) ?? nil
        apiURL = try c.decodeIfPresent(String.self, forKey: .apiURL)
    }

    private struct Cluster: Decodable {
        let members: [PatroniMember]
    }

    /// The members in a `GET /cluster` answer, sorted by name as Patroni sends them; nil when
    /// the text is not such an answer.
    public static func decodeCluster(_ json: String) -> [PatroniMember]? {
        try? JSONDecoder().decode(Cluster.self, from: Data(json.utf8)).members
    }
}
