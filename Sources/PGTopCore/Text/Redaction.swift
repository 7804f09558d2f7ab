/// Passwords out of every message pgtop prints: libpq quotes pieces of a conninfo in its errors
/// (`invalid percent-encoded token: "S3cr%zzet"`), and a conninfo may be named in a config error.
///
///     let secrets = Redaction.secrets(in: "postgresql://app:S3cr%zzet@db1/app")   // ["S3cr%zzet"]
///     Redaction.redact("invalid percent-encoded token: \"S3cr%zzet\"", secrets: secrets)
///     // "invalid percent-encoded token: \"***\""
///     Redaction.redact("bad conninfo: host=db1 password='it''s'")   // "bad conninfo: host=db1 password=***"
///
/// Two passes: every secret known (the password of each conninfo given, as written and
/// percent-decoded, a password typed at the prompt) wherever it appears, then anything shaped
/// like a password whether known or not: `password=...` (quoted or not) and a URI's
/// `user:password@`.
public enum Redaction {
    public static let mask = "***"

    /// The passwords a conninfo string or URI carries, as written and decoded.
    public static func secrets(in conninfo: String) -> [String] {
        var found: [String] = []
        func add(_ s: String) { if !s.isEmpty && !found.contains(s) { found.append(s) } }
        if let scheme = conninfo.firstRange(of: "://"), conninfo.hasPrefix("postgres") {
            let rest = conninfo[scheme.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                let raw = String(authority[authority.index(after: colon)..<at])
                add(raw)
                add(percentDecoded(raw))
            }
            if let query = rest.firstIndex(of: "?") {
                for pair in rest[rest.index(after: query)...].split(separator: "&") where pair.hasPrefix("password=") {
                    let raw = String(pair.dropFirst("password=".count))
                    add(raw)
                    add(percentDecoded(raw))
                }
            }
        } else {
            for value in keywordValues(conninfo, key: "password") { add(value) }
        }
        return found
    }

    /// `text` with every secret and every password-shaped piece masked.
    public static func redact(_ text: String, secrets: [String] = []) -> String {
        var out = text
        // Longest first: a secret that contains another is masked whole.
        for secret in secrets.sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            out = out.replacingAll(secret, with: mask)
        }
        return maskShapes(out)
    }

    /// `password=VALUE` (VALUE bare, or in single quotes with `\'` and `''`) and
    /// `scheme://user:VALUE@` masked.
    static func maskShapes(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        var i = 0
        let key = Array("password=")
        while i < chars.count {
            if matches(chars, at: i, key) && (i == 0 || !chars[i - 1].isLetter) {
                out += "password=" + mask
                i += key.count
                if i < chars.count && chars[i] == "'" {
                    i += 1
                    while i < chars.count {
                        if chars[i] == "\\" { i += 2; continue }
                        if chars[i] == "'" {
                            if i + 1 < chars.count && chars[i + 1] == "'" { i += 2; continue }
                            i += 1
                            break
                        }
                        i += 1
                    }
                } else {
                    while i < chars.count && !chars[i].isWhitespace && chars[i] != "&" && chars[i] != "\"" { i += 1 }
                }
                continue
            }
            if matches(chars, at: i, Array("://")) {
                // user:password@ up to the end of the authority.
                var end = i + 3
                while end < chars.count && !"/?# \"'".contains(chars[end]) { end += 1 }
                let authority = chars[(i + 3)..<end]
                if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                    out += "://" + String(chars[(i + 3)...colon]) + mask + String(chars[at..<end])
                    i = end
                    continue
                }
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }

    private static func matches(_ chars: [Character], at i: Int, _ word: [Character]) -> Bool {
        guard i + word.count <= chars.count else { return false }
        for k in 0..<word.count where chars[i + k].lowercased() != String(word[k]) { return false }
        return true
    }

    /// The values of `key` in a `key=value` conninfo (libpq's quoting: single quotes, `\`).
    private static func keywordValues(_ conninfo: String, key: String) -> [String] {
        var values: [String] = []
        let chars = Array(conninfo)
        var i = 0
        while i < chars.count {
            while i < chars.count && chars[i].isWhitespace { i += 1 }
            var name = ""
            while i < chars.count && chars[i] != "=" && !chars[i].isWhitespace { name.append(chars[i]); i += 1 }
            while i < chars.count && chars[i].isWhitespace { i += 1 }
            guard i < chars.count, chars[i] == "=" else { break }
            i += 1
            while i < chars.count && chars[i].isWhitespace { i += 1 }
            var value = "", raw = ""
            if i < chars.count && chars[i] == "'" {
                i += 1
                while i < chars.count && chars[i] != "'" {
                    if chars[i] == "\\" && i + 1 < chars.count { raw.append(chars[i]); i += 1 }
                    value.append(chars[i]); raw.append(chars[i]); i += 1
                }
                i += 1
            } else {
                while i < chars.count && !chars[i].isWhitespace {
                    if chars[i] == "\\" && i + 1 < chars.count { raw.append(chars[i]); i += 1 }
                    value.append(chars[i]); raw.append(chars[i]); i += 1
                }
            }
            if name == key {
                values.append(value)
                if raw != value { values.append(raw) }
            }
        }
        return values
    }

    /// `%41` -> `A`; an invalid escape is kept as written.
    static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count,
               let hi = hex(utf8[i + 1]), let lo = hex(utf8[i + 2]) {
                bytes.append(hi << 4 | lo)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation in the core).
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
