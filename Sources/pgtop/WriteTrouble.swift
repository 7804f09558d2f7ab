import Glibc

/// What is behind a write that failed with SQLite's bare `disk I/O error`: SQLite says "disk
/// full" only for ENOSPC; a file at its size limit (`ulimit -f`, EFBIG) or a file system out
/// of inodes or quota is an I/O error to it. Looked at once, when the failure is said.
enum WriteTrouble {
    /// `the file size limit (ulimit -f) is reached`, `no space left on the file system`; nil
    /// when neither explains it.
    static func cause(of path: String) -> String? {
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            // Any file of the recording's (the main file, its write-ahead log) near the limit.
            for file in [path, path + "-wal"] {
                var info = stat()
                if stat(file, &info) == 0, UInt64(info.st_size) + 65_536 >= UInt64(limit.rlim_cur) {
                    return "the file size limit (ulimit -f, \(limit.rlim_cur / 1024) kB) is reached"
                }
            }
        }
        var space = statvfs()
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        if statvfs(directory.isEmpty ? "/" : directory, &space) == 0 {
            if space.f_bavail == 0 { return "no space left on the file system" }
            if space.f_files > 0 && space.f_favail == 0 { return "no inode left on the file system" }
        }
        return nil
    }
}
