extension PGError {
    /// A failed connection that waiting may fix: no server listening (yet), one starting up or
    /// shutting down, a host name not resolved yet, a network down, a timeout, no slot free.
    /// Not a wrong password, an unknown role or database, no permission, a bad option: those
    /// stay wrong until the command line or the server's configuration changes.
    /// `pgtop record` keeps trying the first kind (it may start before its server) and refuses
    /// the second at once.
    public var isUnreachable: Bool {
        switch kind {
        case .timeout, .tooManyConnections, .connectionLost: return true
        case .authenticationFailed, .queryFailed: return false
        case .connectionFailed:
            let m = message.lowercased()
            return Self.unreachableWords.contains { m.contains($0) }
        }
    }

    static let unreachableWords = [
        "connection refused", "no such file or directory", "is the server running",
        "the database system is starting up", "the database system is shutting down",
        "the database system is in recovery mode", "the database system is not yet accepting connections",
        "the database system is not accepting connections",
        "could not translate host name", "temporary failure in name resolution", "name or service not known",
        "network is unreachable", "no route to host", "host is down", "connection timed out", "timeout expired",
        "server closed the connection unexpectedly", "could not receive data", "could not send data",
        "connection reset by peer",
    ]
}
