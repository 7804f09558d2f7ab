/// Why a throwaway cluster could not be made, started or stopped: one line, with the tail of
/// what `initdb` or `pg_ctl` printed when they were the ones to fail.
///
///     ClusterError("initdb failed (exit 1): initdb: error: directory \"/tmp/x/data\" exists but is not empty")
public struct ClusterError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }

    /// The last `lines` non-empty lines of a program's output, joined with " | ".
    static func tail(_ output: String, lines: Int = 3) -> String {
        output.split(whereSeparator: \.isNewline)
            .map { $0.trimmingSpaces() }
            .filter { !$0.isEmpty }
            .suffix(lines)
            .joined(separator: " | ")
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
