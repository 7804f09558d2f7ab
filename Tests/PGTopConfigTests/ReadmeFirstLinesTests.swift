import Foundation
import Testing

/// What a newcomer needs before the README's two commands is said before them: Swift 6 on PATH,
/// that the apt line may upgrade PostgreSQL packages, that the tests fetch PostgreSQL from PyPI.
@Suite struct ReadmeFirstLinesTests {
    @Test func thePrerequisitesComeBeforeTheCommands() throws {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir.deleteLastPathComponent()
        }
        let readme = try String(contentsOf: dir.appendingPathComponent("README.md"), encoding: .utf8)
        let commands = try #require(readme.range(of: "apt-get install -y libpq-dev"))
        let before = readme[..<commands.lowerBound].replacingOccurrences(of: "\n", with: " ")
        #expect(before.contains("Swift 6 toolchain must be on `PATH`"))
        #expect(before.contains("may upgrade PostgreSQL packages"))
        #expect(before.contains("from PyPI"))
        #expect(before.split(separator: " ").count < 120, "short enough to be read first")
    }
}
