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
            if let failure = error as? Failure {
                Console.error("pgtop: \(failure)")  // one line, or the paragraph a refusal needs
            } else {
                Console.error("pgtop: \(oneLine(PGTop.message(for: error))) (see pgtop --help)")
            }
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
