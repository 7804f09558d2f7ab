import Glibc

/// Whole small text files in and out, with errno said in words. pgtop often runs as root in
/// directories other users can write, so neither direction trusts the path: a read opens only
/// a regular file (a FIFO would block, a device never end), a write never follows a link
/// planted at its temporary name and never replaces a file that is not the user's.
enum FileText {
    /// The file's text; nil when there is no such file. `/dev/null` reads as empty (the usual
    /// way to say "no config"); any other non-regular file is refused before it is opened, and
    /// the file opened (without blocking) must be the regular file that was looked at.
    static func read(_ path: String) throws(ConfigError) -> String? {
        var looked = stat()
        guard stat(path, &looked) == 0 else {
            if errno == ENOENT { return nil }
            throw ConfigError(path: path, line: nil, message: "cannot read: \(reason(errno))")
        }
        if isNullDevice(looked) { return "" }
        guard (looked.st_mode & S_IFMT) == S_IFREG else {
            throw ConfigError(path: path, line: nil, message: "\(kind(looked.st_mode)), not a regular file: not read")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw ConfigError(path: path, line: nil, message: "cannot read: \(reason(errno))") }
        defer { close(fd) }
        var opened = stat()
        guard fstat(fd, &opened) == 0, (opened.st_mode & S_IFMT) == S_IFREG,
              opened.st_dev == looked.st_dev, opened.st_ino == looked.st_ino else {
            throw ConfigError(path: path, line: nil, message: "changed while being opened: not read")
        }
        let limit = 1 << 20
        let tooLarge = ConfigError(path: path, line: nil, message: "over 1 MB: not a config file")
        if opened.st_size > limit { throw tooLarge }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ConfigError(path: path, line: nil, message: "cannot read: \(reason(errno))")
            }
            if n == 0 { break }
            bytes += chunk[..<n]
            if bytes.count > limit { throw tooLarge }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Replaces the file with `text` in one step, making its folder if needed; a reader never
    /// sees half a file. A symbolic link (a dotfiles checkout) is followed, so the link stays
    /// and its target changes. The text goes first to a temporary file of a new random name,
    /// created exclusively (never through a link someone planted), 0600 while being written,
    /// then given the file's mode and renamed over it, all relative to the one directory
    /// looked at. Refused, naming the real target: anything but a regular file (`/dev/null`),
    /// a file owned by another user (root would take it over) or one made read-only.
    static func write(_ text: String, to given: String) throws(ConfigError) {
        var path = given
        var info = stat()
        if stat(given, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw ConfigError(path: given, line: nil, message: "not a regular file: not written")
            }
            if let resolved = realpath(given, nil) {
                path = String(cString: resolved)
                free(resolved)
            }
        } else if lstat(given, &info) == 0 {
            throw ConfigError(path: given, line: nil, message: "a symbolic link to nothing (\(linkTarget(given))): not written")
        }
        let via = path == given ? "" : " (\(given) links to it)"
        func failure(_ message: String) -> ConfigError { ConfigError(path: path, line: nil, message: message + via) }

        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        if slash != nil && directory != "/" { try makeDirectories(directory, for: path) }
        let folder = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw failure("cannot open its folder: \(reason(errno))") }
        defer { close(folder) }

        var mode: mode_t = 0o600  // a new file: the user's only (a profile may hold a password)
        var target = stat()
        if fstatat(folder, name, &target, AT_SYMLINK_NOFOLLOW) == 0 {
            guard (target.st_mode & S_IFMT) == S_IFREG else { throw failure("\(kind(target.st_mode)), not a regular file: not written") }
            guard target.st_uid == geteuid() else {
                throw failure("owned by \(userName(target.st_uid)), not by \(userName(geteuid())): not replaced")
            }
            guard target.st_mode & 0o200 != 0 else {
                throw failure("read-only (mode \(octal(target.st_mode & 0o7777))): not replaced")
            }
            mode = target.st_mode & 0o7777  // the file keeps its permissions
        } else if errno != ENOENT {
            throw failure("cannot write: \(reason(errno))")
        }

        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<100 {
            temporary = ".\(name).tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            fd = openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw failure("cannot write: \(reason(errno))") }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let e = n == 0 ? ENOSPC : errno
                close(fd)
                unlinkat(folder, temporary, 0)
                throw failure("cannot write: \(reason(e))")
            }
            bytes = bytes.dropFirst(n)
        }
        var status = fchmod(fd, mode)  // after the writing: open's mode is masked by the umask
        status |= fsync(fd)
        status |= close(fd)
        guard status == 0, renameat(folder, temporary, folder, name) == 0 else {
            let e = errno
            unlinkat(folder, temporary, 0)
            throw failure("cannot write: \(reason(e))")
        }
        _ = fsync(folder)
    }

    static func makeDirectories(_ directory: String, for path: String) throws(ConfigError) {
        var prefix = directory.hasPrefix("/") ? "" : "."
        for part in directory.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw ConfigError(path: path, line: nil, message: "cannot make \(prefix): \(reason(errno))")
            }
        }
    }

    static func isNullDevice(_ info: stat) -> Bool {
        var null = stat()
        return (info.st_mode & S_IFMT) == S_IFCHR && stat("/dev/null", &null) == 0 && null.st_rdev == info.st_rdev
    }

    /// "a named pipe (FIFO)", "a directory", ... for a message.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }

    static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return "\(String(cString: name)) (uid \(uid))"
    }

    static func linkTarget(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let n = readlink(path, &buffer, 4096)
        return n < 0 ? "?" : String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
