/// What a key does while a recording is replayed, before the table's own keys (so `Z`, `+`
/// and `-` play, pause and change the speed instead of the refresh).
public enum ReplayAction: Sendable, Equatable {
    case command(ReplayCommand)
    /// The `t` prompt: a time to go to.
    case askTime
}

extension KeyMap {
    /// A replay key; the help screen and the man page list them, so they cannot drift from what they do.
    public struct ReplayBinding: Sendable {
        public let keys: [Key]
        public let action: ReplayAction
        public let help: String
    }

    public static let replayBindings: [ReplayBinding] = [
        ReplayBinding(keys: [.left], action: .command(.step(-1)), help: "One sample back"),
        ReplayBinding(keys: [.right], action: .command(.step(1)), help: "One sample forward"),
        ReplayBinding(keys: [.char("[")], action: .command(.jump(seconds: -60)), help: "One minute back"),
        ReplayBinding(keys: [.char("]")], action: .command(.jump(seconds: 60)), help: "One minute forward"),
        ReplayBinding(keys: [.char("{")], action: .command(.jump(seconds: -3600)), help: "One hour back"),
        ReplayBinding(keys: [.char("}")], action: .command(.jump(seconds: 3600)), help: "One hour forward"),
        ReplayBinding(keys: [.char("p"), .char("Z")], action: .command(.togglePlay),
                      help: "Play or pause: the samples at their recorded pace, times the speed"),
        ReplayBinding(keys: [.char("+")], action: .command(.faster), help: "Play faster: 1x, 2x, 4x ... 64x"),
        ReplayBinding(keys: [.char("-")], action: .command(.slower), help: "Play slower"),
        ReplayBinding(keys: [.char("t")], action: .askTime,
                      help: "Go to a time: 03:12 (its last time in the recording), 2026-11-24 20:30, -10m, +2h"),
        ReplayBinding(keys: [.char("n")], action: .command(.nextEvent),
                      help: "Next event: slots low, idle in transaction past idle-warn, lock pile-up, cancel/terminate, sessions ending, outage"),
        ReplayBinding(keys: [.char("N")], action: .command(.previousEvent), help: "Previous event"),
        ReplayBinding(keys: [.char("L")], action: .command(.latest),
                      help: "The latest sample, then each new one while the recording is being written"),
    ]

    static let replayTable: [Key: ReplayAction] = {
        var table: [Key: ReplayAction] = [:]
        for binding in replayBindings {
            for key in binding.keys { table[key] = binding.action }
        }
        return table
    }()

    /// The replay action bound to `key`, if any.
    public static func replayAction(for key: Key) -> ReplayAction? { replayTable[key] }
}
