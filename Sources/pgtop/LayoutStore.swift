import PGTopConfig
import PGTopCore

/// Where `S` writes the screen's layout: the config file in use, under the profile in use.
struct LayoutStore {
    let path: String
    let profile: String?

    /// Saves, and says how it went in the footer's words.
    func save(_ layout: Settings) -> Message {
        do {
            let place = try ConfigFile.save(layout, to: path, profile: profile)
            return Message("Layout saved to \(place)")
        } catch {
            return Message("Layout not saved: \(error)", isError: true)
        }
    }
}
