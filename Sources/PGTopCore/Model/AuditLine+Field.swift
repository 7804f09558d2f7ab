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
