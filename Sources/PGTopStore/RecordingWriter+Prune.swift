/// Keeping a recording within `--retain` and `--max-size`.
extension RecordingWriter {
    /// What a prune removed.
    public struct Pruned: Sendable, Equatable {
        public var samples = 0
        /// The oldest sample kept afterwards (µs), nil when none is left.
        public var oldestKept: Int64?
        public init() {}
    }

    /// Removes the samples before `keepAfter` (µs; `--retain`) and, while the file is larger
    /// than `maxBytes` (`--max-size`), the oldest samples, with the spans, sessions, texts,
    /// actions and outages only they used; gives the space back to the file system.
    /// (Not written yet: the storage helper builds it.)
    public func prune(keepAfter: Int64?, maxBytes: Int64?) throws -> Pruned {
        Pruned()
    }
}
