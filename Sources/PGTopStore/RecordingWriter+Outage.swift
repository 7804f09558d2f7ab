/// What the recorder learns about an outage after it began (the recorder's additions to the
/// writer; the writer's own outage calls are in RecordingWriter.swift).
extension RecordingWriter {
    /// The reason of the outage still open (its `to_us` NULL), said again once more is known:
    /// the connection was lost, and on reconnecting the server turned out to have restarted.
    /// Nothing when no outage is open.
    public func amendOpenOutage(reason: String) throws {
        let s = try db.prepare("UPDATE outages SET reason = ?1 WHERE to_us IS NULL")
        s.bind(1, reason)
        try s.run()
    }
}
