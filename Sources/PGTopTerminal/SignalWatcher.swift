import Glibc
import Synchronization

/// The last SIGINT, SIGTERM or SIGHUP; 0 when none is pending. Written by the handler,
/// read by the main loop. An atomic in a global `let`: safe in a signal handler.
private let pendingSignal = Atomic<Int32>(0)

/// Turns the signals that ask pgtop to quit (SIGINT from Ctrl-C, SIGTERM, SIGHUP when the
/// terminal goes away) into a flag the main loop reads. The handler only stores the signal
/// number; `poll()` returns with EINTR, and the loop asks `takePendingSignal()` and quits
/// through its normal path, which closes the terminal.
///
///     let signals = SignalWatcher()
///     while running {
///         if let sig = signals.takePendingSignal() { break }
///         poll(...)
///     }
///
/// Crash signals are not handled here: `Terminal.open` installs the terminal rescue for them.
/// Ctrl-Z (SIGTSTP) and resizes (SIGWINCH) are left to ncurses, which restores the tty before
/// stopping, redraws on `fg`, and reports a resize as `Key.resize`.
public final class SignalWatcher: Sendable {
    /// The signals that ask pgtop to quit.
    public static let quitSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handlers; they stay until this watcher is deinitialised, which puts the
    /// default actions back.
    public init() {
        // Initialise the global before a handler can touch it; a signal a watcher before this
        // one caught (`pgtop record` waiting for its server) stays pending.
        _ = pendingSignal.load(ordering: .relaxed)
        // A parent may have started pgtop with signals blocked (a thread pool's mask is
        // inherited through fork and exec): unblock the ones the screen depends on, or a
        // resize or Ctrl-C would never arrive.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for sig in Self.quitSignals + [SIGWINCH, SIGTSTP, SIGCONT] { sigaddset(&wanted, sig) }
        pthread_sigmask(SIG_UNBLOCK, &wanted, nil)
        for sig in Self.quitSignals {
            signal(sig) { pendingSignal.store($0, ordering: .relaxed) }
        }
    }

    deinit {
        for sig in Self.quitSignals { signal(sig, SIG_DFL) }
    }

    /// Whether a signal is pending (it stays pending).
    public var hasPending: Bool { pendingSignal.load(ordering: .relaxed) != 0 }

    /// The signal that arrived since the last call, if any; clears it.
    public func takePendingSignal() -> Int32? {
        let sig = pendingSignal.exchange(0, ordering: .relaxed)
        return sig == 0 ? nil : sig
    }
}
