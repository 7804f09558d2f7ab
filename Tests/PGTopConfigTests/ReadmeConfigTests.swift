import Glibc
import Testing
@testable import PGTopConfig
import PGTopCore

/// The README's example config is a good config: a reader who copies it gets what it says.
@Suite struct ReadmeConfigTests {
    @Test func theReadmeExampleReads() throws {
        var dir = #filePath
        for _ in 0..<3 { dir = String(dir[..<dir.lastIndex(of: "/")!]) }
        let readme = try #require(try FileText.read(dir + "/README.md"))
        let start = try #require(readme.firstRange(of: "```toml\n"))
        let body = readme[start.upperBound...]
        let end = try #require(body.firstRange(of: "```"))
        let file = try ConfigFile.parse(String(body[..<end.lowerBound]), path: "README.md")
        #expect(file.top.refresh == 2)
        #expect(file.top.columns?.last == .query)
        #expect(file.top.colors?[.selected] == StyleSpec(foreground: 0, background: 117))
        let prod = try file.settings(profile: "prod")
        #expect(prod.conninfo?.hasPrefix("postgresql://") == true)
        #expect(prod.view == .idleInTransaction && prod.refresh == 5 && prod.idleWarn == 300)
        #expect(try file.settings(profile: "local").port == "5433")
    }
}
