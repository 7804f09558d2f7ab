import CNCursesShim
import Glibc
import PGTopCore

/// The terminal, through ncurses, for as long as pgtop draws on it: draws `Frame`s (sending
/// only what changed) and reads `Key`s without blocking. Owns curses: `close()` (or deinit)
/// gives the terminal back as the shell had it.
///
///     let terminal = try Terminal.open()
///     defer { terminal.close() }
///     terminal.draw(frame)
///     for key in terminal.readKeys() { ... }   // after poll() says fd 0 is readable
///
/// Keys come in cbreak mode, not raw: Ctrl-C raises SIGINT (see `SignalWatcher`) and Ctrl-Z
/// SIGTSTP, which ncurses handles itself (restores the tty, stops, redraws on `fg`).
public final class Terminal {
    /// How to set the terminal up.
    public struct Options: Sendable {
        /// Use colours when the terminal has them. Colours are off anyway when the
        /// environment sets `NO_COLOR` to a non-empty value; styles then use attributes only.
        public var colors: Bool
        /// How long (milliseconds) to wait after Esc for the rest of an escape sequence
        /// before reporting the Esc key alone.
        public var escapeDelay: Int
        /// Keep stderr off the screen while it is up: send it to a temporary file and replay
        /// it on `close()` (or after a crash), so a message neither scribbles over the screen
        /// nor vanishes with the alternate screen.
        public var captureStandardError: Bool
        /// Report mouse clicks and the wheel (the terminal's own selection then needs Shift).
        public var mouse: Bool
        /// The config file's looks, style by style, over the built-in theme.
        public var looks: [Style: StyleSpec]

        public init(colors: Bool = true, escapeDelay: Int = 25, captureStandardError: Bool = true, mouse: Bool = true,
                    looks: [Style: StyleSpec] = [:]) {
            self.colors = colors
            self.escapeDelay = escapeDelay
            self.captureStandardError = captureStandardError
            self.mouse = mouse
            self.looks = looks
        }
    }

    private enum State { case active, suspended, closed }

    private let window: UnsafeMutablePointer<WINDOW>
    private let screen: Screen
    private let options: Options
    private var state = State.active

    /// The locale's character set is UTF-8. When false, the core lays out ASCII only.
    public let isUTF8: Bool
    /// Styles are drawn with colours (the terminal has them and they are not turned off).
    public let usesColors: Bool

    /// Colours the terminal has (8, 256), when `usesColors`.
    public let colorCount: Int
    /// Clicks and the wheel are reported (the terminal has a mouse and it was asked for).
    public let usesMouse: Bool

    private init(window: UnsafeMutablePointer<WINDOW>, options: Options, colors: Bool, isUTF8: Bool, mouse: Bool) {
        self.window = window
        self.options = options
        self.usesColors = colors
        self.isUTF8 = isUTF8
        self.usesMouse = mouse
        colorCount = colors ? Int(pgtop_colors()) : 0
        screen = Screen(window: window, theme: Theme(colors: colors, colorCount: colorCount, looks: options.looks))
    }

    /// Checks that stdin and stdout are a terminal that can address the cursor, then starts
    /// curses on it. When it throws, nothing has been written to the terminal.
    public static func open(_ options: Options = Options()) throws(TerminalError) -> Terminal {
        let isUTF8 = adoptLocale()
        guard isatty(0) == 1, isatty(1) == 1 else { throw .notATTY }
        let term = environment("TERM")
        if let refusal = TerminalError.refusal(term: term) { throw refusal }
        let termName = term ?? ""

        TerminalRescue.prepare(terminalFD: 1)
        // newterm, unlike initscr, returns NULL instead of exiting when it cannot start.
        guard let output = fdopen(1, "w"), let input = fdopen(0, "r"),
              newterm(termName, output, input) != nil, let window = pgtop_stdscr()
        else { throw .couldNotStart(term: termName) }

        cbreak()
        noecho()
        nonl()
        intrflush(window, false)
        keypad(window, true)
        nodelay(window, true)
        scrollok(window, false)
        set_escdelay(Int32(clamping: options.escapeDelay))
        curs_set(0)
        leaveok(window, true)

        var colors = false
        if options.colors && !(environment("NO_COLOR")?.isEmpty == false) && has_colors() {
            colors = start_color() == OK && use_default_colors() == OK
                && pgtop_colors() >= 8 && pgtop_color_pairs() > Theme.pairsNeeded
        }
        let mouse = options.mouse && pgtop_mouse_on() == 1
        // Pastes come bracketed (ESC [200~ ... ESC [201~): the core takes them as text for the
        // filter prompt and never as keys (a pasted line break must not be Enter, `ky` not k, y).
        pgtop_paste_mode(1)
        TerminalRescue.arm(captureStandardError: options.captureStandardError)
        return Terminal(window: window, options: options, colors: colors, isUTF8: isUTF8, mouse: mouse)
    }

    deinit { close() }

    /// The last `readKeys` stopped at its limit: more input may be waiting.
    public private(set) var moreKeysWaiting = false

    /// Columns and rows; follows resizes (after `readKeys()` has returned `.resize`).
    public var size: (width: Int, height: Int) { screen.size }

    /// Draws `frame`: its lines at rows 0..<height, each from column 0, the rest of each row
    /// blank in the line's `fill` style; the cursor at `frame.cursor`, or hidden. Lines equal
    /// to those on screen are not sent again.
    public func draw(_ frame: Frame) {
        guard state == .active else { return }
        screen.draw(frame)
    }

    /// Every key waiting, without blocking; empty when none. A resize comes as `.resize`,
    /// after which `size` is the new size and the next draw repaints everything. Escape
    /// sequences the terminfo entry does not list (Shift-Up, Alt-x) are dropped rather than
    /// read as Esc and letters; a lone Esc is `.escape` after the escape delay.
    ///
    /// Call it when poll() says fd 0 is readable, and also after poll() was interrupted by a
    /// signal (EINTR): ncurses learns of a resize from SIGWINCH and reports it here, with no
    /// byte to read on fd 0.
    ///
    /// At most `limit` key events are read per call (a paste of a megabyte comes in batches, and
    /// the caller checks for signals and draws between them); `moreKeysWaiting` then says to call
    /// again at once rather than wait for fd 0, since ncurses may hold input it has read.
    public func readKeys(limit: Int = 4096) -> [Key] {
        moreKeysWaiting = false
        guard state == .active else { return [] }
        var events: [KeyDecoder.Event] = []
        var code: wint_t = 0
        while true {
            if events.count >= limit {
                // Keep an escape sequence whole (cut, its Esc would read as the Esc key): with
                // an Esc among the last events, read a little further.
                moreKeysWaiting = true
                let escapeNearEnd = events.suffix(32).contains { !$0.isKeyCode && $0.code == 27 }
                if !escapeNearEnd || events.count >= limit + 64 { break }
            }
            let result = wget_wch(window, &code)
            if result == ERR { moreKeysWaiting = false; break }
            if result == KEY_CODE_YES && Int32(bitPattern: code) == pgtop_key_mouse() {
                var kind: Int32 = 0, x: Int32 = 0, y: Int32 = 0
                if pgtop_mouse_event(&kind, &x, &y) == 1, let mouse = KeyDecoder.mouse(kind: kind, x: x, y: y) {
                    events.append(.mouse(mouse))
                }
                continue
            }
            events.append(KeyDecoder.Event(code: Int32(bitPattern: code), isKeyCode: result == KEY_CODE_YES))
        }
        let keys = KeyDecoder.decode(events)
        if keys.contains(.resize) { screen.forget() }
        return keys
    }

    /// The next draw repaints the whole screen from scratch (Ctrl-L, a resize, garbage left
    /// by another program).
    public func forceFullRedraw() {
        guard state == .active else { return }
        clearok(window, true)
        screen.forget()
    }

    /// Gives the terminal back to the shell for a while (to run a pager or a shell): the
    /// screen is left, the tty modes restored. `resumeAfterShell()` takes it back.
    public func suspendForShell() {
        guard state == .active else { return }
        def_prog_mode()
        leaveCurses()
        state = .suspended
    }

    /// Takes the terminal back after `suspendForShell()` and repaints the last frame.
    public func resumeAfterShell() {
        guard state == .suspended else { return }
        state = .active
        reset_prog_mode()
        pgtop_paste_mode(1)
        TerminalRescue.arm(captureStandardError: options.captureStandardError)
        forceFullRedraw()
        wrefresh(window)
    }

    /// Ends curses and gives the terminal back as the shell had it (cursor visible, echo,
    /// line mode, the normal screen). Idempotent; stderr captured meanwhile is written out.
    public func close() {
        if state == .active { leaveCurses() }
        state = .closed
    }

    private func leaveCurses() {
        curs_set(1)
        endwin()
        pgtop_paste_mode(0)
        TerminalRescue.disarm()
    }

    /// Adopts the user's locale (needed before curses starts for UTF-8). When the locale the
    /// environment names is not installed but asks for UTF-8, C.UTF-8 gives the same
    /// characters. Returns whether the character set is UTF-8.
    private static func adoptLocale() -> Bool {
        if setlocale(LC_ALL, "") == nil {
            let wanted = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap(environment).first { !$0.isEmpty } ?? ""
            let lower = wanted.lowercased()
            if lower.contains("utf-8") || lower.contains("utf8") { setlocale(LC_CTYPE, "C.UTF-8") }
        }
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        return String(cString: codeset) == "UTF-8"
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
