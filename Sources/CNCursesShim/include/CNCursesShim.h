// Only what Swift cannot import from ncurses: attribute and colour macros, and the
// ncurses key codes defined as macros of expressions.
#ifndef PGTOP_CNCURSES_SHIM_H
#define PGTOP_CNCURSES_SHIM_H
#include "../../CNCurses/shim.h"

unsigned int pgtop_attr_normal(void);
unsigned int pgtop_attr_bold(void);
unsigned int pgtop_attr_reverse(void);
unsigned int pgtop_attr_dim(void);
unsigned int pgtop_attr_underline(void);
unsigned int pgtop_color_pair(short pair);
int pgtop_key_f(int n);
/// wattrset, which is a macro in some ncurses builds.
int pgtop_wattrset(WINDOW *win, unsigned int attrs);
/// 1 when TERM names a terminfo entry with cursor addressing; otherwise 0 and *why is
/// -1 (no terminfo database), 0 (unknown terminal) or 1 (no cursor addressing).
int pgtop_check_terminal(const char *term, int *why);
/// The screen's window after newterm (the `stdscr` global does not import under Swift 6).
WINDOW *pgtop_stdscr(void);
#endif
