/// Sizes as people type them: `500MB`, `2GB`, `1.5G`, `64k`, `1048576`. The units are
/// PostgreSQL's (`kB`, `MB`, `GB`, `TB`: powers of 1024), in any case, with or without the `B`
/// and with an optional `i` (`GiB`); a bare number is bytes.
///
///     ByteSize.bytes("2GB")     // 2_147_483_648
///     ByteSize.bytes("1.5G")    // 1_610_612_736
///     ByteSize.text(2_147_483_648)   // "2GB"
public enum ByteSize {
    static let units: [(String, Int64)] = [("t", 1 << 40), ("g", 1 << 30), ("m", 1 << 20), ("k", 1 << 10), ("", 1)]

    /// In bytes; nil when the text is none of those forms (or negative, or past 8 EB).
    public static func bytes(_ text: String) -> Int64? {
        var s = String(Substring(text.lowercased()).trimmingCharacters())
        if s.hasSuffix("b") { s.removeLast() }
        let binary = s.hasSuffix("i")  // GiB: the same as GB
        if binary { s.removeLast() }
        var unit: Int64 = 1
        if let last = s.last, let u = units.first(where: { $0.0 == String(last) }) {
            unit = u.1
            s.removeLast()
        } else if binary {
            return nil
        }
        s = String(Substring(s).trimmingCharacters())
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(s) else { return nil }
        let total = value * Double(unit)
        guard total.isFinite, total < 9.2e18 else { return nil }
        return Int64(total.rounded())
    }

    /// The shortest form `bytes(_:)` reads back as the same value: `2GB`, `500MB`, `1536kB`, `100B`.
    public static func text(_ bytes: Int64) -> String {
        for (name, size) in units where size > 1 && bytes >= size && bytes % size == 0 {
            return "\(bytes / size)\(name == "k" ? "kB" : name.uppercased() + "B")"
        }
        return "\(bytes)B"
    }
}
