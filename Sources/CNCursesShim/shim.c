#include "CNCursesShim.h"
