import Foundation
import Testing
import PGTopCluster
import PGTopCore

extension EndToEnd {
    /// `--format json` against its published schema (docs/pgtop-backend.schema.json), checked by
    /// a real JSON Schema validator (Debian's python3-jsonschema) on a real server's backends:
    /// background processes, a lock waiter, hostile query text.
    @Suite(.serialized, .timeLimit(.minutes(2))) struct JSONSchemaTests {
        static let schemaPath: String = {
            var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                dir.deleteLastPathComponent()
            }
            return dir.appendingPathComponent("docs/pgtop-backend.schema.json").path
        }()

        @Test func theSchemaNamesExactlyTheFieldsInTheirOrder() throws {
            let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.schemaPath))) as? [String: Any])
            #expect(schema["required"] as? [String] == Export.fields)
            #expect(Set((schema["properties"] as? [String: Any] ?? [:]).keys) == Set(Export.fields))
            #expect(schema["additionalProperties"] as? Bool == false)
        }

        @Test func theOutcomeSchemaNamesExactlyTheFieldsInTheirOrder() throws {
            let path = Self.schemaPath.replacingOccurrences(of: "pgtop-backend.schema.json", with: "pgtop-outcome.schema.json")
            let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            #expect(schema["required"] as? [String] == OutcomeExport.fields)
            #expect(Set((schema["properties"] as? [String: Any] ?? [:]).keys) == Set(OutcomeExport.fields))
        }

        @Test func everyLineValidates() throws {
            let admin = try Harness.admin()
            let holder = try Harness.connect(application: "schema-holder")
            let waiter = try Harness.connect(application: "schema-waiter")
            let hostile = try Harness.connect(application: "schema-\u{1B}[31mred\u{7}")
            let aborted = try Harness.connect(application: "schema-aborted")
            defer { for c in [waiter, holder, hostile, aborted, admin] { c.close() } }
            try aborted.execute("BEGIN")
            _ = try? aborted.execute("SELECT 1/0")
            try admin.execute("CREATE TABLE IF NOT EXISTS schema_t (id int PRIMARY KEY, v int)")
            try admin.execute("INSERT INTO schema_t VALUES (1, 0) ON CONFLICT DO NOTHING")
            try holder.execute("START TRANSACTION")
            try holder.execute("UPDATE schema_t SET v = v + 1 WHERE id = 1")
            try waiter.send("UPDATE schema_t SET v = v + 1 WHERE id = 1")
            try hostile.execute("SELECT '\u{1B}]0;pwned\u{7} \"quoted\" \\\\ back\nslash\ttab é 日本 \u{2028}'")
            #expect(try Harness.waitUntil(timeout: 5) {
                try admin.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'").rows[0][0] == "1"
            })

            let config = Harness.temporaryPath("schema-config")
            try "show-background = true\n".write(toFile: config, atomically: true, encoding: .utf8)
            let run = Harness.runBinary(["--config", config, "-h", Harness.cluster.socketDirectory, "-p", "\(Harness.cluster.port)",
                                         "-U", "postgres", "-d", "postgres", "--no-audit-log", "--once", "--format", "json"])
            #expect(run.status == 0, "\(run.output)")
            // The blocking tree's lines too: depth, root, blocks and the lock waited for.
            let tree = Harness.runBinary(["--config", config, "-h", Harness.cluster.socketDirectory, "-p", "\(Harness.cluster.port)",
                                          "-U", "postgres", "-d", "postgres", "--no-audit-log", "--once", "--view", "blocking", "--format", "json"])
            #expect(tree.status == 0, "\(tree.output)")
            #expect(tree.output.contains("\"depth\":1,\"root_pid\":\(holder.backendPid),\"blocks\":0,\"lock_mode\":\"ShareLock\""), "\(tree.output)")
            let all = run.output + tree.output
            let lines = all.split(separator: "\n")
            #expect(lines.count >= 10, "\(all)")   // the sessions above, the background processes, the tree
            #expect(run.output.contains("\"blocked_by\":[\(holder.backendPid)]"))
            #expect(run.output.contains("\"backend_type\":\"checkpointer\""))
            #expect(run.output.contains("\"state\":\"idle in transaction (aborted)\""))
            #expect(run.output.contains("\"xact_age_source\":\"state_change\""))
            let output = Harness.temporaryPath("schema.jsonl")
            try all.write(toFile: output, atomically: true, encoding: .utf8)

            let check = Subprocess.run(["/usr/bin/python3", "-c", Self.validator, Self.schemaPath, output], timeout: 60)
            #expect(check.status == 0, "\(check.output)")
            #expect(check.output.hasPrefix("valid \(lines.count)"), "\(check.output)")
        }

        /// Validates each line of a JSON Lines file against the schema (draft 2020-12, formats
        /// checked), or the whole file as one document when a third argument says `document`.
        static let validator = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                sys.exit("python3-jsonschema is missing: apt-get install -y python3-jsonschema")
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
            text = open(sys.argv[2], encoding="utf-8")
            documents = [text.read()] if sys.argv[3:] == ["document"] else text
            n = 0
            for number, line in enumerate(documents, 1):
                for error in v.iter_errors(json.loads(line)):
                    sys.exit(f"line {number}: {error.message} at {list(error.path)}")
                n += 1
            print("valid", n)
            """
    }
}
