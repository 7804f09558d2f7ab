import Glibc
import Synchronization

/// The last SIGINT, SIGTERM or SIGHUP, recorded by the handler for the main loop to read
/// after poll() returns with EINTR.
private let pendingSignal = Atomic<Int32>(0)

/// Quit signals become a flag the main loop polls; crash signals restore the terminal first.
public final class SignalWatcher: Sendable {
    public init() {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { pendingSignal.store($0, ordering: .relaxed) }
        }
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(sig) { sig in
                TerminalRescue.restore()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    /// The signal that arrived since the last call, if any.
    public func takePendingSignal() -> Int32? {
        let sig = pendingSignal.exchange(0, ordering: .relaxed)
        return sig == 0 ? nil : sig
    }
}
