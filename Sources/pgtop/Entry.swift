import ArgumentParser
import Glibc

/// Runs the command: usage and connection errors print one line on stderr and exit 2,
/// `--help` and `--version` print to stdout and exit 0.
@main
enum Entry {
    static func main() {
        do {
            var command = try PGTop.parseAsRoot()
            try command.run()
        } catch {
            let code = PGTop.exitCode(for: error)
            if code == .success {
                print(PGTop.fullMessage(for: error))
                exit(0)
            }
            let message = error is Failure ? "\(error)" : PGTop.message(for: error)
            let hint = error is Failure ? "" : " (see pgtop --help)"
            Console.error("pgtop: \(oneLine(message))\(hint)")
            exit(2)
        }
        exit(0)
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters() }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

extension Substring {
    func trimmingCharacters() -> Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
