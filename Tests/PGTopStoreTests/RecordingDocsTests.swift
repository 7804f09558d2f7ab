import Foundation
import Testing
@testable import PGTopCore
@testable import PGTopStore

/// docs/recording.md's example queries run against a recording, and say what the reader says.
@Suite struct RecordingDocsTests {
    static let docs: String = {
        let here = URL(fileURLWithPath: #filePath)
        let file = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/recording.md")
        return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }()

    /// Every statement of the page's ```sql blocks (sqlite3's dot commands left out).
    static var statements: [String] {
        var out: [String] = []
        var rest = Substring(docs)
        while let open = rest.range(of: "```sql\n"), let close = rest[open.upperBound...].range(of: "```") {
            let block = rest[open.upperBound..<close.lowerBound]
            let sql = block.split(separator: "\n").filter { !$0.hasPrefix(".") }.joined(separator: "\n")
            out += sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            rest = rest[close.upperBound...]
        }
        return out
    }

    @Test func theExampleQueriesRunAndAgreeWithTheReader() throws {
        let path = Scratch.directory("docs") + "/r.pgtop"
        let writer = try RecordingWriter(path: path, meta: ["server": RecordingTests.server.endpoint])
        for s in 0...699 {  // 11 minutes: the cron waves are idle in transaction for more than ten
            let b = Incident.backends(at: s)
            var stats: ServerStats?
            if s % 5 == 0 {  // a reading of the counters every 5 s, 40 commits a second
                stats = ServerStats(at: Double(Incident.time(Double(s))) / 1e6)
                stats?.commits = Int64(40 * s)
            }
            try writer.write(b, figures: SampleFigures(b, server: RecordingTests.server, idleWarn: 30, stats: stats),
                             at: Incident.time(Double(s)))
        }
        try writer.action(at: Incident.time(300), id: BackendID(pid: 2000, start: 1), kind: "terminate", outcome: "terminated", line: "x")
        try writer.outageBegan(at: Incident.time(700.5), reason: "server unreachable")
        try writer.outageEnded(at: Incident.time(710))
        writer.close()
        let statements = Self.statements
        #expect(statements.count >= 7, "\(statements.count) statements")
        let db = try Database(path: path, mode: .readOnly)
        let at = Incident.time(75)
        for sql in statements {
            let s = try db.prepare(sql)
            if sql.contains(":t") { s.bind(1, at) }
            var rows = 0
            while try s.step() { rows += 1 }
            #expect(rows > 0, "no rows: \(sql.prefix(120))")
            if sql.contains(":t") {  // the backends alive at 75 s
                #expect(rows == Incident.backends(at: 75).count)
            }
        }
        let tps = try db.prepare(try #require(statements.first { $0.contains("AS tps") }))
        #expect(try tps.step() && tps.double(1) == nil)  // the first reading has no rate
        #expect(try tps.step() && tps.double(1) == 40)
        let lockWaits = try db.integer("SELECT count(*) FROM spans WHERE waiting")
        #expect(lockWaits == 3)  // the three waiters of 70..80, one span each
    }
}
