/// What the keyboard is talking to.
public enum Mode: Sendable, Equatable {
    /// The backend table; keys go through `KeyMap`.
    case table
    /// The help screen, scrolled and searched like `less` (`KeyMap.helpBindings`).
    case help(HelpPosition)
    /// The `/` prompt: keys edit `draft`, which filters the table as it is typed.
    case filter(draft: String)
    /// The `m` prompt: keys edit `draft`, a duration (`90`, `5m`, `2h`); Enter sets
    /// `--min-duration` from it (empty clears it), Esc keeps the value it had.
    case minDuration(draft: String)
    /// The replay's `t` prompt: keys edit `draft`, a time (`03:12`, `2026-11-24 20:30`,
    /// `-10m`); Enter goes there, Esc stays.
    case replayTime(draft: String)
    /// A cancel/terminate waiting for `y`.
    case confirm(Confirmation)
    /// One backend in full (Enter on a row), scrolled down by `scroll` lines.
    case detail(BackendID, scroll: Int)
    /// The column chooser (`C`, F2): every column in `order` (kept while it is open, so that
    /// hiding one leaves it in its place), the cursor on the `cursor`-th.
    case columns(cursor: Int, order: [Column])
}

/// A pending cancel or terminate: exactly which backends, and the question asked.
public struct Confirmation: Sendable, Equatable {
    public var kind: SignalKind
    public var targets: [BackendID]
    /// The targets as the question describes them, in `targets`' order.
    public var backends: [Backend] = []
    /// Some targets' backend_start is hidden and the user allowed acting on the pid alone.
    public var pidOnly = false
    /// `Terminate 3 backends (4211, 4212, 4230)? [y/N]`
    public var question: String
    /// What the targets are: `2 idle in transaction, oldest 13:20:48; 1 active`.
    public var summary: String
    /// Reasons to think twice: holds locks others wait for, background process.
    public var warnings: [String]
}

/// The footer's last word: the result of an action, or an error.
public struct Message: Sendable, Equatable {
    public var text: String
    public var isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}
