import Glibc
import PGTopCore
import PGTopPostgres

/// pgtop's refresh path run in this process, phase by phase, on one connection named
/// `pgtop` (so it is left out of the rows, as pgtop's own would be).
struct RefreshPath {
    var fetchDecode = Sample()   // CPU ms: send, read, decode the rows
    var sortFilter = Sample()    // CPU ms: AppState.receive (filter, sort, selection)
    var layout = Sample()        // CPU ms: ScreenLayout.render for a 200x50 terminal
    var bytes = Sample()         // bytes received per refresh (protocol messages of the result)
    var sent = Sample()          // bytes of the keys sent per refresh (the delta's parameters)
    var bare = Sample()          // bytes of a bare SELECT * FROM pg_stat_activity
    var rows = 0

    /// `runs` rounds of `refreshes` refreshes, each followed by as many bare SELECT *.
    static func measure(_ c: PGConnection, server: ServerInfo, runs: Int, refreshes: Int) throws -> RefreshPath {
        var all = RefreshPath()
        for _ in 0..<runs {
            let r = try measure(c, server: server, refreshes: refreshes + 1)
            all.fetchDecode.values += r.fetchDecode.values
            all.sortFilter.values += r.sortFilter.values
            all.layout.values += r.layout.values
            all.bytes.values += r.bytes.values
            all.sent.values += r.sent.values
            all.rows = r.rows
            all.bare.values += try bareSelect(c, count: refreshes).values
        }
        return all
    }

    /// The first refresh asks for every row (and warms caches); the others are delta refreshes,
    /// as pgtop's.
    static func measure(_ c: PGConnection, server: ServerInfo, refreshes: Int) throws -> RefreshPath {
        var out = RefreshPath()
        var state = AppState(interval: 1)
        state.server = server
        var delta = DeltaRefresh()
        let sql = ActivityQuery.sql(serverVersion: c.serverVersion)
        for i in 0..<refreshes {
            let cpu0 = Figures.cpu()
            let keys = ActivityQuery.parameters(delta.request())
            try c.send(sql, keys)
            var result: QueryResult?
            while result == nil {
                var fd = pollfd(fd: c.socket, events: Int16(POLLIN), revents: 0)
                _ = poll(&fd, 1, 1000)
                result = try c.poll()
            }
            let backends = delta.receive(ActivityQuery.decode(result!))
            let cpu1 = Figures.cpu()
            state.receive(Snapshot(backends: backends, takenAt: Figures.wall()))
            let cpu2 = Figures.cpu()
            state.setPageSize(ScreenLayout.tableRows(height: 50))
            let frame = ScreenLayout.render(state, width: 200, height: 50)
            let cpu3 = Figures.cpu()
            precondition(frame.lines.count == 50)
            if i > 0 {  // the first round warms caches
                out.fetchDecode.add((cpu1 - cpu0) * 1000)
                out.sortFilter.add((cpu2 - cpu1) * 1000)
                out.layout.add((cpu3 - cpu2) * 1000)
                out.bytes.add(Double(wireBytes(result!)))
                out.sent.add(Double(keys.reduce(0) { $0 + ($1?.utf8.count ?? 0) }))
            }
            out.rows = backends.count
        }
        return out
    }

    /// The floor: a bare `SELECT * FROM pg_stat_activity`, fetched whole, `count` times.
    static func bareSelect(_ c: PGConnection, count: Int) throws -> Sample {
        var bytes = Sample()
        for _ in 0..<count {
            bytes.add(Double(wireBytes(try c.execute("SELECT * FROM pg_stat_activity"))))
        }
        return bytes
    }

    /// The size of a result on the wire (protocol 3, text format, no TLS): a RowDescription
    /// (7 bytes + 19 + name per column), a DataRow per row (7 bytes + 4 + length per value),
    /// CommandComplete and ReadyForQuery.
    static func wireBytes(_ r: QueryResult) -> Int {
        let header = 7 + r.columns.reduce(0) { $0 + 19 + $1.utf8.count }
        return header + r.rowCount * (7 + 4 * r.columns.count) + r.valueBytes + 20 + 6
    }
}
