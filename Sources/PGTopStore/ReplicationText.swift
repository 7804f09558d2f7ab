import Foundation
import PGTopCore

/// A sample's standbys and replication slots as JSON text in one column each, so a user reads
/// them with SQLite's `json_each`: `[{"name":"s1","state":"streaming","lag_bytes":0,...}]`.
/// Text that does not parse reads as none.
enum ReplicationText {
    static func standbys(_ list: [ServerStats.Standby]) -> String {
        encode(list.map { s in
            ["name": s.name, "state": s.state, "lag_bytes": json(s.lagBytes), "write_bytes": json(s.writeBytes),
             "flush_bytes": json(s.flushBytes), "write_lag_s": json(s.writeLag), "flush_lag_s": json(s.flushLag),
             "replay_lag_s": json(s.replayLag)]
        })
    }

    static func slots(_ list: [ServerStats.Slot]) -> String {
        encode(list.map { ["name": $0.name, "active": $0.active, "retained_bytes": json($0.retainedBytes)] })
    }

    static func standbys(_ text: String) -> [ServerStats.Standby] {
        decode(text).map { o in
            ServerStats.Standby(name: o["name"] as? String ?? "", state: o["state"] as? String ?? "",
                                lagBytes: int(o["lag_bytes"]), writeBytes: int(o["write_bytes"]),
                                flushBytes: int(o["flush_bytes"]), writeLag: double(o["write_lag_s"]),
                                flushLag: double(o["flush_lag_s"]), replayLag: double(o["replay_lag_s"]))
        }
    }

    static func slots(_ text: String) -> [ServerStats.Slot] {
        decode(text).map { o in
            ServerStats.Slot(name: o["name"] as? String ?? "", active: o["active"] as? Bool ?? false,
                             retainedBytes: int(o["retained_bytes"]))
        }
    }

    private static func int(_ v: Any?) -> Int64? { (v as? NSNumber)?.int64Value }
    private static func double(_ v: Any?) -> Double? { (v as? NSNumber)?.doubleValue }

    /// A value, or JSON null for nil.
    private static func json<T>(_ v: T?) -> Any { v.map { $0 } ?? NSNull() }

    private static func encode(_ objects: [[String: Any]]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys]) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func decode(_ text: String) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? []
    }
}
