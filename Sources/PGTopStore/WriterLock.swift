import Glibc

/// The one-writer rule: a recorder holds an exclusive `flock` on `FILE-lock` beside the
/// recording while it writes, so a second recorder on the same file is refused at once, in
/// one line, and a recorder that crashed leaves no stale lock (the kernel drops it). The lock
/// file names the holder's pid for that line. Readers never take it.
///
///     let lock = try WriterLock(recording: "/tmp/r.pgtop")   // throws .inUse: "another pgtop (pid 4242) ..."
final class WriterLock {
    let path: String
    private var fd: Int32

    init(recording: String) throws {
        path = recording + "-lock"
        try Database.checkRegularFile(path, mayBeMissing: true)
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError(.cannotOpen, "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let err = errno
            var holder = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &holder, 31, 0)
            Glibc.close(fd)
            let pid = Int(String(decoding: holder.prefix(Swift.max(0, n)).filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self))
            guard err == EWOULDBLOCK else { throw StoreError(.cannotOpen, "cannot lock \(path): \(String(cString: strerror(err)))") }
            throw StoreError(.inUse, "another pgtop\(pid.map { " (pid \($0))" } ?? "") is recording into \(recording)")
        }
        let me = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = me.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    func release() {
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        Glibc.close(fd)
        fd = -1
    }

    deinit { release() }
}
