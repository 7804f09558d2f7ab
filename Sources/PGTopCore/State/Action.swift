/// Everything a key can ask for in the table. Keys map to actions in `KeyMap`; `AppState.apply`
/// carries them out.
public enum Action: Sendable, Equatable {
    case quit, help, redraw
    case moveUp, moveDown, pageUp, pageDown, home, end
    case sortLeft, sortRight, invertSort
    case toggleMark, markAll, unmarkAll
    case terminate, cancel
    case openFilter, openMinDuration
    case toggleIdle, toggleBackground, cycleElapsed
    case slower, faster, togglePause
    case view(View)
    case openDetail
    case toggleStats, toggleHostColumns
    case saveLayout
    case chooseColumns
}

/// What the main loop must do after the state changed; the core itself never does I/O.
public enum Effect: Sendable, Equatable {
    case quit
    /// Fetch a new snapshot now instead of waiting for the interval.
    case refreshNow
    /// Send a cancel or terminate for exactly these backends (the user confirmed), as the
    /// question showed them (the audit log's user, database, ... even if they ended since);
    /// `pidOnly`: a target whose backend_start is hidden is matched by its pid alone.
    case signal(SignalKind, [Backend], pidOnly: Bool)
    /// Forget what the terminal shows and draw everything again.
    case redrawAll
    /// Fetch this backend's detail (its answer goes to `AppState.detail`).
    case fetchDetail(BackendID)
    /// Write this query text to a file in the current directory and say its name.
    case writeQuery(BackendID, String)
    /// Write this layout (columns, sort, view, clock, refresh, toggles) to the config file.
    case saveLayout(Settings)
    /// Move a replay (a recording shown in the same screen): step, jump, play, seek.
    case replay(ReplayCommand)
}
