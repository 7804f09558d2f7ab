/// Where `pgtop record` and `--record` write when no file is named: one file per server in the
/// user's state directory, named for its endpoint so that two servers never share one.
///
///     RecordingName.fileName(host: "db1.example.com", port: "5432")   // "db1.example.com-5432.pgtop"
///     RecordingName.fileName(host: "/var/run/postgresql", port: "5433") // "local-5433.pgtop"
///     RecordingName.directory(stateHome: nil, home: "/home/ann")       // "/home/ann/.local/state/pgtop"
public enum RecordingName {
    /// `HOST-PORT.pgtop`: a Unix socket directory (or no host) is `local`; every character but
    /// letters, digits, `.`, `-` and `_` becomes `_` (an IPv6 address `::1` is `__1`), and a
    /// leading dot too, so the name is one plain file name, never hidden, never `..`.
    public static func fileName(host: String, port: String) -> String {
        let name = host.isEmpty || host.hasPrefix("/") || host.hasPrefix("@") ? "local" : host
        var safe = String(name.map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_") ? c : "_"
        })
        if safe.hasPrefix(".") { safe = "_" + safe.dropFirst() }
        let portPart = port.allSatisfy(\.isNumber) && !port.isEmpty ? port : "5432"
        return "\(safe)-\(portPart).pgtop"
    }

    /// `$XDG_STATE_HOME/pgtop` (an absolute XDG_STATE_HOME), else `~/.local/state/pgtop`; nil
    /// without either (then the file must be named).
    public static func directory(stateHome: String?, home: String?) -> String? {
        if let stateHome, stateHome.hasPrefix("/") { return stateHome + "/pgtop" }
        if let home, !home.isEmpty { return home + "/.local/state/pgtop" }
        return nil
    }
}
