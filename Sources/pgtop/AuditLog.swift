import Glibc
import PGTopCore

/// The audit log: one line per backend for every cancel/terminate pgtop sent (see
/// `AuditLine`), appended to a file of the user's own, mode 0600. Default
/// `$XDG_STATE_HOME/pgtop/actions.log` (`~/.local/state/pgtop/actions.log`).
///
/// pgtop often runs as root, so the file is opened without following a symbolic link and
/// refused unless it is a regular file owned by the user and writable by nobody else (else a
/// link or a shared file would have root append to, say, another user's script). Each line
/// goes out in one write(2) whose count is checked: a short write (a full disk) is reported,
/// and the next line starts on a line of its own rather than glued to the fragment.
struct AuditLog {
    let path: String

    /// The default path, or nil when neither XDG_STATE_HOME nor HOME is set.
    static func defaultPath() -> String? {
        if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") { return state + "/pgtop/actions.log" }
        if let home = environment("HOME"), !home.isEmpty { return home + "/.local/state/pgtop/actions.log" }
        return nil
    }

    /// Appends `lines`; on failure, one line saying why (the action itself has happened).
    func append(_ lines: [String]) -> String? {
        guard !lines.isEmpty else { return nil }
        makeParentDirectories()
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == ELOOP { return problem("a symbolic link: not followed, \(lost(lines.count))") }
            return problem("\(String(cString: strerror(errno))), \(lost(lines.count))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return problem("\(String(cString: strerror(errno))), \(lost(lines.count))") }
        if let refusal = Self.refusal(info) { return problem("\(refusal): not written, \(lost(lines.count))") }
        var startsLine = Self.endsWithNewline(fd, size: info.st_size)
        for (n, line) in lines.enumerated() {
            let bytes = Array(((startsLine ? "" : "\n") + line + "\n").utf8)
            let (written, error) = Self.writeOnce(fd, bytes)
            guard written == bytes.count else {
                let why = written < 0 ? String(cString: strerror(error)) : "only \(written) of \(bytes.count) bytes written"
                    + (error != 0 ? " (\(String(cString: strerror(error))))" : "")
                return problem("\(why), \(lost(lines.count - n))")
            }
            startsLine = true
        }
        return nil
    }

    /// Why a file must not take the lines: not a regular file, someone else's, or writable by
    /// others.
    static func refusal(_ info: stat) -> String? {
        if (info.st_mode & S_IFMT) != S_IFREG { return "not a regular file" }
        if info.st_uid != geteuid() { return "owned by uid \(info.st_uid), not by uid \(geteuid())" }
        if info.st_mode & 0o022 != 0 { return "writable by group or others (mode \(String(info.st_mode & 0o7777, radix: 8)))" }
        return nil
    }

    /// Whether the file is empty or its last byte is a line break (false after a fragment).
    static func endsWithNewline(_ fd: Int32, size: off_t) -> Bool {
        guard size > 0 else { return true }
        var last: UInt8 = 0
        return pread(fd, &last, 1, size - 1) != 1 || last == UInt8(ascii: "\n")
    }

    /// One write(2) of all of `bytes`, again only when a signal came before any was written:
    /// the count written (-1 on failure) and errno. A short write is not completed by a second
    /// one (another pgtop appending could come between): it is reported, ENOSPC when the
    /// file system has no block left.
    static func writeOnce(_ fd: Int32, _ bytes: [UInt8]) -> (Int, Int32) {
        while true {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return (-1, errno) }
            var space = statvfs()
            let full = n < bytes.count && fstatvfs(fd, &space) == 0 && space.f_bavail == 0
            return (n, full ? ENOSPC : 0)
        }
    }

    private func problem(_ text: String) -> String { "audit log \(path): \(text)" }

    private func lost(_ count: Int) -> String { count == 1 ? "1 record lost" : "\(count) records lost" }

    /// `mkdir -p` of the directory the log is in (0700: the log names sessions and queries).
    private func makeParentDirectories() {
        var index = path.startIndex
        while let slash = path[path.index(after: index)...].firstIndex(of: "/") {
            mkdir(String(path[..<slash]), 0o700)
            index = slash
        }
    }

    private static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}
