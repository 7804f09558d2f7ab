/// A recording replayed in the same screen: the replay keys (`KeyMap.replayBindings`) come
/// before the table's, the `t` prompt takes a time, and cancel and terminate are refused.
extension AppState {
    /// What `k` and `c` say in a replay: nothing is asked, nothing is sent.
    public static let replayRefusal = "replay: a recording; cancel and terminate act only on live servers"

    /// Where the replay stands now: its counters replace the header's (a moment earlier
    /// than the last has its own rates), its note, if any, goes to the footer.
    public mutating func receive(_ status: ReplayStatus) {
        replay = status
        stats = status.stats
        rates = status.previousStats.flatMap { previous in status.stats.flatMap { ServerRates(from: previous, to: $0) } }
        if let note = status.note { message = note }
    }

    /// A replay key in the table or the detail view; nil when `key` is not one (or no
    /// recording is replayed), so that the view's own table answers it.
    mutating func handleReplayKey(_ key: Key) -> [Effect]? {
        guard replay != nil, let action = KeyMap.replayAction(for: key) else { return nil }
        switch action {
        case .command(let command):
            return [.replay(command)]
        case .askTime:
            mode = .replayTime(draft: "")
            return []
        }
    }

    /// One key in the `t` prompt. Enter goes to the time typed; text that is no time says so
    /// in one line and stays where it was.
    mutating func handleReplayTimeKey(_ key: Key, draft: String) -> [Effect] {
        var draft = draft
        switch key {
        case .enter:
            mode = .table
            let typed = String(Substring(draft).trimmingCharacters())
            guard let replay, !typed.isEmpty else { return [] }
            guard let t = replay.clock.parse(typed, within: replay.first...replay.last, reference: replay.time) else {
                message = Message("Not a time: \"\(Sanitizer.clean(typed, ascii: asciiOnly))\" (03:12, 03:12:30, 2026-11-24 20:30, -10m, +2h)",
                                  isError: true)
                return []
            }
            return [.replay(.goTo(t))]
        case .escape:
            mode = .table
        case .backspace, .delete:
            _ = PromptText.erase(&draft)
            mode = .replayTime(draft: draft)
        case .ctrl("u"):
            mode = .replayTime(draft: "")
        case .ctrl("c"):
            return [.quit]
        case .char(let c):
            _ = PromptText.type(c, into: &draft, limit: 64)
            mode = .replayTime(draft: draft)
        default:
            break
        }
        return []
    }
}
