import Foundation
import Testing
import PGTopCore
import PGTopCluster

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

/// Issue 13.10: the man page has pgtop's own sections, generated from the tables the program runs
/// on, no `subcommand`, and no mdoc warnings.
@Suite struct ManualSectionsTests {
    static func page() throws -> String { try String(contentsOfFile: GeneratedDocsTests.docs + "/pgtop.1", encoding: .utf8) }

    @Test func theSectionsAreCurrent() throws {
        let page = try Self.page()
        let sections = Harness.runBinary(["--manual-sections"])
        #expect(sections.status == 0)
        #expect(page.contains(sections.output), "docs/pgtop.1 lacks the current KEYS/CONFIGURATION/FILES/ENVIRONMENT/EXIT STATUS: run scripts/generate-docs.sh")
        #expect(sections.output == ManualPage.sections())
        for heading in [".Sh KEYS", ".Sh CONFIGURATION", ".Sh FILES", ".Sh ENVIRONMENT", ".Sh EXIT STATUS"] {
            #expect(page.contains(heading + "\n"), "\(heading)")
        }
        // Every key of every table, and every setting, is in it.
        for binding in KeyMap.bindings { #expect(page.contains(ManualPage.text(binding.help)), "\(binding.help)") }
        for binding in KeyMap.helpBindings { #expect(page.contains(ManualPage.text(binding.help)), "\(binding.help)") }
        for key in SettingKey.all { #expect(page.contains(".It Cm \(key.name)\n"), "\(key.name)") }
    }

    @Test func theSynopsisHasNoSubcommand() throws {
        let page = try Self.page()
        #expect(!page.contains("subcommand"))
        #expect(!page.contains(".Ex -std"))
    }

    @Test func groffFindsNothingToWarnAbout() throws {
        guard access("/usr/bin/groff", X_OK) == 0 else {
            print("ManualSectionsTests: groff is not installed; the mdoc warnings check was skipped")
            return
        }
        let r = Subprocess.run(["/bin/sh", "-c", "groff -ww -mandoc -z '\(GeneratedDocsTests.docs)/pgtop.1' 2>&1"])
        #expect(r.status == 0)
        #expect(r.output.isEmpty, "\(r.output)")
        if access("/usr/bin/man", X_OK) == 0 {
            let m = Subprocess.run(["/bin/sh", "-c", "MANWIDTH=80 man --warnings -l '\(GeneratedDocsTests.docs)/pgtop.1' 2>&1 >/dev/null"])
            #expect(m.output.isEmpty, "\(m.output)")
        }
    }
}
