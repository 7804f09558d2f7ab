import Testing
@testable import PGTopCore

@Suite struct ExportTests {
    @Test func jsonCsvAndSeconds() {
        #expect(Export.jsonString("a\"b\\c\n\t\u{1B}[2J\u{7F}\u{85}é😀\u{2028}") == "\"a\\\"b\\\\c\\n\\t\\u001b[2J\\u007f\\u0085é😀\\u2028\"")
        #expect(Export.seconds(2.5) == "2.5" && Export.seconds(3600) == "3600" && Export.seconds(0.0004) == "0" && Export.seconds(1.234) == "1.234")
        var b = Backend(id: BackendID(pid: 42, start: 1_700_000_000_123_000), application: "a,\"b\"", state: .idleInTransaction,
                        blockedBy: [7, 9], queryAge: 1.5, query: "SELECT 1\nFROM t")
        b.superuser = true
        let csv = Export.render([b], as: .csv)
        #expect(csv.hasPrefix(Export.fields.joined(separator: ",") + "\n42,2023-11-14T22:13:20.123Z,,,\"a,\"\"b\"\"\",,idle in transaction,,,7 9,client backend,true,1.5,,,\"SELECT 1\nFROM t\"\n"))
        let json = Export.render([b], as: .json)
        #expect(json.contains("\"blocked_by\":[7,9]") && json.contains("\"xact_age_s\":null") && json.contains("\"query_age_s\":1.5"))
        #expect(json.hasSuffix("}\n") && json.split(separator: "\n").count == 1)
        let table = Export.render([b], as: .table, width: 100)
        #expect(table.contains("idle in txn") && table.contains("SELECT 1 FROM t") && !table.contains("\u{1B}"))
    }
}
