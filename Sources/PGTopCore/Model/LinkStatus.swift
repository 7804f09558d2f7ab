/// Whether pgtop is talking to its server: the header says so, the table is dimmed and aged
/// while it is not.
public enum LinkStatus: Sendable, Equatable {
    case connected
    /// The connection broke or the server stopped answering (`reason`) at `since`; the next
    /// attempt is at `retryAt` (monotonic seconds), or is under way when nil.
    case lost(reason: String, since: Double, retryAt: Double?)

    public var isConnected: Bool { self == .connected }
}

/// How long to wait before each reconnection attempt: quick at first, then capped so a
/// server that comes back is found within a few seconds.
///
///     var b = Backoff()
///     b.next()   // 0.5, then 1, 2, 4, 5, 5, ...
///     b.reset()  // after a success
public struct Backoff: Sendable, Equatable {
    public static let delays: [Double] = [0.5, 1, 2, 4, 5]
    public private(set) var attempts = 0

    public init() {}

    public mutating func next() -> Double {
        defer { attempts += 1 }
        return Self.delays[min(attempts, Self.delays.count - 1)]
    }

    public mutating func reset() { attempts = 0 }
}
