import Testing

/// The suites that drive pgtop on the shared server run one test at a time: they count
/// pgtop's sessions and read whole screens, so they must not see each other's.
@Suite(.serialized) enum EndToEnd {}
