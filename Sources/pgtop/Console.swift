import Glibc
import PGTopCore

/// Lines for the user outside the screen (before curses starts, after it ends).
enum Console {
    /// A line on stderr, passwords masked (`Redaction`): those of any conninfo on the command
    /// line, and anything shaped like one.
    static func error(_ line: String) {
        let text = Redaction.redact(line, secrets: commandLineSecrets) + "\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    /// The passwords of the conninfo strings and URIs on the command line (`--conninfo=...` too).
    static let commandLineSecrets: [String] = CommandLine.arguments.dropFirst().flatMap { argument -> [String] in
        let value = argument.hasPrefix("--") ? String(argument.drop { $0 != "=" }.dropFirst()) : argument
        return Redaction.secrets(in: argument) + (value.isEmpty ? [] : Redaction.secrets(in: value))
    }

    /// Text on stdout, all of it (a pipe may take it in pieces).
    static func out(_ text: String, newline: Bool = true) {
        var bytes = Array((newline ? text + "\n" : text).utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + done, $0.count - done) }
            if n <= 0 { if errno == EINTR { continue }; return }
            done += n
        }
    }
}
