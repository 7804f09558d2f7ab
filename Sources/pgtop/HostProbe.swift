import Glibc
import PGTopCore

/// Reads /proc when pgtop runs on the database host: the host's load and memory, and per
/// backend its CPU, resident memory and storage I/O. "On the host" means the server's own
/// backend for pgtop's session is a `postgres` process here; otherwise (a remote server, a
/// container) nothing is shown and nothing is reported as an error.
final class HostProbe {
    private struct Sample { let ticks: Int64; let read: Int64?; let write: Int64?; let at: Double }
    private var previous: [BackendID: Sample] = [:]
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    private let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))

    /// The server is on this machine: its backend `ownPid` is a postgres process here.
    static func isLocal(ownPid: Int32) -> Bool {
        guard ownPid > 0 else { return false }
        let comm = read("/proc/\(ownPid)/comm").split(separator: "\n").first.map(String.init) ?? ""
        return comm == "postgres" || comm.hasPrefix("postgres")
    }

    func figures() -> HostFigures? {
        HostFigures.parse(loadavg: HostProbe.read("/proc/loadavg"), meminfo: HostProbe.read("/proc/meminfo"))
    }

    /// Each backend with its usage since the previous call (CPU and I/O rates need two).
    func annotate(_ backends: [Backend], now: Double) -> [Backend] {
        var next: [BackendID: Sample] = [:]
        let out = backends.map { b -> Backend in
            guard let stat = ProcText.stat(HostProbe.read("/proc/\(b.pid)/stat")), stat.comm.hasPrefix("postgres") else { return b }
            let io = ProcText.io(HostProbe.read("/proc/\(b.pid)/io"))
            let sample = Sample(ticks: stat.ticks, read: io?.read, write: io?.write, at: now)
            next[b.id] = sample
            var usage = ProcessUsage(cpu: nil, residentBytes: stat.rssPages * pageSize)
            if let before = previous[b.id], now - before.at > 0.05 {
                let dt = now - before.at
                usage.cpu = Double(stat.ticks - before.ticks) / ticksPerSecond / dt * 100
                if let r = sample.read, let r0 = before.read { usage.readRate = Double(max(0, r - r0)) / dt }
                if let w = sample.write, let w0 = before.write { usage.writeRate = Double(max(0, w - w0)) / dt }
            }
            var annotated = b
            annotated.usage = usage
            return annotated
        }
        previous = next
        return out
    }

    /// A /proc file's text; empty when it cannot be read (gone, or not ours to read).
    static func read(_ path: String) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var bytes: [UInt8] = []
        while true {
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes += buffer[0..<n]
            if bytes.count > 65_536 { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
