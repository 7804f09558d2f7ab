// The terminal rescue. Everything that may run in a signal handler touches only static
// storage prepared beforehand and calls only async-signal-safe functions (tcsetattr, write,
// read, lseek, dup2, close, sigaction, raise).
#include "CNCursesShim.h"
#include <ncursesw/term.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved_modes;
static int saved_modes_fd = -1;
static char reset_sequence[512];
/// Set while pgtop asked the terminal to report the mouse (pgtop_mouse_on).
int mouse_reporting = 0;
/// Set while pgtop asked the terminal to bracket pastes (pgtop_paste_mode).
int paste_bracketing = 0;
static size_t reset_length;
static int armed;                      // 1 while the screen is up (atomic exchange)
static int saved_stderr = -1;          // the real stderr while fd 2 is captured
static int capture_fd = -1;            // the temporary file fd 2 points to

static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGQUIT };
#define CRASH_SIGNAL_COUNT (sizeof crash_signals / sizeof crash_signals[0])
static struct sigaction previous_actions[CRASH_SIGNAL_COUNT];
static char alternate_stack[64 * 1024];

static void write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, bytes, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        bytes += n;
        length -= (size_t)n;
    }
}

/// Appends a terminfo string, leaving out its padding specifications ($<5>).
static void append_capability(const char *name) {
    const char *s = tigetstr(name);
    if (s == NULL || s == (char *)-1) return;
    for (; *s; s++) {
        if (s[0] == '$' && s[1] == '<') {
            const char *end = s;
            while (*end && *end != '>') end++;
            if (*end == '>') { s = end; continue; }
        }
        if (reset_length + 1 < sizeof reset_sequence) reset_sequence[reset_length++] = *s;
    }
}

int pgtop_rescue_save_modes(int fd) {
    if (tcgetattr(fd, &saved_modes) != 0) return 0;
    saved_modes_fd = fd;
    return 1;
}

void pgtop_rescue_arm(void) {
    reset_length = 0;
    append_capability("sgr0");
    append_capability("cnorm");
    append_capability("rmkx");
    if (mouse_reporting) {
        // xterm mouse reporting off (normal, button-event and SGR modes), as endwin would.
        static const char mouse_off[] = "\033[?1006l\033[?1002l\033[?1000l";
        for (const char *m = mouse_off; *m && reset_length + 1 < sizeof reset_sequence; m++) reset_sequence[reset_length++] = *m;
    }
    if (paste_bracketing) {
        static const char paste_off[] = "\033[?2004l";
        for (const char *m = paste_off; *m && reset_length + 1 < sizeof reset_sequence; m++) reset_sequence[reset_length++] = *m;
    }
    size_t before = reset_length;
    append_capability("rmcup");
    if (reset_length == before && reset_length + 2 < sizeof reset_sequence) {
        // No alternate screen to leave: at least start the shell's prompt on a new line.
        reset_sequence[reset_length++] = '\r';
        reset_sequence[reset_length++] = '\n';
    }
    __atomic_store_n(&armed, 1, __ATOMIC_SEQ_CST);
}

void pgtop_rescue_disarm(void) {
    __atomic_store_n(&armed, 0, __ATOMIC_SEQ_CST);
}

void pgtop_rescue_now(void) {
    if (__atomic_exchange_n(&armed, 0, __ATOMIC_SEQ_CST)) {
        if (saved_modes_fd >= 0) tcsetattr(saved_modes_fd, TCSADRAIN, &saved_modes);
        write_all(saved_modes_fd >= 0 ? saved_modes_fd : 1, reset_sequence, reset_length);
    }
    pgtop_stderr_capture_end();
}

static void set_action(int sig, const struct sigaction *action) {
    struct sigaction copy = *action;
    if (!(copy.sa_flags & SA_SIGINFO) && copy.sa_handler == SIG_IGN) copy.sa_handler = SIG_DFL;
    sigaction(sig, &copy, NULL);
}

static void on_crash(int sig, siginfo_t *info, void *context) {
    (void)context;
    pgtop_rescue_now();
    struct sigaction default_action = { 0 };
    default_action.sa_handler = SIG_DFL;
    const struct sigaction *previous = &default_action;
    for (size_t i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        if (crash_signals[i] == sig) previous = &previous_actions[i];
    }
    int sent = info == NULL || info->si_code <= 0;  // by kill() or raise(), not by a fault
    if (sig == SIGQUIT || (sent && sig != SIGABRT)) {
        // Quit from the keyboard, or a signal sent on purpose: die of it with the default action.
        set_action(sig, &default_action);
        raise(sig);
    } else if (sig == SIGABRT || sig == SIGTRAP) {
        // To the previous handler (Swift's backtracer), then abort() goes on to die; a
        // breakpoint trap is raised again as it might not repeat.
        set_action(sig, previous);
        raise(sig);
    } else {
        // A fault (bad address, illegal instruction: a Swift trap): when this handler
        // returns, the instruction faults again, into the previous handler with the
        // original details (Swift's backtracer), or the default action.
        set_action(sig, previous);
    }
}

static void rescue_at_exit(void) { pgtop_rescue_now(); }

void pgtop_rescue_install(void) {
    static int installed;
    if (__atomic_exchange_n(&installed, 1, __ATOMIC_SEQ_CST)) return;
    // Own stack for the handlers, so a stack overflow can still restore the terminal.
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
        stack_t stack = { .ss_sp = alternate_stack, .ss_size = sizeof alternate_stack, .ss_flags = 0 };
        sigaltstack(&stack, NULL);
    }
    for (size_t i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        struct sigaction action = { 0 };
        action.sa_sigaction = on_crash;
        action.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&action.sa_mask);
        sigaction(crash_signals[i], &action, &previous_actions[i]);
    }
    atexit(rescue_at_exit);
}

int pgtop_stderr_capture_begin(void) {
    if (saved_stderr >= 0) return 1;
    const char *dir = getenv("TMPDIR");
    char path[1024];
    if (snprintf(path, sizeof path, "%s/pgtop-stderr-XXXXXX", dir && *dir ? dir : "/tmp") >= (int)sizeof path) return 0;
    int file = mkstemp(path);
    if (file < 0) return 0;
    unlink(path);
    int real = dup(2);
    if (real < 0) { close(file); return 0; }
    fcntl(file, F_SETFD, FD_CLOEXEC);
    fcntl(real, F_SETFD, FD_CLOEXEC);
    fflush(stderr);
    if (dup2(file, 2) < 0) { close(file); close(real); return 0; }
    capture_fd = file;
    __atomic_store_n(&saved_stderr, real, __ATOMIC_SEQ_CST);
    return 1;
}

void pgtop_stderr_capture_end(void) {
    int real = __atomic_exchange_n(&saved_stderr, -1, __ATOMIC_SEQ_CST);
    if (real < 0) return;
    dup2(real, 2);
    close(real);
    char buffer[4096];
    ssize_t n;
    if (lseek(capture_fd, 0, SEEK_SET) == 0) {
        while ((n = read(capture_fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
            if (n > 0) write_all(2, buffer, (size_t)n);
        }
    }
    close(capture_fd);
    capture_fd = -1;
}
