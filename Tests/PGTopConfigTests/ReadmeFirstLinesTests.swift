import Foundation
import Testing

/// The README opens with its two commands, and what a newcomer needs to know before running them
/// follows at once: Swift 6 on PATH, that the apt line may upgrade PostgreSQL packages, that the
/// tests fetch PostgreSQL from PyPI.
@Suite struct ReadmeFirstLinesTests {
    @Test func theCommandsComeFirstAndThePrerequisitesRightAfter() throws {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir.deleteLastPathComponent()
        }
        let readme = try String(contentsOf: dir.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.prefix(5).filter { $0.hasPrefix("apt-get install -y libpq-dev") }.count == 2, "the two commands first")
        let commands = try #require(readme.range(of: "apt-get install -y libpq-dev"))
        let block = try #require(readme.range(of: "```\n", range: commands.upperBound..<readme.endIndex))
        let after = readme[block.upperBound...]
        let paragraph = after[..<(after.range(of: "\n\n")?.lowerBound ?? after.endIndex)]
        let before = paragraph.replacingOccurrences(of: "\n", with: " ")
        #expect(before.contains("Swift 6 toolchain must be on `PATH`"))
        #expect(before.contains("may upgrade PostgreSQL packages"))
        #expect(before.contains("from PyPI"))
        #expect(before.split(separator: " ").count < 120, "short enough to be read first")
    }
}
