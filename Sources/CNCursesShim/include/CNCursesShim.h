// What Swift cannot import from ncurses (attribute and colour macros, key codes defined as
// macro expressions, globals that Swift 6 refuses), and the terminal rescue, which runs in
// signal handlers and so is plain C.
#ifndef PGTOP_CNCURSES_SHIM_H
#define PGTOP_CNCURSES_SHIM_H
#include "../../CNCurses/shim.h"

unsigned int pgtop_attr_normal(void);
unsigned int pgtop_attr_bold(void);
unsigned int pgtop_attr_reverse(void);
unsigned int pgtop_attr_dim(void);
unsigned int pgtop_attr_underline(void);
unsigned int pgtop_color_pair(short pair);
/// COLORS and COLOR_PAIRS (valid after start_color).
int pgtop_colors(void);
int pgtop_color_pairs(void);
/// The C library's wcwidth (cells a character takes; -1 unprintable): what ncurses uses.
int pgtop_wcwidth(unsigned int c);
int pgtop_key_f(int n);
/// wattrset, which is a macro in some ncurses builds.
int pgtop_wattrset(WINDOW *win, unsigned int attrs);
/// 1 when TERM names a terminfo entry with cursor addressing; otherwise 0 and *why is
/// -1 (no terminfo database), 0 (unknown terminal) or 1 (no cursor addressing).
/// Reads the terminfo database only: nothing is written to the terminal.
int pgtop_check_terminal(const char *term, int *why);
/// Mouse reporting on (button 1 presses and the wheel, reported at once); 1 when the terminal
/// can. The rescue turns it off again after a crash.
int pgtop_mouse_on(void);
void pgtop_mouse_off(void);
void pgtop_paste_mode(int on);
/// KEY_MOUSE, which wget_wch returns when a mouse event waits.
int pgtop_key_mouse(void);
/// The mouse event after KEY_MOUSE: *kind 1 (button 1 pressed), 4 (wheel up), 5 (wheel down)
/// or 0 (anything else); *x, *y the cell. 0 when there was none.
int pgtop_mouse_event(int *kind, int *x, int *y);
/// The screen's window after newterm (the `stdscr` global does not import under Swift 6).
WINDOW *pgtop_stdscr(void);

// ---- Terminal rescue (rescue.c) -------------------------------------------------------
// Puts the terminal back the way the shell had it when pgtop dies without closing the
// screen: a crash signal (a Swift trap is SIGILL or SIGTRAP), Ctrl-\ (SIGQUIT), or exit().

/// Installs, once, the crash handlers (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE,
/// SIGQUIT: rescue, then hand the signal to the previous handler, e.g. Swift's backtracer)
/// and an atexit hook.
void pgtop_rescue_install(void);
/// Before curses starts: saves the tty modes of `fd` for the rescue to restore.
int pgtop_rescue_save_modes(int fd);
/// After curses started: learns the reset sequences from the current terminfo entry
/// (sgr0, cnorm, rmkx, rmcup) and arms the rescue.
void pgtop_rescue_arm(void);
/// After endwin: the terminal is restored already, nothing to rescue.
void pgtop_rescue_disarm(void);
/// If armed: restores the tty modes, writes the reset sequences, replays captured stderr;
/// then disarms. Async-signal-safe.
void pgtop_rescue_now(void);
/// Sends stderr (fd 2) to an unlinked temporary file while the screen is up, so that
/// messages (a Swift fatal error, a library warning) neither scribble on the screen nor
/// vanish with the alternate screen. 1 when capturing.
int pgtop_stderr_capture_begin(void);
/// Puts stderr back and writes what was captured to it. Async-signal-safe; idempotent.
void pgtop_stderr_capture_end(void);
#endif
