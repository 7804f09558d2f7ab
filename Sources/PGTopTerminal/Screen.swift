import CNCursesShim
import Glibc
import PGTopCore

/// Draws frames on the curses window, sending only what changed: lines equal to those of the
/// previous frame are skipped, and curses itself sends only the cells that differ, so a
/// refresh over SSH costs a few bytes, never a full clear.
final class Screen {
    private let window: UnsafeMutablePointer<WINDOW>
    private let theme: Theme
    /// What each row shows now; nil when unknown (first draw, after a resize or a forced
    /// redraw). Valid for `shownWidth` columns.
    private var shown: [StyledLine?] = []
    private var shownWidth = 0
    /// Whether the cursor is shown; nil when unknown (after a resume).
    private var cursorVisible: Bool? = false

    init(window: UnsafeMutablePointer<WINDOW>, theme: Theme) {
        self.window = window
        self.theme = theme
    }

    var size: (width: Int, height: Int) {
        (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// Forget what is on screen: the next draw sends every line.
    func forget() {
        shown = []
        cursorVisible = nil
    }

    /// Draws `frame.lines` at rows 0..<height (missing lines are blank, extra ones ignored),
    /// places the cursor, and refreshes once.
    func draw(_ frame: Frame) {
        let (width, height) = size
        guard width > 0, height > 0 else { return }
        if shown.count != height || shownWidth != width {
            shown = Array(repeating: nil, count: height)
            shownWidth = width
        }
        let blank = StyledLine()
        for row in 0..<height {
            let line = row < frame.lines.count ? frame.lines[row] : blank
            if shown[row] == line { continue }
            paint(line, row: row, width: width)
            shown[row] = line
        }
        pgtop_wattrset(window, pgtop_attr_normal())
        showCursor(frame.cursor != nil)
        if let cursor = frame.cursor {
            wmove(window, Int32(min(max(cursor.row, 0), height - 1)), Int32(min(max(cursor.column, 0), width - 1)))
        }
        wrefresh(window)
    }

    /// Shows or hides the cursor. A hidden cursor is left wherever the update leaves it
    /// (leaveok), which saves moving it after every refresh.
    private func showCursor(_ visible: Bool) {
        guard cursorVisible != visible else { return }
        curs_set(visible ? 1 : 0)
        leaveok(window, !visible)
        cursorVisible = visible
    }

    /// Paints one row from column 0 to the right edge. Text past the edge is cut (never
    /// wrapped), and the rest of the row is blanked in the fill style with `whline`, which
    /// does not move the cursor: even the bottom-right cell is written without scrolling.
    private func paint(_ line: StyledLine, row: Int, width: Int) {
        wmove(window, Int32(row), 0)
        var used = 0
        for span in line.spans where used < width {
            let (text, cells) = Self.clip(span.text, toCells: width - used)
            if cells > 0 {
                pgtop_wattrset(window, theme.attribute(span.style))
                waddnstr(window, span.text, Int32(text.utf8.count))
                used += cells
            }
            if text.utf8.count < span.text.utf8.count { break }
        }
        if used < width {
            // whline renders a blank in the window's current attributes: set them to the fill.
            let fill = theme.attribute(line.fill)
            pgtop_wattrset(window, fill)
            wmove(window, Int32(row), Int32(used))
            whline(window, UInt32(UInt8(ascii: " ")) | fill, Int32(width - used))
        }
    }

    /// The longest prefix of `text`, cut between characters, that takes at most `cells`
    /// terminal cells as ncurses counts them (the C library's `wcwidth`, which is what decides
    /// where curses puts the next character); and the cells it takes.
    ///
    ///     Screen.clip("日本語", toCells: 5)  // ("日本", 4)
    static func clip(_ text: String, toCells cells: Int) -> (text: Substring, cells: Int) {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let width = self.width(of: text[index])
            if used + width > cells { return (text[..<index], used) }
            used += width
            end = text.index(after: index)
        }
        return (text[..<end], used)
    }

    /// Cells a character takes in curses: the sum of its scalars' `wcwidth` (combining
    /// marks are 0); an unprintable scalar counts as 1, as curses shows it in a cell.
    static func width(of character: Character) -> Int {
        var total = 0
        for scalar in character.unicodeScalars {
            let w = Int(pgtop_wcwidth(scalar.value))
            total += w < 0 ? 1 : w
        }
        return total
    }
}
