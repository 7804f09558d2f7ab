import PGTopConfig
import PGTopCore

/// Where `S` writes the screen's layout: the config file in use, under the profile in use.
struct LayoutStore {
    let path: String
    let profile: String?

    /// Saves, and says how it went in the footer's words. A layout key the screen has unset
    /// (`min-duration` after `m` cleared it) is removed from the section, not left to come back.
    func save(_ layout: Settings) -> Message {
        do {
            let place = try ConfigFile.save(layout, to: path, profile: profile, removing: Settings.unsetLayoutKeys(in: layout))
            return Message("Layout saved to \(place)")
        } catch {
            return Message("Layout not saved: \(error)", isError: true)
        }
    }
}
