import CNCursesShim
import Glibc
import PGTopCore

public struct TerminalError: Error, CustomStringConvertible {
    public let description: String
}

/// The terminal, through ncurses, for as long as pgtop draws on it: draws `Frame`s
/// (sending only the lines that changed) and reads `Key`s without blocking.
public final class Terminal {
    private let window: UnsafeMutablePointer<WINDOW>
    private let theme: Theme
    private let codes: KeyDecoder.Codes
    private var shown: [StyledLine] = []
    private var cursorVisible = false
    private var closed = false
    /// The locale's character set is UTF-8; when false the core lays out ASCII only.
    public let isUTF8: Bool

    private init(window: UnsafeMutablePointer<WINDOW>, theme: Theme, isUTF8: Bool) {
        self.window = window
        self.theme = theme
        self.isUTF8 = isUTF8
        codes = KeyDecoder.Codes(
            up: KEY_UP, down: KEY_DOWN, left: KEY_LEFT, right: KEY_RIGHT, pageUp: KEY_PPAGE, pageDown: KEY_NPAGE,
            home: KEY_HOME, end: KEY_END, enter: KEY_ENTER, backspace: KEY_BACKSPACE, delete: KEY_DC,
            resize: KEY_RESIZE, altHome: [KEY_A1, KEY_FIND], altEnd: [KEY_C1, KEY_SELECT, KEY_LL], f1: pgtop_key_f(1))
    }

    /// Checks that stdin and stdout are a terminal that can address the cursor, then starts
    /// curses. Nothing is written to the terminal when it fails.
    public static func open() throws(TerminalError) -> Terminal {
        setlocale(LC_ALL, "")
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw TerminalError(description: "pgtop needs a terminal: stdin or stdout is not a tty")
        }
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        guard !term.isEmpty else { throw TerminalError(description: "pgtop needs a terminal: TERM is not set") }
        var why: Int32 = 0
        guard pgtop_check_terminal(term, &why) == 1 else {
            switch why {
            case -1: throw TerminalError(description: "pgtop cannot find the terminfo database to learn about TERM=\(term)")
            case 0: throw TerminalError(description: "pgtop does not know the terminal TERM=\(term) (no terminfo entry); try TERM=xterm-256color")
            default: throw TerminalError(description: "pgtop needs a terminal with cursor addressing; TERM=\(term) has none")
            }
        }
        TerminalRescue.save()
        guard newterm(nil, fdopen(1, "w"), fdopen(0, "r")) != nil, let window = pgtop_stdscr() else {
            TerminalRescue.forget()
            throw TerminalError(description: "pgtop could not start the terminal TERM=\(term)")
        }
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        set_escdelay(25)
        curs_set(0)
        let noColor = getenv("NO_COLOR").map { String(cString: $0) }.map { !$0.isEmpty } ?? false
        var colors = false
        if has_colors() && !noColor {
            start_color()
            use_default_colors()
            colors = true
        }
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        return Terminal(window: window, theme: Theme(colors: colors), isUTF8: codeset == "UTF-8")
    }

    deinit { close() }

    public var size: (width: Int, height: Int) {
        (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// Draws a frame; lines equal to what is on screen are not sent again.
    public func draw(_ frame: Frame) {
        let (width, height) = size
        if shown.count != height { shown = Array(repeating: StyledLine([Span("\u{0}")]), count: height) }
        for (row, line) in frame.lines.prefix(height).enumerated() where shown[row] != line {
            wmove(window, Int32(row), 0)
            var used = 0
            for span in line.spans {
                pgtop_wattrset(window, theme.attribute(span.style))
                waddstr(window, span.text)
                used += CellWidth.of(span.text)
            }
            pgtop_wattrset(window, theme.attribute(line.fill))
            if used < width {
                if line.fill == .normal {
                    wclrtoeol(window)
                } else {
                    let blanks = width - used - (row == height - 1 ? 1 : 0)
                    if blanks > 0 { waddstr(window, String(repeating: " ", count: blanks)) }
                }
            }
            shown[row] = line
        }
        pgtop_wattrset(window, pgtop_attr_normal())
        if let cursor = frame.cursor {
            if !cursorVisible { curs_set(1); cursorVisible = true }
            wmove(window, Int32(cursor.row), Int32(cursor.column))
        } else if cursorVisible {
            curs_set(0)
            cursorVisible = false
        }
        wrefresh(window)
    }

    /// Every key waiting, without blocking.
    public func readKeys() -> [Key] {
        var keys: [Key] = []
        while true {
            var ch: wint_t = 0
            let r = wget_wch(window, &ch)
            if r == ERR { break }
            if let key = KeyDecoder.decode(Int32(bitPattern: ch), isFunctionKey: r == KEY_CODE_YES, codes: codes) {
                if key == .resize { shown = [] }
                keys.append(key)
            }
        }
        return keys
    }

    /// The next draw repaints the whole screen (after Ctrl-L, a resize, a resume).
    public func forceFullRedraw() {
        clearok(window, true)
        shown = []
    }

    /// Ends curses and restores the terminal; idempotent.
    public func close() {
        guard !closed else { return }
        closed = true
        curs_set(1)
        endwin()
        TerminalRescue.forget()
    }
}
