/// Connection slots as the server enforces them.
///
/// `max_connections` slots in all; the last `superuser_reserved_connections` are for
/// superusers only, and on 16+ the `reserved_connections` before them for roles with
/// `pg_use_reserved_connections`. pgtop's own session counts as used.
public struct SlotBudget: Sendable, Equatable {
    public var used: Int
    public var max: Int
    public var superuserReserved: Int
    public var reserved: Int

    public init(server: ServerInfo, backends: [Backend]) {
        var clients = 0
        for b in backends where b.isClientBackend { clients += 1 }
        self.init(server: server, clients: clients)
    }

    /// The budget with `clients` client backends besides pgtop's own session.
    public init(server: ServerInfo, clients: Int) {
        self.init(used: clients + 1, max: server.maxConnections,  // + pgtop itself
                  superuserReserved: server.superuserReserved, reserved: server.reserved)
    }

    public init(used: Int, max: Int, superuserReserved: Int, reserved: Int) {
        self.used = used
        self.max = max
        self.superuserReserved = superuserReserved
        self.reserved = reserved
    }

    /// Slots an ordinary role can still take.
    public var freeForOrdinary: Int { Swift.max(0, max - superuserReserved - reserved - used) }

    public enum Level: Sendable { case ok, low, exhausted }

    /// `exhausted` when ordinary roles cannot connect, `low` under 10% free.
    public var level: Level {
        if freeForOrdinary == 0 { return .exhausted }
        return freeForOrdinary * 10 < max ? .low : .ok
    }
}
