import Foundation
import Testing
import PGTopPostgres

extension EndToEnd {
    /// `--once --format csv|json|table` compared whole against golden text, on real sessions
    /// whose queries carry commas, quotes, line breaks, escapes and wide characters. What
    /// changes from run to run (pids, start times, ages) is replaced by placeholders first.
    @Suite(.serialized, .timeLimit(.minutes(2))) struct GoldenOutputTests {
        @Test func csvJSONAndTableAreExactlyAsDocumented() throws {
            let a = try Harness.connect(application: "golden-a")
            let b = try Harness.connect(application: "golden-b")
            defer { a.close(); b.close() }
            try a.execute("START TRANSACTION")
            try a.execute("SELECT 'a, \"quoted\"\nsecond line', '日本'")
            try b.execute("SELECT '\u{1B}[2J\ttab \\\\'")
            let common = ["--once", "--filter", "golden-", "--sort", "application", "--columns", "pid,application,state,wait,query"]
            func run(_ format: String) -> String {
                let r = Harness.runBinary(["--config", "/dev/null", "-h", Harness.cluster.socketDirectory, "-p", "\(Harness.cluster.port)",
                                           "-U", "postgres", "-d", "postgres", "--no-audit-log", "--format", format] + common)
                #expect(r.status == 0, "\(r.output)")
                return normalize(r.output, pids: [a.backendPid, b.backendPid])
            }

            #expect(run("csv") == """
                pid,backend_start,database,user,application,client,state,wait_event_type,wait_event,blocked_by,backend_type,superuser,query_age_s,xact_age_s,backend_age_s,query,xact_age_source,state_age_s,sampled_at,depth,root_pid,blocks,lock_mode,lock_target
                <pid a>,<time>,postgres,postgres,golden-a,local,idle in transaction,Client,ClientRead,,client backend,true,<s>,<s>,<s>,"SELECT 'a, ""quoted""
                second line', '日本'",xact_start,<s>,<time>,,,,,
                <pid b>,<time>,postgres,postgres,golden-b,local,idle,Client,ClientRead,,client backend,true,<s>,,<s>,SELECT '?[2J tab \\\\',,<s>,<time>,,,,,

                """)   // no ESC or tab in CSV (RFC 4180 allows only CR and LF, inside quotes)

            #expect(run("json") == """
                {"pid":<pid a>,"backend_start":"<time>","database":"postgres","user":"postgres","application":"golden-a","client":"local","state":"idle in transaction","wait_event_type":"Client","wait_event":"ClientRead","blocked_by":[],"backend_type":"client backend","superuser":true,"query_age_s":<s>,"xact_age_s":<s>,"backend_age_s":<s>,"query":"SELECT 'a, \\"quoted\\"\\nsecond line', '日本'","xact_age_source":"xact_start","state_age_s":<s>,"sampled_at":"<time>","depth":null,"root_pid":null,"blocks":null,"lock_mode":"","lock_target":""}
                {"pid":<pid b>,"backend_start":"<time>","database":"postgres","user":"postgres","application":"golden-b","client":"local","state":"idle","wait_event_type":"Client","wait_event":"ClientRead","blocked_by":[],"backend_type":"client backend","superuser":true,"query_age_s":<s>,"xact_age_s":null,"backend_age_s":<s>,"query":"SELECT '\\u001b[2J\\ttab \\\\\\\\'","xact_age_source":null,"state_age_s":<s>,"sampled_at":"<time>","depth":null,"root_pid":null,"blocks":null,"lock_mode":"","lock_target":""}

                """)

            // The table: the chosen columns, text made safe for a terminal.
            let pids = ["\(a.backendPid)": "<pid a>", "\(b.backendPid)": "<pid b>"]
            let table = run("table").split(separator: "\n").map {
                $0.split(separator: " ").map { pids[String($0)] ?? String($0) }.joined(separator: " ")
            }
            #expect(table == [
                "PID APPLICATION STATE WAIT QUERY",
                "<pid a> golden-a idle in txn SELECT 'a, \"quoted\" second line', '日本'",
                "<pid b> golden-b idle SELECT '?[2J tab \\\\'",
            ])
        }

        /// Pids, ISO times and second counts to placeholders, so the rest can be compared whole.
        func normalize(_ text: String, pids: [Int32]) -> String {
            var out = text
            for (pid, name) in zip(pids, ["a", "b"]) {
                out = out.replacingOccurrences(of: "\"pid\":\(pid),", with: "\"pid\":<pid \(name)>,")
                out = out.replacingOccurrences(of: "\n\(pid),", with: "\n<pid \(name)>,")
            }
            out = out.replacingOccurrences(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, with: "<time>", options: .regularExpression)
            out = out.replacingOccurrences(of: #"(?<=[,:])\d+(\.\d+)?(?=[,}])"#, with: "<s>", options: .regularExpression)
            return out
        }
    }
}
