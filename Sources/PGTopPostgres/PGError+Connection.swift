extension PGError {
    /// Classifies a failed connection from libpq's message (the server's SQLSTATE does not
    /// reach the client for a refused connection).
    static func fromConnection(_ message: String) -> PGError {
        let m = message.lowercased()
        let kind: Kind
        if m.contains("remaining connection slots are reserved") || m.contains("too many clients already")
            || m.contains("too many connections for") {
            kind = .tooManyConnections
        } else if m.contains("authentication failed") || m.contains("no password supplied")
            || m.contains("does not exist") && m.contains("role") || m.contains("no pg_hba.conf entry") {
            kind = .authenticationFailed
        } else if m.contains("timeout expired") {
            kind = .timeout
        } else {
            kind = .connectionFailed
        }
        return PGError(kind, message, sqlState: kind == .tooManyConnections ? "53300" : nil)
    }
}
