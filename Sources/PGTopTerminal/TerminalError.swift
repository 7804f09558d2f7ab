import CNCursesShim
import Glibc

/// Why pgtop cannot use the terminal, in one line for the user:
///
///     pgtop needs a terminal with cursor addressing; TERM=dumb has none
public struct TerminalError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }

    static let notATTY = TerminalError("pgtop needs a terminal (stdin/stdout is not a tty)")

    static func couldNotStart(term: String) -> TerminalError {
        TerminalError("pgtop could not start the terminal TERM=\(printable(term))")
    }

    /// The reason `term` cannot run pgtop, or nil when its terminfo entry can address the
    /// cursor. Reads the terminfo database only: nothing is written to the terminal.
    static func refusal(term: String?) -> TerminalError? {
        guard let term, !term.isEmpty else {
            return TerminalError("pgtop needs to know the terminal type: TERM is not set")
        }
        var why: Int32 = 0
        if pgtop_check_terminal(term, &why) == 1 { return nil }
        let name = printable(term)
        switch why {
        case -1:
            return TerminalError("pgtop cannot find a terminfo database to look up TERM=\(name)")
        case 0:
            return TerminalError("pgtop does not know the terminal TERM=\(name) (no terminfo entry); try TERM=xterm-256color")
        default:
            return TerminalError("pgtop needs a terminal with cursor addressing; TERM=\(name) has none")
        }
    }

    /// TERM comes from the environment: show it without control characters, and not too long.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(64) {
            out.unicodeScalars.append(scalar.value >= 0x20 && scalar.value < 0x7F ? scalar : "?")
        }
        return out
    }
}
