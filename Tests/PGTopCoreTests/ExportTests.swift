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
        #expect(csv.hasPrefix(Export.fields.joined(separator: ",") + "\n42,2023-11-14T22:13:20.123Z,,,\"a,\"\"b\"\"\",,idle in transaction,,,7 9,client backend,true,1.5,,,\"SELECT 1\nFROM t\",,,,,,,,\n"))
        let json = Export.render([b], as: .json)
        #expect(json.contains("\"blocked_by\":[7,9]") && json.contains("\"xact_age_s\":null") && json.contains("\"query_age_s\":1.5"))
        #expect(json.hasSuffix("}\n") && json.split(separator: "\n").count == 1)
        let table = Export.render([b], as: .table, width: 100)
        #expect(table.contains("idle in txn") && table.contains("SELECT 1 FROM t") && !table.contains("\u{1B}"))
    }

    /// Before the fix CSV passed ESC, CR and the rest through as the client sent them.
    @Test func csvCarriesNoControlSequence() {
        let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J\r\nline2\tx\u{7F}\u{9B}31m \u{202E}rtl é"
        let b = Backend(id: BackendID(pid: 42, start: 0), application: hostile, state: .active, query: hostile)
        let file = Export.render([b], as: .csv, header: false)
        // To a file: RFC 4180, line breaks kept inside the quotes, controls as on the screen.
        let fileField = "\"?]0;pwned??[2J\r\nline2 x??31m \u{202E}rtl é\""
        #expect(file.hasPrefix("42,1970-01-01T00:00:00.000Z,,,\(fileField),,active,,,,client backend,false,,,,\(fileField),"))
        #expect(!file.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\r" && $0 != "\n") || (0x7F...0x9F).contains($0.value) })
        // To a terminal: what the table shows, one line per row.
        let terminal = Export.render([b], as: .csv, header: false, terminal: true)
        let shown = "?]0;pwned??[2J line2 x??31m rtl é"
        #expect(terminal.hasPrefix("42,1970-01-01T00:00:00.000Z,,,\(shown),,active,,,,client backend,false,,,,\(shown),"))
        #expect(Export.render([b], as: .csv, header: false, terminal: true).split(separator: "\n").count == 1)
        #expect(Export.csvField("a,b\r\nc", terminal: false) == "\"a,b\r\nc\"")
        #expect(Export.csvField("plain", terminal: true) == "plain")
    }

    /// The fields added at the end: where an aborted transaction's age comes from, the state
    /// clock, the snapshot's time, and the blocking tree (depth, root, blocks, lock).
    @Test func aSnapshotsTimeAndTheTreeAreInEveryFormat() {
        var root = Backend(id: BackendID(pid: 10, start: 1_700_000_000_000_000), state: .idleInTransactionAborted,
                           queryAge: 4, query: "UPDATE t", stateChange: 1, stateAge: 4)
        root.transactionAge = 4
        root.transactionAgeSource = .stateChange
        var waiter = Backend(id: BackendID(pid: 11, start: 1_700_000_000_000_000), state: .active, waiting: true, blockedBy: [10],
                             queryAge: 2, transactionAge: 2, query: "UPDATE t", lockMode: "ShareLock", lockTarget: "transactionid")
        waiter.stateAge = 2
        let tree = Dictionary(uniqueKeysWithValues: BlockingTree([root, waiter]).nodes.map { ($0.id, $0) })
        let at = 1_700_000_100.25
        let csv = Export.render([root, waiter], as: .csv, tree: tree, sampledAt: at).split(separator: "\n")
        #expect(csv[1].hasSuffix(",UPDATE t,state_change,4,2023-11-14T22:15:00.250Z,0,10,1,,"))
        #expect(csv[2].hasSuffix(",UPDATE t,xact_start,2,2023-11-14T22:15:00.250Z,1,10,0,ShareLock,transactionid"))
        let json = Export.render([root, waiter], as: .json, tree: tree, sampledAt: at).split(separator: "\n")
        #expect(json[0].contains("\"xact_age_source\":\"state_change\",\"state_age_s\":4,\"sampled_at\":\"2023-11-14T22:15:00.250Z\",\"depth\":0,\"root_pid\":10,\"blocks\":1,\"lock_mode\":\"\""))
        #expect(json[1].contains("\"depth\":1,\"root_pid\":10,\"blocks\":0,\"lock_mode\":\"ShareLock\",\"lock_target\":\"transactionid\""))
        let plain = Export.render([waiter], as: .json)
        #expect(plain.contains("\"sampled_at\":null,\"depth\":null,\"root_pid\":null,\"blocks\":null"))
        // The table: the tree as on screen; an aborted transaction's age since its error is a lower bound.
        let table = Export.render([root, waiter], as: .table, width: 160, elapsed: .transaction, tree: tree)
        #expect(table.contains("[blocks 1] UPDATE t") && table.contains("└ [ShareLock on transactionid] UPDATE t"))
        #expect(table.contains("XACT AGE") && table.contains(">4s"))
    }
}
