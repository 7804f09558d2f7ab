import Testing
@testable import PGTopCore

/// Behind a pooler pgtop's statements run on several server connections: those that served
/// it and idle under its name are its own; another pgtop, or the same backend once an
/// application uses it, is listed.
@Suite struct OwnServersTests {
    @Test func ownPooledServerConnectionsAreLeftOut() {
        var own = OwnServers(applicationName: "pgtop")
        own.served(BackendID(pid: 10, start: 1000))
        own.served(BackendID(pid: 11, start: 1000))  // the latest: not in the rows
        let rows = [
            backend(10, app: "pgtop"),                                  // served pgtop, idles as pgtop: own
            backend(12, app: "pgtop"),                                  // another user's pgtop: listed
            backend(10, start: 2000, app: "pgtop"),                     // pid 10 reused by a new backend: listed
            backend(13, app: "orders-api"),
        ]
        let shown = own.filter(rows)
        #expect(shown.map(\.id) == [BackendID(pid: 12, start: 1000), BackendID(pid: 10, start: 2000), BackendID(pid: 13, start: 1000)])
        #expect(own.pids == [10, 11])
    }

    @Test func aServerConnectionAnApplicationUsesIsItsRow() {
        var own = OwnServers(applicationName: "pgtop")
        own.served(BackendID(pid: 10, start: 1000))
        own.served(BackendID(pid: 11, start: 1000))
        // The pooler gave pid 10 to an application: its name and its query.
        #expect(own.filter([backend(10, app: "orders-api", state: .active)]).count == 1)
        // Running pgtop's name yet busy: not idle, so not pgtop's (its own statement is left out by the query).
        #expect(own.filter([backend(10, app: "pgtop", state: .active)]).count == 1)
    }

    @Test func endedBackendsAreForgotten() {
        var own = OwnServers(applicationName: "pgtop")
        own.served(BackendID(pid: 10, start: 1000))
        own.served(BackendID(pid: 11, start: 1000))
        _ = own.filter([backend(12)])  // 10 ended; 11 is the latest, kept
        #expect(own.pids == [11])
        // Directly there is only ever the one backend, and nothing is filtered.
        var direct = OwnServers(applicationName: "pgtop")
        #expect(direct.filter([backend(12, app: "pgtop")]).count == 1)
    }
}
