import Glibc
import PGTopCore
import PGTopPostgres

/// The first connection: a password asked for on the terminal when the server wants one,
/// a refusal explained, the server's figures read.
extension Session {
    /// Connects (prompting for a password on a terminal when the server asks for one) and
    /// reads the server's figures. Throws a `Failure` with what to tell the user.
    static func open(_ parameters: ConnectionParameters) throws -> Session {
        var parameters = parameters
        let connection = try connect(&parameters)
        do {
            let info = try connection.execute(ServerInfoQuery.sql, timeout: 10)
            let server = ServerInfoQuery.decode(info, endpoint: connection.endpoint)
            return Session(parameters: parameters, connection: connection, server: server)
        } catch {
            connection.close()
            throw Failure("cannot read the server's settings: \(error.description)")
        }
    }

    /// The first connection, or a `Failure` that explains the refusal (see `Refusal`). A
    /// password typed at the prompt is kept in `parameters` for reconnections.
    static func connect(_ parameters: inout ConnectionParameters) throws(Failure) -> PGConnection {
        var prompted = false
        while true {
            do {
                return try PGConnection.connect(parameters, timeout: 15, limits: limits)
            } catch {
                if error.needsPassword && !prompted && isatty(0) == 1, let password = askPassword() {
                    parameters.password = password
                    prompted = true
                    continue
                }
                throw Failure(Refusal.explain(error.description, target: error.attempted ?? Refusal.Target()))
            }
        }
    }

    static func askPassword() -> String? {
        guard let raw = getpass("Password: ") else { return nil }
        return String(cString: raw)
    }
}
