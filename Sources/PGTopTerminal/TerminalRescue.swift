import CNCursesShim
import Glibc
import Synchronization

/// The tty modes from before curses started, so a crash can put them back.
private nonisolated(unsafe) var savedModes = termios()
private let haveSavedModes = Atomic<Bool>(false)

/// Puts the terminal back as it was, from anywhere, even a crash handler: the tty modes saved
/// before curses started, the cursor shown, the alternate screen left. Only async-signal-safe
/// calls (tcsetattr, write).
enum TerminalRescue {
    static func save() {
        guard tcgetattr(0, &savedModes) == 0 else { return }
        haveSavedModes.store(true, ordering: .releasing)
    }

    static func restore() {
        guard haveSavedModes.exchange(false, ordering: .acquiring) else { return }
        tcsetattr(0, TCSAFLUSH, &savedModes)
        let reset = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n"
        _ = reset.withCString { write(1, $0, strlen($0)) }
    }

    /// Normal exit: curses restored the modes itself.
    static func forget() {
        haveSavedModes.store(false, ordering: .releasing)
    }
}
