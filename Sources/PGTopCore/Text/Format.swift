/// Number and duration formatting for the table and header.
public enum Format {
    /// ELAPSED: `42s`, `3:07`, `1:02:03`, `2d 04:05`. Negative ages (clock skew) show as `0s`.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "" }
        // Capped: a duration typed as 1e300 (a --min-duration) must not trap the conversion.
        let total = seconds <= 0 ? 0 : Int(min(seconds, 1e15))
        let s = total % 60, m = (total / 60) % 60, h = (total / 3600) % 24, d = total / 86_400
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(m):\(two(s))" }
        if total < 86_400 { return "\(h):\(two(m)):\(two(s))" }
        return "\(d)d \(two(h)):\(two(m))"
    }

    /// The refresh interval: `1s`, `0.5s`, `2s`.
    public static func interval(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(tenths % 10)s"
    }

    /// A rate or count in 3 significant figures at most: `0`, `7`, `12.5`, `830`, `1.2k`, `45M`.
    public static func quantity(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let units: [(Double, String)] = [(1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (size, suffix) in units where abs(value) >= size { return compact(value / size) + suffix }
        return compact(value)
    }

    /// Bytes in binary units: `512 B`, `1.5 kB`, `230 MB`, `1.2 GB`.
    public static func bytes(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let units: [(Double, String)] = [(1_099_511_627_776, "TB"), (1_073_741_824, "GB"), (1_048_576, "MB"), (1024, "kB")]
        for (size, suffix) in units where abs(value) >= size { return compact(value / size) + " " + suffix }
        return "\(Int(value.rounded())) B"
    }

    /// A ratio as a percentage with one decimal, cut rather than rounded (99.96% is `99.9%`:
    /// only a perfect ratio says 100).
    public static func percent(_ ratio: Double) -> String {
        guard ratio.isFinite else { return "-" }
        let tenths = Int((max(0, min(1, ratio)) * 1000).rounded(.down))
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// A short lag: `0.003s`, `0.25s`, `4.2s`, then as `duration` from a minute (`1:15`).
    public static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        if value >= 60 { return duration(value) }
        if value < 0.01 { return "\(Int((max(0, value) * 1000).rounded()))ms" }
        return compact(value) + "s"
    }

    /// 1 decimal under 10 (dropped when .0), none above: `0`, `1.5`, `12`, `830`.
    static func compact(_ v: Double) -> String {
        if abs(v) < 9.95 {
            let tenths = Int((v * 10).rounded())
            return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(abs(tenths % 10))"
        }
        return "\(Int(v.rounded()))"
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
