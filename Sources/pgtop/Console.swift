import Glibc

/// Lines for the user outside the screen (before curses starts, after it ends).
enum Console {
    static func error(_ line: String) {
        let text = line + "\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
    }
}
