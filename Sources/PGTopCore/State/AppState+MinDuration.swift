/// The `m` prompt: the screen's `--min-duration`, so that clearing an incident is `3`, a
/// threshold, `A` `k` `y` and `A` cannot mark a healthy transaction a second old.
extension AppState {
    /// What the header's view line and the prompt call the threshold: `XACT AGE ≥ 5:00`,
    /// by the ELAPSED clock it is measured on; nil without one.
    public var minDurationLabel: String? {
        guard let minDuration else { return nil }
        return "\(elapsed.columnTitle) \(asciiOnly ? ">=" : "≥") \(Format.seconds(minDuration))"
    }

    /// One key in the prompt. Nothing changes until Enter: a half-typed `5` of `5m` must not
    /// hide rows meanwhile. Bad input says so in the footer and keeps the old threshold.
    mutating func handleMinDurationKey(_ key: Key, draft: String) -> [Effect] {
        var draft = draft
        switch key {
        case .enter:
            mode = .table
            let typed = String(Substring(draft).trimmingCharacters())
            if typed.isEmpty {
                if minDuration != nil { message = Message("Threshold cleared: rows of every age shown") }
                minDuration = nil
            } else if let seconds = DurationText.seconds(typed) {
                minDuration = seconds
                message = Message("Showing only rows with \(minDurationLabel ?? "")")
            } else {
                let kept = minDurationLabel.map { "still \($0)" } ?? "no threshold set"
                message = Message("Not a duration: \"\(typed)\" (90, 90s, 5m, 2h, 1d); \(kept)", isError: true)
            }
        case .escape:
            mode = .table
        case .backspace, .delete:
            if !draft.isEmpty { draft.removeLast() }
            mode = .minDuration(draft: draft)
        case .ctrl("u"):
            mode = .minDuration(draft: "")
        case .ctrl("c"):
            return [.quit]
        case .char(let c):
            draft.append(c)
            mode = .minDuration(draft: draft)
        default:
            break
        }
        return []
    }
}
