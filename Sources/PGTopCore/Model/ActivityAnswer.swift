/// What one activity query answered. Asked without keys, `backends` is every backend; asked
/// with the previous refresh's keys (`DeltaRefresh`), only what is not known already: backends
/// that are new or changed come whole, keyed backends that ended come as their pid, and the
/// keyed backends the answer does not name are unchanged.
///
///     ActivityAnswer(backends: [active4212], ended: [4230], clock: 1_732_400_000_123)
public struct ActivityAnswer: Sendable, Equatable {
    /// Backends that came whole.
    public var backends: [Backend]
    /// Pids of keyed backends that are gone.
    public var ended: [Int32]
    /// The server's clock when it computed the ages, in milliseconds since the Unix epoch; nil
    /// when the answer did not say (an old-style result).
    public var clock: Int64?

    public init(backends: [Backend], ended: [Int32] = [], clock: Int64? = nil) {
        self.backends = backends
        self.ended = ended
        self.clock = clock
    }
}
