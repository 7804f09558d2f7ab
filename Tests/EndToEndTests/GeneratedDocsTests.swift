import Foundation
import Testing

/// docs/pgtop.1 and docs/completions/ come from the command-line definition
/// (`scripts/generate-docs.sh`); they must not fall behind it.
@Suite struct GeneratedDocsTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs").path

    /// Every long option `pgtop --help` lists.
    static func options() -> [String] {
        let help = Harness.runBinary(["--help"]).output
        let words = help.split(whereSeparator: { !($0.isLetter || $0 == "-") })
        return words.filter { $0.hasPrefix("--") && $0.count > 3 && $0.dropFirst(2).first?.isLetter == true }
            .map { String($0) }
            .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    @Test func theManPageHasEveryOption() throws {
        let page = try String(contentsOfFile: Self.docs + "/pgtop.1", encoding: .utf8)
        let options = Self.options()
        #expect(options.contains("--once") && options.contains("--no-color"))
        for option in options where option != "--help" && option != "--version" {
            // mdoc writes --once as "Fl -once".
            #expect(page.contains("Fl -" + option.dropFirst(2)), "docs/pgtop.1 lacks \(option): run scripts/generate-docs.sh")
        }
    }

    @Test(arguments: ["bash", "zsh", "fish"]) func completionsAreCurrent(shell: String) throws {
        let generated = Harness.runBinary(["--generate-completion-script", shell])
        #expect(generated.status == 0)
        let committed = try String(contentsOfFile: Self.docs + "/completions/pgtop.\(shell)", encoding: .utf8)
        #expect(generated.output == committed, "docs/completions/pgtop.\(shell) is stale: run scripts/generate-docs.sh")
    }
}
