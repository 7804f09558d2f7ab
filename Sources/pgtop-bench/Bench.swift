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

    func run() throws {
        let counts = sizes.split(separator: ",").compactMap { Int($0) }
        guard let largest = counts.max() else { throw ValidationError("--sizes needs numbers") }
        let pgtop = binary ?? Bench.sibling("pgtop")
        guard access(pgtop, X_OK) == 0 else { throw ValidationError("no pgtop binary at \(pgtop); build it first") }

        print("starting a cluster for \(largest) backends ...")
        let cluster = try ThrowawayCluster.start(ClusterOptions(settings: [
            "max_connections": "\(largest + 30)", "shared_preload_libraries": "pg_stat_statements",
            "track_activity_query_size": "4096", "shared_buffers": "128MB",
        ], stopsWithProcess: true))
        defer { cluster.stop() }
        let load = try Load(cluster: cluster)
        defer { load.close() }
        let admin = try load.connect("bench-admin")
        _ = try admin.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        // Named pgtop, so it is left out of the rows as pgtop's own session is.
        let probe = try load.connect("pgtop")
        _ = try probe.execute(ServerInfoQuery.setup(serverVersion: probe.serverVersion))
        let server = try probe.serverInfo()

        var lines = ["| backends | rows | fetch+decode ms | sort+filter ms | layout ms | client ms (sum) | server ms | bare SELECT * ms | KB/refresh | bare KB | binary CPU ms/refresh | interval s (asked 0.2) | peak RSS MB | key→screen ms |",
                     "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for n in counts.sorted() {
            let t0 = Figures.wall()
            try load.grow(to: n)
            print("\(n) backends open (\(format(Figures.wall() - t0)) s); measuring ...")
            usleep(500_000)
            var fetch = Sample(), sort = Sample(), layout = Sample(), bytes = Sample(), bare = Sample()
            var rows = 0
            _ = try admin.execute("SELECT pg_stat_statements_reset()")
            for _ in 0..<runs {
                let r = try RefreshPath.measure(probe, server: server, refreshes: refreshes + 1)
                fetch.values += r.fetchDecode.values
                sort.values += r.sortFilter.values
                layout.values += r.layout.values
                bytes.values += r.bytes.values
                rows = r.rows
                bare.values += try RefreshPath.bareSelect(probe, count: refreshes).values
            }
            let ours = try Bench.serverTime(admin, like: "%backend_start_us%")
            let floor = try Bench.serverTime(admin, like: "SELECT * FROM pg_stat_activity")
            let real = try RealBinary.measure(binary: pgtop, cluster: cluster, interval: 0.2, seconds: seconds) {
                try Bench.calls(admin, like: "%backend_start_us%")
            }
            let client = fetch.median + sort.median + layout.median
            lines.append("| \(n) | \(rows) | \(format(fetch.median)) (\(format(fetch.min))–\(format(fetch.max))) | \(format(sort.median)) | \(format(layout.median)) | \(format(client)) | \(format(ours)) | \(format(floor)) | \(format(bytes.median / 1024)) | \(format(bare.median / 1024)) | \(format(real.cpuPerRefresh)) | \(format(real.interval)) | \(format(real.peakRSS)) | \(format(real.keyToScreen.median)) (\(format(real.keyToScreen.min))–\(format(real.keyToScreen.max))) |")
            print(lines.last!)
        }
        let header = """
            pgtop-bench: \(server.version), \(Bench.cpuModel()), \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) CPUs; \
            \(runs) runs x \(refreshes) refreshes per size; medians, (min–max) where shown.
            """
        let table = ([header, ""] + lines).joined(separator: "\n") + "\n"
        print("\n" + table)
        Bench.write(table, to: output)
        print("written to \(output)")
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
