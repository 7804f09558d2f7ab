import Foundation
import PGTopCluster
import PGTopCore
import PGTopStore

/// `pgtop record` run by a test as a service manager would: in the background, stderr to a
/// file, stopped with a signal.
final class RecorderProcess {
    let pid: pid_t
    let file: String
    private let errors: String
    private var status: Int32?

    /// `pgtop record ARGS -o FILE` against `cluster`; `shellPrefix` runs before it in the same
    /// shell (`ulimit -f 200;`).
    init(_ cluster: ThrowawayCluster, file: String, _ arguments: [String] = [], shellPrefix: String = "") throws {
        self.file = file
        errors = Harness.temporaryPath("record-stderr")
        let argv = [Harness.binary, "record", "-h", cluster.socketDirectory, "-p", "\(cluster.port)", "-U", "postgres",
                    "-d", "postgres", "-o", file] + arguments
        let command = shellPrefix + " exec " + argv.map(Tmux.quote).joined(separator: " ") + " 2>" + Tmux.quote(errors)
        pid = try Subprocess.spawn(["/bin/sh", "-c", command], environment: ["XDG_CONFIG_HOME": "/nonexistent-pgtop-test-config"])
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            Subprocess.wait(for: pid)
        }
    }

    /// What it said on stderr so far.
    var stderr: String { Harness.read(errors) }

    var isRunning: Bool { status == nil && kill(pid, 0) == 0 && !Self.isZombie(pid) }

    /// Sends `signal` and waits for the exit status.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        if let status { return status }
        kill(pid, signal)
        let s = Subprocess.wait(for: pid)
        status = s
        return s
    }

    /// The sample times written so far (read as replay would, while the recorder writes).
    func sampleTimes() -> [Int64] {
        guard let reader = try? RecordingReader(path: file) else { return [] }
        defer { reader.close() }
        return (try? reader.sampleTimes()) ?? []
    }

    /// Waits until a sample later than `t` (µs, the server's clock) is written, and `count` in all after it.
    func waitForSample(after t: Int64, count: Int = 1, timeout: Double = 15) throws -> Int64 {
        var found: [Int64] = []
        _ = try Harness.waitUntil(timeout: timeout) {
            found = sampleTimes().filter { $0 > t }
            return found.count >= count
        }
        guard let first = found.first, found.count >= count else {
            throw RecordTestError("no sample after \(t) in \(timeout)s; stderr: \(stderr)")
        }
        return first
    }

    private static func isZombie(_ pid: pid_t) -> Bool {
        let stat = Harness.read("/proc/\(pid)/stat")
        guard let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}

struct RecordTestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A recording file checked as `sqlite3` would: its integrity and one number.
enum RecordingFile {
    static func integrity(_ path: String) throws -> String {
        let db = try Database(path: path, mode: .readOnly)
        defer { db.close() }
        let s = try db.prepare("PRAGMA integrity_check")
        return try s.step() ? s.text(0) ?? "" : ""
    }

    static func integer(_ path: String, _ sql: String) throws -> Int64? {
        let db = try Database(path: path, mode: .readOnly)
        defer { db.close() }
        return try db.integer(sql)
    }

    static func rows(_ path: String, _ sql: String, columns: Int32) throws -> [[String?]] {
        let db = try Database(path: path, mode: .readOnly)
        defer { db.close() }
        let s = try db.prepare(sql)
        var out: [[String?]] = []
        while try s.step() { out.append((0..<columns).map { s.text($0) }) }
        return out
    }
}
