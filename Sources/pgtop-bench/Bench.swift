import ArgumentParser
import Glibc
import PGTopCluster
import PGTopCore
import PGTopPostgres

/// Measures pgtop's refresh path at several numbers of backends on a throwaway cluster and
/// prints a table (also written to a file). See README, "Performance".
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pgtop-bench",
        abstract: "Measure pgtop at N backends on a throwaway PostgreSQL cluster.")

    @Option(help: "Numbers of backends, comma-separated.")
    var sizes = "100,2000,5000"

    @Option(help: "Refreshes measured in process per run.")
    var refreshes = 30

    @Option(help: "Runs per size (medians are over all runs' refreshes).")
    var runs = 3

    @Option(help: "Seconds the real binary runs per size.")
    var seconds = 10.0

    @Option(help: "The pgtop binary to measure (default: next to this one).")
    var binary: String?

    @Option(help: "Where the table is written.")
    var output = "bench/results.md"

    @Option(help: "Only open this many backends, print how to connect, and keep them until interrupted (for profiling by hand).")
    var hold: Int?

    @Option(help: "Measure against a server already loaded (by --hold), given as SOCKETDIR:PORT: one size, no cluster of its own.")
    var attach: String?

    @Option(help: "Samples (1 s apart) the recorder is measured over, at the size nearest 2,000 backends (0: not measured).")
    var recordSamples = 120

    @Option(help: "The generated recording replay is measured on (made when missing, kept for the next run).")
    var replayFile = "/tmp/pgtop-bench-replay.pgtop"

    @Option(help: "Its size in MB (0: replay not measured).")
    var replayMB = 1024

    @Flag(help: "Only the recording figures: the recorder (with --attach, on that server) and replay.")
    var recordingOnly = false

    func run() throws {
        if let hold { return try Bench.hold(hold) }
        if let attach { return try attached(attach) }
        if recordingOnly {
            print(RecordingTable(record: nil, replay: try replayFigures()).text)
            return
        }
        let counts = sizes.split(separator: ",").compactMap { Int($0) }
        guard let largest = counts.max() else { throw ValidationError("--sizes needs numbers") }
        let pgtop = binary ?? Bench.sibling("pgtop")
        guard access(pgtop, X_OK) == 0 else { throw ValidationError("no pgtop binary at \(pgtop); build it first") }

        print("starting a cluster for \(largest) backends ...")
        let cluster = try Bench.startCluster(backends: largest)
        defer { cluster.stop() }
        let load = try Load(cluster: cluster)
        defer { load.close() }
        let admin = try load.connect("bench-admin")
        _ = try admin.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        // Named pgtop, so it is left out of the rows as pgtop's own session is; its statements
        // go out as pgtop's do, each after its limits.
        let probe = try load.connect("pgtop", limits: .monitoring)
        let server = try probe.serverInfo()

        var lines = ["| backends | rows | fetch+decode ms | sort+filter ms | layout ms | client ms (sum) | server ms | bare SELECT * ms | KB/refresh | KB sent | bare KB | binary CPU ms/refresh | interval s (asked 0.2) | peak RSS MB | key→screen ms |",
                     "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        var references = ["| backends | pg_top CPU ms/refresh | pgtop CPU ms/refresh | ratio | pg_top peak RSS MB | pgtop peak RSS MB | pg_top server ms | pgtop server ms | pg_top interval s (asked 0.2) |",
                          "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        let recordAt = counts.min { abs($0 - 2000) < abs($1 - 2000) }
        var record: RecordPath?
        for n in counts.sorted() {
            let t0 = Figures.wall()
            try load.grow(to: n)
            print("\(n) backends open (\(format(Figures.wall() - t0)) s); measuring ...")
            usleep(500_000)
            _ = try admin.execute("SELECT pg_stat_statements_reset()")
            let path = try RefreshPath.measure(probe, server: server, runs: runs, refreshes: refreshes)
            let (fetch, sort, layout, bytes, bare, rows) = (path.fetchDecode, path.sortFilter, path.layout, path.bytes, path.bare, path.rows)
            let ours = try Bench.serverTime(admin, like: "%backend_start_us%")
            let floor = try Bench.serverTime(admin, like: "SELECT * FROM pg_stat_activity")
            let real = try RealBinary.measure(binary: pgtop, host: cluster.socketDirectory, port: cluster.port, interval: 0.2, seconds: seconds) {
                try Bench.calls(admin, like: "%backend_start_us%")
            }
            let reference = try Bench.measureReference(host: cluster.socketDirectory, port: cluster.port, seconds: seconds, admin: admin)
            if let reference {
                references.append("| \(n) | \(format(reference.tool.cpuPerRefresh)) | \(format(real.cpuPerRefresh)) | \(format(reference.tool.cpuPerRefresh / real.cpuPerRefresh))x | \(format(reference.tool.peakRSS)) | \(format(real.peakRSS)) | \(format(reference.serverTime)) | \(format(ours)) | \(format(reference.tool.interval)) |")
                print(references.last!)
            }
            let client = fetch.median + sort.median + layout.median
            lines.append("| \(n) | \(rows) | \(format(fetch.median)) (\(format(fetch.min))–\(format(fetch.max))) | \(format(sort.median)) | \(format(layout.median)) | \(format(client)) | \(format(ours)) | \(format(floor)) | \(format(bytes.median / 1024)) | \(format(path.sent.median / 1024)) | \(format(bare.median / 1024)) | \(format(real.cpuPerRefresh)) | \(format(real.interval)) | \(format(real.peakRSS)) | \(format(real.keyToScreen.median)) (\(format(real.keyToScreen.min))–\(format(real.keyToScreen.max))) |")
            print(lines.last!)
            if n == recordAt { record = try recordFigures(probe, server: server) }
        }
        let recording = RecordingTable(record: record, replay: try replayFigures())
        let header = """
            pgtop-bench: \(server.version), \(Bench.cpuModel()), \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) CPUs; \
            \(runs) runs x \(refreshes) refreshes per size; medians, (min–max) where shown.
            """
        var table = ([header, ""] + lines).joined(separator: "\n") + "\n"
        if references.count > 2 {
            table += "\nReference, same load and run: pg_top \(Bench.referenceVersion()) in tmux at -s 0.2 (its CPU from /proc, its refreshes counted in pg_stat_statements).\n\n"
            table += references.joined(separator: "\n") + "\n"
        } else {
            table += "\nNo reference tool measured: pg_top is not installed (apt-get install pgtop).\n"
        }
        table += "\n" + recording.text
        print("\n" + table)
        Bench.write(table, to: output)
        print("written to \(output)")
    }

    /// The recorder at the bench's mix, 1 s apart (nil when not asked for).
    func recordFigures(_ probe: PGConnection, server: ServerInfo) throws -> RecordPath? {
        guard recordSamples > 0 else { return nil }
        print("recording \(recordSamples) samples 1 s apart (after 65 not counted) ...")
        return try RecordPath.measure(probe, server: server, samples: recordSamples, warmup: 65, interval: 1,
                                      path: "/tmp/pgtop-bench-\(getpid()).pgtop")
    }

    /// Replay on the generated recording (nil when not asked for).
    func replayFigures() throws -> ReplayFigures? {
        guard replayMB > 0 else { return nil }
        print("replay on \(replayFile) (\(replayMB) MB; written first when missing, a few minutes) ...")
        return try ReplayFigures.measure(path: replayFile, targetBytes: Int64(replayMB) << 20)
    }

    /// pg_top (Debian's `pgtop`) on the same server at its fastest refresh; nil when not installed.
    static func measureReference(host: String, port: Int, seconds: Double, admin: PGConnection) throws -> (tool: RealBinary, serverTime: Double)? {
        let candidates: [String] = ["/usr/bin/pg_top", "/usr/local/bin/pg_top"]
        guard let pgTop = candidates.first(where: { Glibc.access($0, X_OK) == 0 }) else { return nil }
        _ = try admin.execute("SELECT pg_stat_statements_reset()")
        let tool = try RealBinary.measure(command: "\(pgTop) -s 0.2 -h \(host) -p \(port) -U postgres -d postgres",
                                          drawn: "processes:", seconds: seconds, keys: false) {
            try Bench.calls(admin, like: "%lock_activity%")
        }
        return (tool, try Bench.serverTime(admin, like: "%lock_activity%"))
    }

    static func referenceVersion() -> String {
        let out = Subprocess.run(["pg_top", "--version"], timeout: 5).output
        return out.split(whereSeparator: { $0 == " " || $0 == "\n" }).last.map(String.init) ?? "?"
    }

    /// Quick figures against a held server: the in-process phases and the real binary.
    func attached(_ place: String) throws {
        let parts = place.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--attach takes SOCKETDIR:PORT") }
        let host = String(parts[0])
        func connect(_ application: String, limits: SessionLimits = .unlimited) throws -> PGConnection {
            try PGConnection.connect(ConnectionParameters(conninfo: "host=\(host) port=\(port) user=postgres dbname=postgres",
                                                          host: nil, port: nil, user: nil, database: nil,
                                                          applicationName: application), timeout: 10, limits: limits)
        }
        let admin = try connect("bench-admin"), probe = try connect("pgtop", limits: .monitoring)
        let server = try probe.serverInfo()
        if recordingOnly {
            let record = try recordFigures(probe, server: server)
            print(RecordingTable(record: record, replay: try replayFigures()).text)
            return
        }
        _ = try admin.execute("SELECT pg_stat_statements_reset()")
        let path = try RefreshPath.measure(probe, server: server, runs: runs, refreshes: refreshes)
        let (fetch, sort, layout) = (path.fetchDecode, path.sortFilter, path.layout)
        print("rows \(path.rows), KB \(format(path.bytes.median / 1024)), sent \(format(path.sent.median / 1024)) (bare \(format(path.bare.median / 1024)))")
        print("in process: fetch+decode \(format(fetch.median)), sort+filter \(format(sort.median)), layout \(format(layout.median)), sum \(format(fetch.median + sort.median + layout.median)) ms")
        print("server: ours \(format(try Bench.serverTime(admin, like: "%backend_start_us%"))) ms, bare \(format(try Bench.serverTime(admin, like: "SELECT * FROM pg_stat_activity"))) ms")
        let pgtop = binary ?? Bench.sibling("pgtop")
        let real = try RealBinary.measure(binary: pgtop, host: host, port: port, interval: 0.2, seconds: seconds) {
            try Bench.calls(admin, like: "%backend_start_us%")
        }
        if let reference = try Bench.measureReference(host: host, port: port, seconds: seconds, admin: admin) {
            print("pg_top: \(format(reference.tool.cpuPerRefresh)) ms/refresh, interval \(format(reference.tool.interval)) s, peak RSS \(format(reference.tool.peakRSS)) MB, server \(format(reference.serverTime)) ms")
        }
        print("binary: \(format(real.cpuPerRefresh)) ms/refresh, interval \(format(real.interval)) s, peak RSS \(format(real.peakRSS)) MB, key→screen \(format(real.keyToScreen.median)) ms")
    }

    /// A cluster with room for `backends` sessions and pg_stat_statements loaded.
    static func startCluster(backends: Int) throws -> ThrowawayCluster {
        try ThrowawayCluster.start(ClusterOptions(settings: [
            "max_connections": "\(backends + 30)", "shared_preload_libraries": "pg_stat_statements",
            "track_activity_query_size": "4096", "shared_buffers": "128MB",
        ], stopsWithProcess: true))
    }

    /// The load of one size, kept open until SIGINT/SIGTERM: psql, perf or pgtop by hand.
    static func hold(_ n: Int) throws {
        let cluster = try startCluster(backends: n)
        defer { cluster.stop() }
        let load = try Load(cluster: cluster)
        defer { load.close() }
        _ = try load.connect("bench-admin").execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        try load.grow(to: n)
        print("\(n) backends open; connect with:  -h \(cluster.socketDirectory) -p \(cluster.port) -U postgres -d postgres")
        print("Ctrl-C (or SIGTERM) stops the cluster.")
        fflush(nil)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        var caught: Int32 = 0
        sigwait(&set, &caught)
    }

    /// Mean server execution time (ms) of the statements matching `like`, from pg_stat_statements.
    static func serverTime(_ c: PGConnection, like: String) throws -> Double {
        let r = try c.execute("SELECT sum(total_exec_time) / nullif(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE $1", [like])
        return Double(r.rows.first?[0] ?? "") ?? .nan
    }

    static func calls(_ c: PGConnection, like: String) throws -> Int {
        let r = try c.execute("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE $1", [like])
        return Int(r.rows.first?[0] ?? "") ?? 0
    }

    static func sibling(_ name: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        return String(exe[..<(exe.lastIndex(of: "/") ?? exe.startIndex)]) + "/" + name
    }

    static func cpuModel() -> String {
        for line in Figures.file("/proc/cpuinfo").split(separator: "\n") where line.hasPrefix("model name") {
            return String(line.split(separator: ":", maxSplits: 1).last?.trimmingCharacters() ?? "")
        }
        return "unknown CPU"
    }

    static func write(_ text: String, to path: String) {
        if let slash = path.lastIndex(of: "/") { mkdir(String(path[..<slash]), 0o755) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { print("cannot write \(path)"); return }
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
    }
}
