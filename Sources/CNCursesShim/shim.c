#define _GNU_SOURCE 1  /* wcwidth */
#include "CNCursesShim.h"
#include <ncursesw/term.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <wchar.h>

unsigned int pgtop_attr_normal(void) { return A_NORMAL; }
unsigned int pgtop_attr_bold(void) { return A_BOLD; }
unsigned int pgtop_attr_reverse(void) { return A_REVERSE; }
unsigned int pgtop_attr_dim(void) { return A_DIM; }
unsigned int pgtop_attr_underline(void) { return A_UNDERLINE; }
unsigned int pgtop_color_pair(short pair) { return (unsigned int)COLOR_PAIR(pair); }
int pgtop_colors(void) { return COLORS; }
int pgtop_color_pairs(void) { return COLOR_PAIRS; }
int pgtop_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }
int pgtop_key_f(int n) { return KEY_F(n); }
int pgtop_wattrset(WINDOW *win, unsigned int attrs) { return wattrset(win, (int)attrs); }
WINDOW *pgtop_stdscr(void) { return stdscr; }

int pgtop_check_terminal(const char *term, int *why) {
    int err = 0;
    TERMINAL *saved = cur_term;
    if (setupterm(term, 1, &err) != OK) {
        set_curterm(saved);
        *why = err == -1 ? -1 : 0;
        return 0;
    }
    char *cup = tigetstr("cup");
    int ok = cup != NULL && cup != (char *)-1;
    del_curterm(set_curterm(saved));
    *why = ok ? 0 : 1;
    return ok;
}

extern int mouse_reporting;

int pgtop_mouse_on(void) {
    mouseinterval(0);  // presses reported at once, not held back to detect clicks
    mmask_t wanted = BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED;
    mouse_reporting = mousemask(wanted, NULL) != 0;
    return mouse_reporting;
}

void pgtop_mouse_off(void) {
    mousemask(0, NULL);
    mouse_reporting = 0;
}

extern int paste_bracketing;

/// Bracketed paste (xterm mode 2004): the terminal marks a paste with ESC [200~ ... ESC [201~.
/// Written straight to the terminal, after what curses has buffered.
void pgtop_paste_mode(int on) {
    static const char enable[] = "\033[?2004h", disable[] = "\033[?2004l";
    fflush(NULL);
    const char *s = on ? enable : disable;
    size_t length = on ? sizeof enable - 1 : sizeof disable - 1;
    while (length > 0) {
        ssize_t n = write(1, s, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        s += n;
        length -= (size_t)n;
    }
    paste_bracketing = on;
}

int pgtop_key_mouse(void) { return KEY_MOUSE; }

int pgtop_mouse_event(int *kind, int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *x = event.x;
    *y = event.y;
    if (event.bstate & BUTTON1_PRESSED) *kind = 1;
    else if (event.bstate & BUTTON4_PRESSED) *kind = 4;
#ifdef BUTTON5_PRESSED
    else if (event.bstate & BUTTON5_PRESSED) *kind = 5;
#endif
    else *kind = 0;
    return 1;
}
