import Glibc

/// Lines for the user outside the screen (before curses starts, after it ends).
enum Console {
    static func error(_ line: String) {
        let text = line + "\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    /// Text on stdout, all of it (a pipe may take it in pieces).
    static func out(_ text: String, newline: Bool = true) {
        var bytes = Array((newline ? text + "\n" : text).utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + done, $0.count - done) }
            if n <= 0 { if errno == EINTR { continue }; return }
            done += n
        }
    }
}
