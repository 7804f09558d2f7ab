/// What the operating system says about one backend process, when pgtop runs on the database
/// host (from /proc): CPU over the last interval, resident memory, storage I/O rates.
public struct ProcessUsage: Sendable, Equatable {
    /// Percent of one CPU since the previous sample; nil on the first.
    public var cpu: Double?
    public var residentBytes: Int64
    /// Bytes per second read from and written to storage since the previous sample; nil on the
    /// first sample or when /proc/PID/io is not readable (another OS user, not root).
    public var readRate: Double?
    public var writeRate: Double?

    public init(cpu: Double?, residentBytes: Int64, readRate: Double? = nil, writeRate: Double? = nil) {
        self.cpu = cpu
        self.residentBytes = residentBytes
        self.readRate = readRate
        self.writeRate = writeRate
    }
}

/// The host's load, memory and swap (from /proc/loadavg and /proc/meminfo).
public struct HostFigures: Sendable, Equatable {
    public var load1: Double, load5: Double, load15: Double
    public var memoryTotal: Int64, memoryAvailable: Int64
    public var swapTotal: Int64, swapFree: Int64

    public init(load1: Double, load5: Double, load15: Double, memoryTotal: Int64, memoryAvailable: Int64,
                swapTotal: Int64, swapFree: Int64) {
        self.load1 = load1; self.load5 = load5; self.load15 = load15
        self.memoryTotal = memoryTotal; self.memoryAvailable = memoryAvailable
        self.swapTotal = swapTotal; self.swapFree = swapFree
    }

    /// From the texts of /proc/loadavg (`0.52 0.40 0.31 1/523 4242`) and /proc/meminfo
    /// (`MemTotal:       24589612 kB` ...); nil when they do not parse.
    public static func parse(loadavg: String, meminfo: String) -> HostFigures? {
        let loads = loadavg.split(separator: " ").prefix(3).compactMap { Double($0) }
        guard loads.count == 3 else { return nil }
        var kB: [Substring: Int64] = [:]
        for line in meminfo.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, parts[0].hasSuffix(":"), let value = Int64(parts[1]) else { continue }
            kB[parts[0].dropLast()] = value
        }
        guard let total = kB["MemTotal"] else { return nil }
        let available = kB["MemAvailable"] ?? ((kB["MemFree"] ?? 0) + (kB["Cached"] ?? 0))
        return HostFigures(load1: loads[0], load5: loads[1], load15: loads[2], memoryTotal: total * 1024,
                           memoryAvailable: available * 1024, swapTotal: (kB["SwapTotal"] ?? 0) * 1024,
                           swapFree: (kB["SwapFree"] ?? 0) * 1024)
    }
}

/// The fields pgtop reads from /proc/PID/stat and /proc/PID/io.
public enum ProcText {
    /// `(comm, utime + stime in clock ticks, rss in pages)` from /proc/PID/stat. The command
    /// name is in parentheses and may itself hold spaces and parentheses: fields are counted
    /// after the last `)`.
    public static func stat(_ text: String) -> (comm: String, ticks: Int64, rssPages: Int64)? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") , open < close else { return nil }
        let comm = String(text[text.index(after: open)..<close])
        let rest = text[text.index(after: close)...].split(separator: " ")
        // rest[0] is field 3 (state); utime 14, stime 15, rss 24.
        guard rest.count > 21, let utime = Int64(rest[11]), let stime = Int64(rest[12]), let rss = Int64(rest[21]) else { return nil }
        return (comm, utime + stime, rss)
    }

    /// `(read_bytes, write_bytes)` from /proc/PID/io.
    public static func io(_ text: String) -> (read: Int64, write: Int64)? {
        var read: Int64?, write: Int64?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("read_bytes: ") { read = Int64(line.dropFirst(12)) }
            if line.hasPrefix("write_bytes: ") { write = Int64(line.dropFirst(13)) }
        }
        guard let read, let write else { return nil }
        return (read, write)
    }
}
