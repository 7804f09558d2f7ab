import PGTopCore
import PGTopFixtures

/// The store's tests' scripted incident: `ReplayIncident`'s backends (50 web sessions running a
/// query every 7 s, three cron waves idle in transaction at 20, 40 and 60 s, the first ended at
/// 80 s, a lock pile-up from 70 to 80 s, a pid reused at 90 s, an autovacuum launcher), from an
/// earlier whole second. Every field at second `s` is a function of `s`.
enum Incident {
    static let t0: Int64 = 1_795_000_000_000_000  // a whole second
    static func time(_ s: Double) -> Int64 { t0 + Int64((s * 1_000_000).rounded()) }

    /// The backends as the screen had them at second `s`.
    static func backends(at s: Int) -> [Backend] { ReplayIncident.backends(at: s, t0: t0) }
}
