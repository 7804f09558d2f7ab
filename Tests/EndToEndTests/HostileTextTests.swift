import Foundation
import Testing
import PGTopCluster
import PGTopCore
import PGTopPostgres

extension EndToEnd {
    /// Sessions whose names and queries carry what a client can send: escape sequences,
    /// control characters, newlines and tabs, bidi overrides, combining marks, CJK and emoji,
    /// invalid UTF-8 from a SQL_ASCII database, a megabyte of text. None of it reaches the
    /// terminal as a control sequence or breaks the columns.
    @Suite(.serialized, .timeLimit(.minutes(3))) struct HostileTextTests {
        static let esc = "\u{1B}"

        @Test func hostileSessionsNeitherEscapeNorMisalign() throws {
            let cluster = try ThrowawayCluster.start(ClusterOptions(
                settings: ["track_activity_query_size": "1048576"], stopsWithProcess: true))
            defer { cluster.stop() }
            func connect(user: String = "postgres", database: String = "postgres", application: String) throws -> PGConnection {
                try PGConnection.connect(ConnectionParameters(conninfo: cluster.conninfo(), host: nil, port: nil, user: user,
                                                              database: database, applicationName: application), timeout: 10)
            }
            let admin = try connect(application: "admin")
            defer { admin.close() }
            let role = "用户😀\(Self.esc)[31m"
            _ = try admin.execute("SELECT set_config('pgtop.r', $1, false)", [role])
            _ = try admin.execute("DO $$ BEGIN EXECUTE format('CREATE ROLE %I LOGIN SUPERUSER', current_setting('pgtop.r')); END $$")
            _ = try admin.execute("CREATE DATABASE \"数据库\"")
            _ = try admin.execute("CREATE DATABASE asciidb ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")

            // A plain session to line the others up against.
            let plain = try connect(application: "plain-app")
            _ = try plain.execute("START TRANSACTION")
            _ = try plain.execute("SELECT 1")

            // Every kind of hostile text, and a megabyte of it.
            let hostile = try connect(user: role, database: "数据库", application: "host\tile")
            let text = "\(Self.esc)]0;pwned\u{07}\(Self.esc)[2J\(Self.esc)[H\n\tline2 \u{200F}rtl\u{202E}override e\u{301}\u{302}\u{303}\u{304}\u{305} 中文 😀👍🏽 \r\u{7F}\u{9B}31m"
            _ = try hostile.execute("START TRANSACTION")
            _ = try hostile.execute("SELECT '\(text.replacingOccurrences(of: "'", with: "''"))' || repeat('x', 1000000) AS big")
            defer { plain.close(); hostile.close() }

            // Invalid UTF-8: raw bytes sent by psql into a SQL_ASCII database.
            let psqlBin = cluster.binDirectory + "/psql"
            let script = "(printf 'START TRANSACTION;\\nSELECT \\047\\377\\376\\033[2J bytes\\047;\\n'; sleep 120) | "
                + "PGCLIENTENCODING=SQL_ASCII PGAPPNAME=ascii-app \(psqlBin) -q -h \(cluster.socketDirectory) -p \(cluster.port) -U postgres -d asciidb >/dev/null 2>&1"
            let psql = try Subprocess.spawn(["sh", "-c", script], newSession: true)
            defer { kill(-psql, SIGKILL); kill(psql, SIGKILL); _ = Subprocess.wait(for: psql) }

            let width = 140
            let tmux = try Tmux("\(Harness.binary) -h \(cluster.socketDirectory) -p \(cluster.port) -U postgres -d postgres --no-audit-log",
                                width: width, height: 30, environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
            let screen = try tmux.wait(timeout: 15, for: "all three sessions") {
                $0.contains("plain-app") && $0.contains("ascii-app") && $0.contains("pwned")
            }
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

            // Nothing took effect as a control sequence: no title set, no clear, no scroll.
            #expect(try tmux.paneTitle() != "pwned")
            #expect(lines.first?.hasPrefix("pgtop") == true)
            #expect(lines.prefix(30).last?.contains("Help") == true)
            for line in lines { #expect(CellWidth.of(line) <= width, "too wide: \(line)") }
            #expect(!screen.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })

            // Shown visibly, on one line: escapes as ?, newlines and tabs as spaces.
            let hostileRow = lines.first { $0.contains("pwned") } ?? ""
            #expect(hostileRow.contains("?]0;pwned??[2J?[H line2"))
            #expect(hostileRow.contains("用户😀?[31m") || hostileRow.contains("用户😀?"))
            #expect(hostileRow.contains("数据库"))
            #expect(!hostileRow.contains("\u{202E}") && !hostileRow.contains("\u{200F}"))

            // Every row's STATE column starts at the same cell, CJK and emoji before it or not.
            let rows = lines.filter { $0.contains("idle in txn") && ($0.contains("plain-app") || $0.contains("pwned") || $0.contains("ascii-app")) }
            #expect(rows.count == 3)
            let stateColumns = rows.map { row -> Int in
                guard let r = row.range(of: "idle in txn") else { return -1 }
                return CellWidth.of(String(row[..<r.lowerBound]))
            }
            #expect(Set(stateColumns).count == 1, "STATE starts at cells \(stateColumns):\n\(rows.joined(separator: "\n"))")

            // The megabyte never crossed the wire: the server cut it to 1,024 characters.
            try tmux.send("q")
        }
    }
}
