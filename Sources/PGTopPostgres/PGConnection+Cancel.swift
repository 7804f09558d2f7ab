import CLibPQ
import Glibc

/// The client's own bound on a statement: a cancel request sent from a short-lived thread
/// (PQcancel opens a connection of its own and waits for it, so never on the main loop's).
/// The server's statement_timeout ends pgtop's statements first; this is what ends them where
/// it cannot (PostgreSQL 9.2 to 10 arm it once per transaction, before pgtop's limits are set).
///
///     if now - sentAt >= Session.cancelAfter { connection.cancelInBackground() }
extension PGConnection {
    /// Asks the server to cancel the statement under way, without waiting; best effort (a
    /// statement that ended meanwhile is not affected: the server cancels only what runs).
    public func cancelInBackground() {
        guard let conn, let cancel = PQgetCancel(conn) else { return }
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let started = pthread_create(&thread, &attributes, { argument in
            guard let argument else { return nil }
            let cancel = OpaquePointer(argument)
            var buffer = [CChar](repeating: 0, count: 256)
            PQcancel(cancel, &buffer, Int32(buffer.count))
            PQfreeCancel(cancel)
            return nil
        }, UnsafeMutableRawPointer(cancel))
        if started != 0 { PQfreeCancel(cancel) }
    }
}
