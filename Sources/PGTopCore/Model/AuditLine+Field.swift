extension AuditLine {
    /// The value of the field `name` in an audit line, its quoting undone (`\"`, `\\`, `\n`,
    /// `\u{200B}`, ...); nil when the line has no such field.
    ///
    ///     AuditLine.field("role", in: "2026-11-25T03:50:12.031Z server=db1 role=\"a b\" action=terminate")  // "a b"
    public static func field(_ name: String, in line: String) -> String? {
        let scalars = Array(line.unicodeScalars)
        let key = Array((" " + name + "=").unicodeScalars)
        var i = 0
        while i + key.count <= scalars.count {
            if scalars[i] == "\"" {  // a quoted value: skip it whole (it may hold " name=")
                i += 1
                while i < scalars.count && scalars[i] != "\"" { i += scalars[i] == "\\" ? 2 : 1 }
                i += 1
                continue
            }
            if Array(scalars[i..<(i + key.count)]) == key { return value(scalars, from: i + key.count) }
            i += 1
        }
        return nil
    }

    private static func value(_ s: [Unicode.Scalar], from start: Int) -> String {
        var out = String.UnicodeScalarView()
        guard start < s.count, s[start] == "\"" else {
            var i = start
            while i < s.count && s[i] != " " { out.append(s[i]); i += 1 }
            return String(out)
        }
        var i = start + 1
        while i < s.count && s[i] != "\"" {
            if s[i] == "\\" && i + 1 < s.count {
                i += 1
                switch s[i] {
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "u":
                    var j = i + 2, hex = ""
                    while j < s.count && s[j] != "}" { hex.unicodeScalars.append(s[j]); j += 1 }
                    if let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) { out.append(u) }
                    i = j
                default: out.append(s[i])
                }
            } else {
                out.append(s[i])
            }
            i += 1
        }
        return String(out)
    }
}

/// A terminate that an audit log says succeeded: which backend (its start as the log writes
/// it, to the millisecond), by which role, when. `pgtop report --audit-log` matches these with
/// the recorded sessions, so that a session a screen ended reads `terminated by pgtop`.
public struct AuditTermination: Sendable, Equatable {
    public var pid: Int32
    /// backend_start, milliseconds since the epoch.
    public var startMs: Int64
    public var role: String
    public var server: String
    /// When it was sent, µs since the epoch.
    public var at: Int64

    public init(pid: Int32, startMs: Int64, role: String, server: String, at: Int64) {
        self.pid = pid
        self.startMs = startMs
        self.role = role
        self.server = server
        self.at = at
    }
}

extension AuditLine {
    /// The terminate a line records, when it is one that ended its backend (`terminated`, or
    /// `settled: terminated`) with a known backend_start; nil for any other line.
    public static func termination(in line: String) -> AuditTermination? {
        guard field("action", in: line) == "terminate",
              let outcome = field("outcome", in: line), outcome == "terminated" || outcome == "settled: terminated",
              let pid = field("pid", in: line).flatMap({ Int32($0) }),
              let start = field("backend_start", in: line).flatMap(microseconds), let at = line.split(separator: " ").first.flatMap({ microseconds(String($0)) })
        else { return nil }
        return AuditTermination(pid: pid, startMs: start / 1000, role: field("role", in: line) ?? "?",
                                server: field("server", in: line) ?? "", at: at)
    }

    /// `2026-11-25T03:50:12.031Z` (as `iso8601` writes it) as µs since the epoch.
    static func microseconds(_ text: String) -> Int64? {
        guard text.hasSuffix("Z") else { return nil }
        let parts = text.dropLast().split(separator: "T")
        guard parts.count == 2, let day = WallClock.day(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard clock.count <= 2, let seconds = WallClock.timeOfDay(String(clock[0])) else { return nil }
        var fraction: Int64 = 0
        if clock.count == 2 {
            let digits = String(clock[1].prefix(6))
            guard !digits.isEmpty, let f = Int64(digits) else { return nil }
            fraction = f * Int64([1, 100_000, 10_000, 1000, 100, 10, 1][digits.count])
        }
        return (day * 86_400 + Int64(seconds)) * 1_000_000 + fraction
    }
}
