/// Durations as people type them: `90`, `90s`, `5m`, `2h`, `1d`, `1.5h`.
///
///     DurationText.seconds("5m")   // 300
///     DurationText.text(300)       // "5m"
public enum DurationText {
    static let units: [(Character, Double)] = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]

    /// In seconds; nil when the text is none of those forms.
    public static func seconds(_ text: String) -> Double? {
        var number = Substring(text.lowercased()).trimmingCharacters()
        var unit = 1.0
        if let last = number.last, let u = units.first(where: { $0.0 == last })?.1 {
            unit = u
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return value * unit
    }

    /// The shortest form `seconds(_:)` reads back as the same value: the largest unit that
    /// divides it (`90s`, `5m`, `2h`, `1d`), else seconds with their fraction (`1.5s`).
    public static func text(_ seconds: Double) -> String {
        for (name, size) in units where seconds >= size && seconds / size < 1e15 && seconds.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int(seconds / size))\(name)"
        }
        let whole = seconds.rounded(.towardZero)
        return (seconds == whole && abs(seconds) < 1e15 ? "\(Int(whole))" : "\(seconds)") + "s"
    }
}
