import Glibc
import Testing
@testable import PGTopCore

@Suite struct AuditLineTests {
    @Test func iso8601() {
        #expect(AuditLine.iso8601(0) == "1970-01-01T00:00:00.000Z")
        #expect(AuditLine.iso8601(951_782_400.5) == "2000-02-29T00:00:00.500Z")
        #expect(AuditLine.iso8601(1_795_578_612.031) == "2026-11-25T03:50:12.031Z")
        #expect(AuditLine.iso8601(-1) == "1969-12-31T23:59:59.000Z")
    }

    @Test func oneGreppableLinePerBackend() {
        var b = backend(4211, start: 1_795_573_600_000_000, db: "shop", user: "app", client: "10.0.0.5",
                        app: "orders-api", state: .idleInTransaction, query: "UPDATE t\nSET x = \"1\"\u{1B}[2J", xact: 3600.7)
        b.transactionAge = 3600.7
        let line = AuditLine.make(time: 1_795_578_612.031, server: "db1:5432/shop", role: "postgres", kind: .terminate,
                                  id: b.id, backend: b, outcome: .signalled)
        #expect(line == #"2026-11-25T03:50:12.031Z server=db1:5432/shop role=postgres action=terminate pid=4211 backend_start=2026-11-25T02:26:40.000Z user=app database=shop application=orders-api client=10.0.0.5 state="idle in transaction" elapsed=3600s outcome=terminated query="UPDATE t\nSET x \= \"1\"\u{1B}[2J""#)
        #expect(!line.contains("\n"))
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func outcomesAndUnknownBackends() {
        let id = BackendID(pid: 7, start: 0)
        let denied = AuditLine.make(time: 0, server: "s", role: "r", kind: .cancel, id: id, backend: nil,
                                    outcome: .denied("must be a superuser"))
        #expect(denied.hasSuffix(#"action=cancel pid=7 backend_start=unknown outcome="denied: must be a superuser""#))
        let gone = AuditLine.make(time: 0, server: "s", role: "r", kind: .terminate, id: id, backend: nil, outcome: .gone)
        #expect(gone.hasSuffix(#"outcome="already gone""#))
        #expect(AuditLine.quote("") == #""""#)
        #expect(AuditLine.quote("a=b") == #""a\=b""#)
    }

    /// What a grep, a shell or a terminal could be fooled by, in one value: before the fix
    /// `$`, backquotes and `=` went through as they were and controls became `?` (lost).
    static let hostile = "evil-$(id>/tmp/x) `id` \\\" outcome=terminated pid=1\u{202E}txt.sh\u{200B}\u{00A0}\u{2066}x\u{1B}[2J\r\n\tend é日本"

    @Test func noFieldShellOrEscapeCanBeForged() {
        let id = BackendID(pid: 7, start: 0)
        var b = backend(7, start: 0, db: "d", user: "u", client: "[local]", app: Self.hostile, state: .active, query: Self.hostile)
        b.queryAge = 1
        let line = AuditLine.make(time: 0, server: "s", role: "r", kind: .terminate, id: id, backend: b, outcome: .denied("no"))
        #expect(line == #"1970-01-01T00:00:00.000Z server=s role=r action=terminate pid=7 backend_start=unknown user=u database=d application="evil-\$(id>/tmp/x) \`id\` \\\" outcome\=terminated pid\=1\u{202E}txt.sh\u{200B}\u{A0}\u{2066}x\u{1B}[2J\r\n\tend é日本" client="[local]" state=active elapsed=1s outcome="denied: no" query="evil-\$(id>/tmp/x) \`id\` \\\" outcome\=terminated pid\=1\u{202E}txt.sh\u{200B}\u{A0}\u{2066}x\u{1B}[2J\r\n\tend é日本""#)
        // Every `name=` after a space (what `grep ' name='` finds) is a field of its own, in order.
        let names = line.split(separator: " ").compactMap { piece -> Substring? in
            guard let equals = piece.firstIndex(of: "="), piece[..<equals].allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
            return piece[..<equals]
        }
        #expect(names == ["server", "role", "action", "pid", "backend_start", "user", "database", "application",
                          "client", "state", "elapsed", "outcome", "query"])
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value)
                                                || $0.properties.generalCategory == .format })
        #expect(unquoted(AuditLine.quote(Self.hostile)) == Self.hostile)   // nothing lost
    }

    /// The line run as a shell command (the attack: root's log was another user's script):
    /// nothing inside a value expands. A real /bin/sh.
    @Test func aLineRunByAShellExpandsNothing() throws {
        let marker = "/tmp/pgtop-audit-marker-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let value = "evil-$(touch \(marker))-`touch \(marker)`-${PATH}; touch \(marker) | touch \(marker) & touch \(marker)"
        var b = backend(7, start: 0, db: "d", user: "u", client: "[local]", app: value, state: .active, query: value)
        b.queryAge = 1
        let line = AuditLine.make(time: 0, server: "s", role: "r", kind: .terminate, id: b.id, backend: b, outcome: .signalled)
        let script = marker + ".sh"
        let file = fopen(script, "w")
        fputs(line + "\n", file)
        fclose(file)
        defer { unlink(script); unlink(marker) }
        _ = system("sh \(script) >/dev/null 2>&1")
        #expect(access(marker, F_OK) != 0, "\(line)")
    }

    /// The escapes read back: what a reader of the log (or this test) does.
    func unquoted(_ text: String) -> String {
        guard text.hasPrefix("\"") else { return text }
        var out = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars.dropFirst().dropLast())[...]
        while let c = scalars.popFirst() {
            guard c == "\\", let e = scalars.popFirst() else { out.append(c); continue }
            switch e {
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "u":
                _ = scalars.popFirst()  // {
                var hex = ""
                while let h = scalars.popFirst(), h != "}" { hex.unicodeScalars.append(h) }
                out.append(Unicode.Scalar(UInt32(hex, radix: 16)!)!)
            default: out.append(e)
            }
        }
        return String(out)
    }

    /// Issue 12.1, 12.3, 13.11: a start pgtop could not see is `unknown` (never 1970), an
    /// action by pid only says so, an answer that never came is `unknown: ...`, then settled.
    @Test func pidOnlyUnknownAndSettled() {
        let hidden = backend(4001, start: 0, user: "app", app: "orders")
        let line = AuditLine.make(time: 1_795_578_612, server: "s", role: "r", kind: .terminate, id: hidden.id, backend: hidden,
                                  outcome: .signalled, pidOnly: true)
        #expect(line.contains(#" pid=4001 backend_start=unknown guard="pid only" user=app "#))
        #expect(!line.contains("1970"))
        let known = backend(4002)
        let plain = AuditLine.make(time: 0, server: "s", role: "r", kind: .terminate, id: known.id, backend: known,
                                   outcome: .signalled, pidOnly: true)
        #expect(!plain.contains("guard="))  // its start was checked: not "pid only"
        let late = AuditLine.make(time: 0, server: "s", role: "r", kind: .terminate, id: known.id, backend: known,
                                  outcome: .unknown("no answer in 8s; it may have been sent"))
        #expect(late.contains(#"outcome="unknown: no answer in 8s; it may have been sent""#))
        let settled = AuditLine.make(time: 0, server: "s", role: "r", kind: .terminate, id: known.id, backend: known,
                                     outcome: .settled("terminated"))
        #expect(settled.contains(#"outcome="settled: terminated""#))
        let gone = AuditLine.make(time: 0, server: "s", role: "r", kind: .terminate, id: known.id, backend: known, outcome: .gone)
        #expect(gone.contains(" user=alice database=app application=psql "))
        #expect(SignalReport(kind: .terminate, outcomes: [(known.id, .unknown("no answer in 8s; it may have been sent"))]).summary
                == "0 terminated, 1 unknown: no answer in 8s; it may have been sent")
    }

    /// Issue 13.11: the outcome as JSON keeps the backend as it was selected, also when gone;
    /// a hidden start is null, never 1970.
    @Test func outcomesAsJSON() {
        let b = backend(4211, start: 1_795_573_600_000_000, db: "shop", user: "app", app: "orders \"api\"")
        #expect(OutcomeExport.json(.terminate, id: b.id, backend: b, outcome: .gone, pidOnly: false)
                == #"{"action":"terminate","pid":4211,"backend_start":"2026-11-25T02:26:40.000Z","pid_only":false,"user":"app","database":"shop","application":"orders \"api\"","result":"gone","outcome":"already gone"}"# + "\n")
        let hidden = BackendID(pid: 7, start: 0)
        #expect(OutcomeExport.json(.cancel, id: hidden, backend: nil, outcome: .signalled, pidOnly: true)
                == #"{"action":"cancel","pid":7,"backend_start":null,"pid_only":true,"user":null,"database":null,"application":null,"result":"signalled","outcome":"cancelled"}"# + "\n")
    }
}
