/// A failure from libpq or the server, as one line a user can act on.
public struct PGError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        case connectionFailed
        case authenticationFailed
        /// The server has no slot left for this role (SQLSTATE 53300).
        case tooManyConnections
        case queryFailed
        case connectionLost
        case timeout
    }

    public var kind: Kind
    public var message: String
    /// SQLSTATE, when the server sent one.
    public var sqlState: String?
    /// libpq says the server asked for a password and none was given.
    public var needsPassword = false

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil) {
        self.kind = kind
        self.message = PGError.oneLine(message)
        self.sqlState = sqlState
    }

    public var description: String { message }

    /// libpq's messages span lines and end in a newline; keep their words on one line.
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
