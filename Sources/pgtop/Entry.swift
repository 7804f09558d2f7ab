import ArgumentParser
import Glibc
import PGTopCore

/// Runs the command: usage and connection errors print one line on stderr and exit 2,
/// `--help` and `--version` print to stdout and exit 0.
@main
enum Entry {
    static func main() {
        // Each refresh frees and allocates the same few large blocks (the answer, the rows):
        // keep them in the heap instead of mapping and unmapping them every time, which cost
        // a page fault per 4 KB (pgtop-bench, 2,000 backends: ~7% of pgtop's CPU).
        _ = glibcMallopt(-3 /* M_MMAP_THRESHOLD */, 8 << 20)
        _ = glibcMallopt(-1 /* M_TRIM_THRESHOLD */, 16 << 20)
        // `pgtop record|replay|report ...`: the first word names the command; anything else is
        // the screen's (a database named so is `pgtop dbname=record`).
        var arguments = Array(CommandLine.arguments.dropFirst())
        var type: ParsableCommand.Type = PGTop.self
        if let first = arguments.first, let sub = PGTop.subcommands[first] {
            type = sub
            arguments.removeFirst()
        }
        if type == PGTop.self { arguments = PGTop.bareRecordFlag(arguments) }
        let name = type == PGTop.self ? "pgtop" : "pgtop \(type.configuration.commandName ?? "")"
        do {
            var command = try type.parseAsRoot(arguments)
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)  // --fail-if-empty: nothing matched, nothing to say
        } catch {
            let code = type.exitCode(for: error)
            if code == .success {
                print(type.fullMessage(for: error))
                exit(0)
            }
            if let failure = error as? Failure {
                Console.error("\(name): \(failure)")  // one line, or the paragraph a refusal needs
            } else {
                Console.error("\(name): \(oneLine(type.message(for: error))) (see \(name) --help)")
            }
            exit(2)
        }
        exit(0)
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters() }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}


/// glibc's `mallopt` (malloc.h), which the Glibc module does not export; both arguments and
/// the result are C ints.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
