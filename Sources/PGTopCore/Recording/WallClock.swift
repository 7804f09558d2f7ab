/// A recording's times as a person reads and types them: local wall-clock time, `20:30:05`,
/// `2026-11-24 20:30:05`, and back. Pure: the executable gives the local offset from UTC
/// (`localtime_r`'s `tm_gmtoff` at the recording's time).
///
///     let clock = WallClock(utcOffset: 3600)
///     clock.dateTime(t)                                  // "2026-11-24 20:30:05"
///     clock.parse("03:12", within: first...last)         // the last 03:12:00 in the recording
public struct WallClock: Sendable, Equatable {
    /// Seconds east of UTC.
    public var utcOffset: Int

    public init(utcOffset: Int = 0) { self.utcOffset = utcOffset }

    /// `20:30:05`.
    public func time(_ us: Int64) -> String {
        let c = civil(us)
        return "\(Format.two(c.hour)):\(Format.two(c.minute)):\(Format.two(c.second))"
    }

    /// `2026-11-24 20:30:05`.
    public func dateTime(_ us: Int64) -> String {
        let c = civil(us)
        return "\(c.year)-\(Format.two(c.month))-\(Format.two(c.day)) \(time(us))"
    }

    /// `2026-11-24`.
    public func date(_ us: Int64) -> String {
        let c = civil(us)
        return "\(c.year)-\(Format.two(c.month))-\(Format.two(c.day))"
    }

    /// A typed time: `03:12`, `03:12:30`, `2026-11-24 20:30`, `2026-11-24T20:30:00`, or a
    /// relative `-10m` / `+2h` from `reference`. A time of day alone is the last such moment
    /// within `range` (the recording; a night's incident is usually the last night), else the
    /// one nearest to it. Nil when the text is none of these.
    public func parse(_ text: String, within range: ClosedRange<Int64>, reference: Int64? = nil) -> Int64? {
        let t = String(Substring(text).trimmingCharacters())
        if let sign = t.first, sign == "-" || sign == "+", let seconds = DurationText.seconds(String(t.dropFirst())) {
            let delta = Int64(seconds * 1_000_000)
            return (reference ?? range.upperBound) + (sign == "-" ? -delta : delta)
        }
        let parts = t.split(whereSeparator: { $0 == " " || $0 == "T" }).map(String.init)
        switch parts.count {
        case 1:
            guard let seconds = Self.timeOfDay(parts[0]) else { return nil }
            return nearest(secondsOfDay: seconds, within: range)
        case 2:
            guard let day = Self.day(parts[0]), let seconds = Self.timeOfDay(parts[1]) else { return nil }
            return (day * 86_400 + Int64(seconds) - Int64(utcOffset)) * 1_000_000
        default:
            return nil
        }
    }

    /// The last moment at this time of day within `range`; else the nearest one.
    func nearest(secondsOfDay: Int, within range: ClosedRange<Int64>) -> Int64 {
        let lastDay = floorDiv(range.upperBound / 1_000_000 + Int64(utcOffset), 86_400)
        func at(_ day: Int64) -> Int64 { (day * 86_400 + Int64(secondsOfDay) - Int64(utcOffset)) * 1_000_000 }
        var day = lastDay
        while at(day) > range.upperBound { day -= 1 }
        if at(day) >= range.lowerBound { return at(day) }
        // Not inside: the nearer of the one before the start and the one after the end.
        let before = at(day), after = at(day + 1)
        return range.lowerBound - before <= after - range.upperBound ? before : after
    }

    /// `HH:MM` or `HH:MM:SS` as seconds since midnight.
    static func timeOfDay(_ text: String) -> Int? {
        let f = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard f.count == 2 || f.count == 3, f.allSatisfy({ $0 != nil }) else { return nil }
        let h = f[0]!, m = f[1]!, s = f.count == 3 ? f[2]! : 0
        guard (0..<24).contains(h), (0..<60).contains(m), (0..<61).contains(s) else { return nil }
        return h * 3600 + m * 60 + s
    }

    /// `YYYY-MM-DD` as days since 1970-01-01.
    static func day(_ text: String) -> Int64? {
        let f = text.split(separator: "-", omittingEmptySubsequences: false).map { Int64($0) }
        guard f.count == 3, let y = f[0], let m = f[1], let d = f[2], (1...12).contains(m), (1...31).contains(d) else { return nil }
        return daysFromCivil(y, m, d)
    }

    private func civil(_ us: Int64) -> (year: Int64, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let seconds = floorDiv(us, 1_000_000) + Int64(utcOffset)
        let days = floorDiv(seconds, 86_400), rest = Int(seconds - days * 86_400)
        let (y, m, d) = Self.civilFromDays(days)
        return (y, m, d, rest / 3600, rest / 60 % 60, rest % 60)
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int64, Int, Int) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
