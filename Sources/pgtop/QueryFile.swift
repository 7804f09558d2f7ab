import Glibc
import PGTopCore

/// `w` in the detail view: the whole query text in a new file in the current directory,
/// `pgtop-query-4211.sql` (then `-2`, `-3` ... rather than overwrite anything).
enum QueryFile {
    static func write(_ query: String, pid: Int32) -> Message {
        for n in 1...100 {
            let name = "pgtop-query-\(pid)\(n == 1 ? "" : "-\(n)").sql"
            let fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd < 0 {
                if errno == EEXIST { continue }
                return Message("cannot write \(name): \(String(cString: strerror(errno)))", isError: true)
            }
            defer { close(fd) }
            let bytes = Array((query.hasSuffix("\n") ? query : query + "\n").utf8)
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count else {
                return Message("cannot write \(name): \(String(cString: strerror(errno)))", isError: true)
            }
            return Message("query of \(pid) written to ./\(name) (\(bytes.count) bytes)")
        }
        return Message("cannot write the query: pgtop-query-\(pid)-2 to -100.sql all exist", isError: true)
    }
}
