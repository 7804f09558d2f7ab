import Glibc

/// Whole small text files in and out, with errno said in words.
enum FileText {
    /// The file's text; nil when there is no such file.
    static func read(_ path: String) throws(ConfigError) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw ConfigError(path: path, line: nil, message: "cannot read: \(reason(errno))")
        }
        defer { close(fd) }
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
            if bytes.count > 1 << 20 { throw ConfigError(path: path, line: nil, message: "over 1 MB: not a config file") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Replaces the file with `text` in one step (a temporary file renamed over it), making its
    /// folder if needed; a reader never sees half a file. A symbolic link (a dotfiles checkout)
    /// is followed, so the link stays and its target changes; anything but a regular file
    /// (`--config /dev/null`) is refused rather than replaced.
    static func write(_ text: String, to given: String) throws(ConfigError) {
        var path = given
        var mode: mode_t = 0o600  // a new file: the user's only (a profile may hold a password)
        var info = stat()
        if stat(given, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw ConfigError(path: given, line: nil, message: "not a regular file: not written")
            }
            mode = info.st_mode & 0o7777  // the file keeps its permissions
            if let resolved = realpath(given, nil) {
                path = String(cString: resolved)
                free(resolved)
            }
        }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeDirectories(String(path[..<slash]), for: path)
        }
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ConfigError(path: path, line: nil, message: "cannot write: \(reason(errno))") }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let e = errno
                close(fd)
                unlink(temporary)
                throw ConfigError(path: path, line: nil, message: "cannot write: \(reason(e))")
            }
            bytes = bytes.dropFirst(n)
        }
        var status = fchmod(fd, mode)  // open's mode is masked by the umask
        status |= fsync(fd)
        status |= close(fd)
        guard status == 0, rename(temporary, path) == 0 else {
            let e = errno
            unlink(temporary)
            throw ConfigError(path: path, line: nil, message: "cannot write: \(reason(e))")
        }
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

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
