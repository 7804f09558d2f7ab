/// Durations as people type them: `90`, `90s`, `5m`, `2h`, `1d`, `1.5h`.
///
///     DurationText.seconds("5m")   // 300
public enum DurationText {
    /// In seconds; nil when the text is none of those forms.
    public static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var number = Substring(text.lowercased()).trimmingCharacters()
        var unit = 1.0
        if let last = number.last, let u = units[last] {
            unit = u
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return value * unit
    }
}
