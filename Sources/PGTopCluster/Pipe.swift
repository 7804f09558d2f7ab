import Glibc

/// A pipe whose two ends close on exec, so that no program this process starts inherits them
/// unless it is handed one explicitly (as its stdin or stdout).
///
///     guard let pipe = Pipe.make() else { ... }
///     defer { close(pipe.read) }
struct Pipe {
    let read: Int32
    let write: Int32

    static func make() -> Pipe? {
        var fds: [Int32] = [0, 0]
        if let pipe2 = Self.pipe2 {
            // Atomic: no other thread's spawn can catch the ends before they are marked.
            guard pipe2(&fds, O_CLOEXEC) == 0 else { return nil }
        } else {
            guard Glibc.pipe(&fds) == 0 else { return nil }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        return Pipe(read: fds[0], write: fds[1])
    }

    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    /// `pipe2`, looked up at run time because Swift's Glibc module does not declare it.
    private static let pipe2: Pipe2? = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
}
