import PGTopCore

/// A failure from libpq or the server, as one line a user can act on.
///
///     do { _ = try c.execute("SELECT * FROM nope") } catch {
///         error.kind        // .queryFailed
///         error.sqlState    // "42P01"
///         "\(error)"        // relation "nope" does not exist
///     }
public struct PGError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The server could not be reached or refused the connection for another reason.
        case connectionFailed
        /// Wrong password, unknown role, no pg_hba.conf entry (SQLSTATE 28P01, 28000).
        case authenticationFailed
        /// The server has no slot left for this role (SQLSTATE 53300).
        case tooManyConnections
        /// The server answered a query with an error.
        case queryFailed
        /// The connection broke (server ended the session, network gone).
        case connectionLost
        /// pgtop's deadline, libpq's connect_timeout, statement_timeout or lock_timeout.
        case timeout
    }

    public var kind: Kind
    /// One line, no trailing newline.
    public var message: String
    /// SQLSTATE: from the server for query errors; for a refused connection (where libpq gives
    /// no SQLSTATE) inferred from the message for the cases `kind` distinguishes.
    public var sqlState: String?
    /// libpq says the server asked for a password and none was given: prompt, then retry with
    /// `ConnectionParameters.password`.
    public var needsPassword = false
    /// For a failed connection: where it went (host, port, database, user as libpq resolved
    /// them), so that advice can name the same place.
    public var attempted: Refusal.Target?

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil) {
        self.kind = kind
        self.message = PGError.oneLine(message)
        self.sqlState = sqlState
    }

    public var description: String { message }

    /// An error the server sent for a query, classified by its SQLSTATE.
    static func fromServer(sqlState: String?, message: String) -> PGError {
        let kind: Kind
        switch sqlState {
        case "57014"? where message.contains("timeout"): kind = .timeout      // statement_timeout
        case "55P03"? where message.contains("lock timeout"): kind = .timeout // lock_timeout
        case "57P01"?, "57P02"?, "57P03"?: kind = .connectionLost             // admin or crash shutdown
        case "53300"?: kind = .tooManyConnections
        case let state? where state.hasPrefix("28"): kind = .authenticationFailed
        default: kind = .queryFailed
        }
        return PGError(kind, message, sqlState: sqlState)
    }

    /// libpq's messages span lines and end in a newline; keep their words on one line, and
    /// control characters out.
    static func oneLine(_ text: String) -> String {
        var out = ""
        var lastSpace = true
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" || scalar == " " {
                if !lastSpace { out.unicodeScalars.append(" ") }
                lastSpace = true
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                out.unicodeScalars.append("?")
                lastSpace = false
            } else {
                out.unicodeScalars.append(scalar)
                lastSpace = false
            }
        }
        while out.last == " " { out.removeLast() }
        return out
    }
}
