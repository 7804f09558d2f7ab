// Only what Swift cannot import from ncurses: attribute and colour macros.
#ifndef PGTOP_CNCURSES_SHIM_H
#define PGTOP_CNCURSES_SHIM_H
#include "../../CNCurses/shim.h"
#endif
