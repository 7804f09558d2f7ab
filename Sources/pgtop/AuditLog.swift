import Glibc
import PGTopCore

/// The audit log: one line per backend for every cancel/terminate pgtop sent (see
/// `AuditLine`), appended to a file created mode 0600. Default
/// `$XDG_STATE_HOME/pgtop/actions.log` (`~/.local/state/pgtop/actions.log`).
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
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return "audit log \(path): \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        let text = lines.joined(separator: "\n") + "\n"
        let written = text.withCString { write(fd, $0, strlen($0)) }
        return written < 0 ? "audit log \(path): \(String(cString: strerror(errno)))" : nil
    }

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
