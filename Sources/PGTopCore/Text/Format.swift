/// Number and duration formatting for the table and header.
public enum Format {
    /// ELAPSED: `42s`, `3:07`, `1:02:03`, `2d 04:05`. Negative ages (clock skew) show as `0s`.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "" }
        let total = seconds <= 0 ? 0 : Int(seconds)
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

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
