import Testing
@testable import PGTopConfig
import PGTopCore

/// `S` and the line finder over every shape of TOML a config may be written in: multi-line
/// arrays and strings, inline tables, dotted and quoted keys, comments after values.
@Suite struct ConfigShapesTests {
    var layout: Settings {
        var s = Settings()
        s.columns = [.pid, .user, .elapsed, .query]
        s.sort = .user
        s.view = .active
        s.refresh = 0.5
        return s
    }

    /// Every other value read back from `text`, to compare before and after `S`.
    func others(_ text: String) throws -> [String: Settings] {
        let file = try ConfigFile.parse(text, path: "c")
        var all = file.profiles
        var top = file.top
        top.columns = nil; top.sort = nil; top.sortDescending = nil; top.view = nil; top.refresh = nil
        all[""] = top
        return all
    }

    static let shapes = #"""
        # every shape
        columns = [          # the issue's case: items on the next lines
          "pid",
          "user",  # a comment inside
          # [not.a.header]
          "query",
        ]
        filter = """
        refresh = 9
        [not.a.header]
        """
        "idle-warn" = 120    # a quoted key
        colors.selected = "black on 45"   # a dotted key into a table
        audit-log = '/var/log/pgtop "x".log'
        format = 'csv'  # after a literal string
        [profile."db1.example"]
        conninfo = "host=db1 # not a comment"
        view = "waiting"   # comment after the profile's value
        sort = "pid"
        [profile]
        qa.host = "qa"
        qa."view" = 'all'
        qa.colors = { stuck = "bold 167" }
        """#

    @Test func everyShapeRoundTrips() throws {
        let text = Self.shapes
        let before = try others(text)
        for profile in [nil, "db1.example", "qa", "new"] as [String?] {
            let after = try ConfigEditor.set(layout, in: text, profile: profile)
            let file = try ConfigFile.parse(after, path: "c")   // before the fix: "not TOML" at line 3
            let settings = try file.settings(profile: profile)
            #expect(settings.columns == layout.columns, "\(profile ?? "top")\n\(after)")
            #expect(settings.sort == .user && settings.view == .active && settings.refresh == 0.5)
            var kept = try others(after)
            if let profile { kept[profile] = nil }
            var expected = before
            if let profile { expected[profile] = nil }
            if profile != nil { #expect(kept[""] == expected[""]) } else { #expect(kept == expected) }
            #expect(file.top.filter == "refresh = 9\n[not.a.header]\n")
            for comment in ["# every shape", "# a quoted key", "# a dotted key into a table", "# after a literal string",
                            "# comment after the profile's value"] {
                #expect(after.contains(comment), "\(comment)")
            }
        }
    }

    @Test func aMultiLineArrayIsReplacedWhole() throws {
        let text = "refresh = 2\ncolumns = [\n  \"pid\",\n  \"query\",\n]   # mine\nview = \"all\"\n"
        let after = try ConfigEditor.set(layout, in: text, profile: nil)
        #expect(after == "refresh = 0.5\ncolumns = [\"pid\", \"user\", \"elapsed\", \"query\"]   # mine\nview = \"active\"\nsort = \"user\"\n")
    }

    @Test func keysAreWrittenAsTheyWereAndNewOnesJoinTheirTable() throws {
        let text = "[profile]\nprod.host = \"db1\"\n  prod.\"view\" = \"all\"\n\n[profile.dev]\nhost = \"x\"\n"
        let after = try ConfigEditor.set(layout, in: text, profile: "prod")
        #expect(after == "[profile]\nprod.host = \"db1\"\n  prod.\"view\" = \"active\"\n  prod.refresh = 0.5\n  prod.sort = \"user\"\n  prod.columns = [\"pid\", \"user\", \"elapsed\", \"query\"]\n\n[profile.dev]\nhost = \"x\"\n")
        #expect(try ConfigFile.parse(after, path: "c").profiles["prod"]?.host == "db1")
        let top = "profile.prod.host = \"db1\"\n"
        let dotted = try ConfigEditor.set(layout, in: top, profile: "prod")
        #expect(dotted.hasPrefix("profile.prod.host = \"db1\"\nprofile.prod.refresh = 0.5\n"))
        #expect(try ConfigFile.parse(dotted, path: "c").profiles["prod"]?.view == .active)
    }

    @Test func anInlineProfileIsRefusedWithItsLine() {
        let text = "refresh = 1\n[profile]\nprod = { host = \"db1\" }\n"
        #expect(throws: ConfigEditor.Refusal(line: 3, message: "[profile.prod] is written inline (`prod = ...`); S edits a [profile.prod] section or its dotted keys: not saved")) {
            try ConfigEditor.set(layout, in: text, profile: "prod")
        }
    }

    @Test func statementsFollowStringsAndBrackets() {
        let text = "a = [\n [1, 2],\n [3],\n]\nb = \"\"\"\nx = 1\n[t]\n\"\"\"\n[ t . \"u]v\" ]  # c\nc = '''\n'''\n"
        let s = TOMLStatement.scan(text)
        #expect(s.map(\.kind) == [.keyValue, .keyValue, .table, .keyValue])
        #expect(s.map(\.lines) == [0...3, 4...7, 8...8, 9...10])
        #expect(s[2].table == ["t", "u]v"] && s[2].trailer == "  # c")
        #expect(s[3].table == ["t", "u]v"] && s[3].key == ["c"])
    }

    @Test func linesOfKeysInEveryShape() {
        let lines = SourceLines(Self.shapes)
        #expect(lines.line(of: ["columns"]) == 2)
        #expect(lines.line(of: ["idle-warn"]) == 12)
        #expect(lines.line(of: ["colors", "selected"]) == 13)
        #expect(lines.line(of: ["profile", "db1.example", "view"]) == 18)
        #expect(lines.line(of: ["profile", "qa", "view"]) == 22)
        #expect(lines.line(of: ["not", "a", "header"]) == nil)
        #expect(lines.line(of: ["refresh"]) == nil)
    }

    /// 20,000 dotted key parts: before the fix every prefix of the path was joined and kept
    /// (22 s, 425 MB); now one step per part. No time is asserted, only that it completes
    /// and names the line.
    @Test func twentyThousandDottedPartsAreLinear() throws {
        let parts = (0..<20_000).map { "k\($0)" }
        let text = "refresh = 2\n" + parts.joined(separator: ".") + " = 1\n[" + parts.joined(separator: ".") + "x]\nv = 1\n"
        let lines = SourceLines(text)
        #expect(lines.line(of: Array(parts.prefix(10_000))) == 2)
        #expect(lines.line(of: parts) == 2)
        #expect(lines.line(of: Array(parts.dropLast()) + ["k19999x", "v"]) == 4)
        #expect(throws: ConfigError.self) { try ConfigFile.parse(text, path: "c") }
        do {
            _ = try ConfigFile.parse(text, path: "c")
        } catch {
            #expect(error.line == 2 && error.message.hasPrefix("unknown setting 'k0'"), "\(error.message.prefix(80))")
        }
    }
}
