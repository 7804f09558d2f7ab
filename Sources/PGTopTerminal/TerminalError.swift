import CNCursesShim
import Glibc
import Synchronization

/// ncurses keeps the terminfo entry it looks up in globals: one look-up at a time.
private let lookUp = Mutex<Void>(())

/// Why pgtop cannot use the terminal, in one line for the user:
///
///     TERM=dumb cannot move the cursor; a full-screen terminal is needed, e.g. TERM=xterm-256color
public struct TerminalError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }

    static let notATTY = TerminalError("needs a terminal: stdin or stdout is not a tty")

    static func couldNotStart(term: String) -> TerminalError {
        TerminalError("could not start the terminal TERM=\(printable(term))")
    }

    /// The reason `term` cannot run pgtop, or nil when its terminfo entry can address the
    /// cursor. Reads the terminfo database only: nothing is written to the terminal.
    static func refusal(term: String?) -> TerminalError? {
        guard let term, !term.isEmpty else {
            return TerminalError("TERM is not set, so the terminal type is unknown; try TERM=xterm-256color")
        }
        var why: Int32 = 0
        let found = lookUp.withLock { _ in pgtop_check_terminal(term, &why) }
        if found == 1 { return nil }
        let name = printable(term)
        switch why {
        case -1:
            return TerminalError("no terminfo database to look up TERM=\(name) (install ncurses-base)")
        case 0:
            return TerminalError("unknown terminal TERM=\(name) (no terminfo entry); try TERM=xterm-256color")
        default:
            return TerminalError("TERM=\(name) cannot move the cursor; a full-screen terminal is needed, e.g. TERM=xterm-256color")
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
