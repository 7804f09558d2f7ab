extension PGError {
    /// A failed connection from libpq's message: classified (libpq gives no SQLSTATE for a
    /// refused connection) and shortened to one line.
    ///
    ///     connection to server at "db1" (10.0.0.5), port 5432 failed: FATAL:  password authentication failed for user "app"
    ///     -> db1:5432: password authentication failed for user "app"   (.authenticationFailed, 28P01)
    static func fromConnection(_ message: String) -> PGError {
        let m = message.lowercased()
        let kind: Kind
        var sqlState: String?
        if m.contains("remaining connection slots are reserved") || m.contains("too many clients already")
            || m.contains("too many connections for") {
            kind = .tooManyConnections
            sqlState = "53300"
        } else if m.contains("password authentication failed") || m.contains("no password supplied") {
            kind = .authenticationFailed
            sqlState = "28P01"
        } else if m.contains("authentication failed") || m.contains("no pg_hba.conf entry")
            || (m.contains("role \"") && m.contains("does not exist")) {
            kind = .authenticationFailed
            sqlState = "28000"
        } else if m.contains("timeout expired") {
            kind = .timeout
        } else {
            kind = .connectionFailed
        }
        return PGError(kind, tidy(message), sqlState: sqlState)
    }

    /// One line from libpq's connection message, which has a line per address tried
    /// (`connection to server at "h" (addr), port p failed: REASON`), tab-indented hints, and
    /// the server's `FATAL:  ` prefix: `h:p: REASON`, one entry per distinct reason.
    static func tidy(_ message: String) -> String {
        var attempts: [(place: String?, reason: String)] = []
        for raw in message.split(separator: "\n", omittingEmptySubsequences: true) {
            if raw.first == "\t" || raw.first == " " { continue }  // libpq's hint: "Is the server running ..."
            let line = String(raw)
            if let (place, rest) = splitPlace(line) {
                attempts.append((place, stripSeverity(rest)))
            } else if let last = attempts.indices.last, line.hasPrefix("DETAIL:") || line.hasPrefix("HINT:") {
                attempts[last].reason += " (" + stripSeverity(line) + ")"
            } else {
                attempts.append((nil, stripSeverity(line)))
            }
        }
        // The same failure at every address of a host (::1, 127.0.0.1) is said once.
        var parts: [String] = []
        for attempt in attempts {
            let text = attempt.place.map { "\($0): \(attempt.reason)" } ?? attempt.reason
            if !parts.contains(text) { parts.append(text) }
        }
        return parts.isEmpty ? oneLine(message) : parts.joined(separator: "; ")
    }

    /// `connection to server at "h" (addr), port p failed: R` -> ("h:p", R);
    /// `connection to server on socket "/tmp/.s.PGSQL.5432" failed: R` -> ("/tmp/.s.PGSQL.5432", R).
    private static func splitPlace(_ line: String) -> (String, String)? {
        let atHost = "connection to server at \"", onSocket = "connection to server on socket \""
        let failed = " failed: "
        guard let failedRange = line.firstRange(of: failed) else { return nil }
        let head = line[..<failedRange.lowerBound]
        let reason = String(line[failedRange.upperBound...])
        if head.hasPrefix(onSocket) {
            return (String(head.dropFirst(onSocket.count).prefix { $0 != "\"" }), reason)
        }
        if head.hasPrefix(atHost) {
            let afterHost = head.dropFirst(atHost.count)
            let host = afterHost.prefix { $0 != "\"" }
            guard let portRange = afterHost.firstRange(of: ", port ") else { return (String(host), reason) }
            return ("\(host):\(afterHost[portRange.upperBound...])", reason)
        }
        return nil
    }

    /// `FATAL:  role "x" does not exist` -> `role "x" does not exist`.
    private static func stripSeverity(_ text: String) -> String {
        for severity in ["FATAL:", "ERROR:", "PANIC:", "DETAIL:", "HINT:"] where text.hasPrefix(severity) {
            return String(text.dropFirst(severity.count).drop { $0 == " " })
        }
        return text
    }
}
