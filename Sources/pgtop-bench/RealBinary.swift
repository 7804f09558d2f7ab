import Glibc
import PGTopCluster

/// The real `pgtop` binary in tmux against the load: its CPU per refresh (drawing included),
/// peak RSS, the refresh interval it keeps, and how fast a key shows on screen.
struct RealBinary {
    var cpuPerRefresh = Double.nan   // ms
    var peakRSS = Double.nan         // MB
    var interval = Double.nan        // s, measured between refreshes
    var keyToScreen = Sample()       // ms
    var refreshes = 0

    static func measure(binary: String, host: String, port: Int, interval: Double, seconds: Double,
                        countRefreshes: () throws -> Int) throws -> RealBinary {
        let command = "\(binary) -h \(host) -p \(port) -U postgres -d postgres -r \(interval) --no-audit-log"
        return try measure(command: command, drawn: "Shown", seconds: seconds, keys: true, countRefreshes: countRefreshes)
    }

    /// Any top-like tool in tmux: `drawn` is text its first screen shows; `keys` also times
    /// pgtop's key to screen (the `I` key).
    static func measure(command: String, drawn: String, seconds: Double, keys: Bool,
                        countRefreshes: () throws -> Int) throws -> RealBinary {
        var out = RealBinary()
        let socket = "pgtop-bench-\(getpid())"
        func tmux(_ args: [String]) -> String {
            Subprocess.run(["tmux", "-L", socket] + args, timeout: 20).output
        }
        defer { _ = tmux(["kill-server"]) }
        _ = tmux(["-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "50", "-s", "b", "exec env LANG=C.UTF-8 TERM=xterm-256color \(command)"])
        let start = Figures.wall()
        while !tmux(["capture-pane", "-p", "-t", "b"]).contains(drawn) {
            if Figures.wall() - start > 60 { throw BenchError("\(command) did not draw within 60 s") }
            usleep(50_000)
        }
        guard let pid = pid_t(tmux(["display-message", "-p", "-t", "b", "#{pane_pid}"]).split(separator: "\n").first ?? "") else {
            throw BenchError("no pid for pgtop")
        }
        usleep(1_000_000)  // past the first refreshes
        let cpu0 = Figures.cpu(pid: pid), calls0 = try countRefreshes(), t0 = Figures.wall()
        usleep(UInt32(seconds * 1_000_000))
        let cpu1 = Figures.cpu(pid: pid), calls1 = try countRefreshes(), t1 = Figures.wall()
        out.refreshes = calls1 - calls0
        if out.refreshes > 0 {
            out.cpuPerRefresh = (cpu1 - cpu0) * 1000 / Double(out.refreshes)
            out.interval = (t1 - t0) / Double(out.refreshes)
        }
        out.peakRSS = Figures.peakRSS(pid: pid)
        guard keys else { return out }
        // Key to screen: `I` flips the sort arrow in the header; time until tmux shows it.
        for i in 0..<10 {
            let want = i % 2 == 0 ? "▲" : "▼"
            let k0 = Figures.wall()
            _ = tmux(["send-keys", "-t", "b", "I"])
            // The arrow on the header's view line ("Sort: ELAPSED▲"), wherever the header puts it.
            while !tmux(["capture-pane", "-p", "-t", "b"]).split(separator: "\n").contains(where: { $0.contains("Sort: ") && $0.contains(want) }) {
                if Figures.wall() - k0 > 5 { break }
            }
            out.keyToScreen.add((Figures.wall() - k0) * 1000)
            usleep(137_000)  // land at different points of the refresh cycle
        }
        out.peakRSS = Figures.peakRSS(pid: pid)
        _ = tmux(["send-keys", "-t", "b", "q"])
        return out
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
