import Glibc
import PGTopCore

/// `w` in the detail view: the whole query text in a new file in the current directory,
/// `pgtop-query-4211.sql` (then `-2`, `-3` ... rather than overwrite anything). Mode 0600, as
/// the audit log: a query can hold a password (`ALTER ROLE ... PASSWORD`). Created
/// exclusively and never through a symbolic link (the directory may be anyone's).
enum QueryFile {
    static func write(_ query: String, pid: Int32, in directory: String = ".") -> Message {
        for n in 1...100 {
            let name = "pgtop-query-\(pid)\(n == 1 ? "" : "-\(n)").sql"
            let fd = open(directory + "/" + name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd < 0 {
                if errno == EEXIST { continue }
                return Message("cannot write \(name): \(String(cString: strerror(errno)))", isError: true)
            }
            defer { close(fd) }
            let bytes = Array((query.hasSuffix("\n") ? query : query + "\n").utf8)
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                written += n
            }
            guard written == bytes.count else {
                return Message("cannot write \(name): \(String(cString: strerror(errno)))", isError: true)
            }
            return Message("query of \(pid) written to \(directory)/\(name) (\(bytes.count) bytes)")
        }
        return Message("cannot write the query: pgtop-query-\(pid)-2 to -100.sql all exist", isError: true)
    }
}
