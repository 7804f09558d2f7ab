import Glibc

/// A point in monotonic time, and waiting for a socket until then.
///
///     let deadline = Deadline(after: 5)
///     if Deadline.wait(fd: socket, events: Int16(POLLIN), until: deadline) == .timedOut { ... }
struct Deadline {
    let at: Double

    init(after seconds: Double) { at = Deadline.now() + seconds }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    enum Wait { case ready, timedOut }

    /// Waits for `events` on `fd` (retrying on EINTR) until the deadline.
    static func wait(fd: Int32, events: Int16, until deadline: Deadline) -> Wait {
        while true {
            let left = deadline.at - now()
            if left <= 0 { return .timedOut }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let r = Glibc.poll(&p, 1, Int32(min(left * 1000 + 1, 1000)))
            if r > 0 { return .ready }
            if r < 0 && errno != EINTR { return .ready }  // let libpq report the socket's error
        }
    }
}
