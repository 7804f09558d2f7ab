import CNCursesShim

/// Puts the terminal back the way the shell had it when pgtop dies with the screen up: a
/// crash (a Swift trap raises SIGILL or SIGTRAP, a bad pointer SIGSEGV), Ctrl-\ (SIGQUIT),
/// abort(), or exit() without `Terminal.close()`. The work happens in C (`rescue.c`), which
/// is what can be trusted inside a signal handler: it restores the tty modes saved before
/// curses started and writes the terminal's own reset sequences (sgr0, cnorm, rmkx, rmcup),
/// then passes the signal on to the handler that was there before (Swift's backtracer, or
/// the default action), so the process still dies with the right status and report.
///
/// While the screen is up, stderr goes to an unlinked temporary file and is replayed after
/// the rescue or `close()`: a fatal error's message is not lost with the alternate screen.
enum TerminalRescue {
    /// Before curses starts: the handlers, and the tty modes to restore.
    static func prepare(terminalFD: Int32) {
        pgtop_rescue_install()
        _ = pgtop_rescue_save_modes(terminalFD)
    }

    /// Curses is up: learn the reset sequences from terminfo and arm the rescue.
    static func arm(captureStandardError: Bool) {
        pgtop_rescue_arm()
        if captureStandardError { _ = pgtop_stderr_capture_begin() }
    }

    /// Curses ended normally (close, suspend): nothing to rescue; replay stderr.
    static func disarm() {
        pgtop_rescue_disarm()
        pgtop_stderr_capture_end()
    }
}
