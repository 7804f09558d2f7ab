import ArgumentParser
import Glibc
import PGTopConfig
import PGTopCore
import PGTopStore
import PGTopTerminal

/// `pgtop replay FILE`: a recording in the same screen, moved through in time (the replay keys:
/// Left/Right, [ ], { }, p, + -, t, n N, L), or one moment of it printed (`--at 03:12 --once`).
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recording (pgtop record) in the same screen: every view, sort, filter, detail and the blocking tree, over recorded time.",
        usage: "pgtop replay <file> [--at <time>] [--once [--format <format>]] [<display options>]",
        discussion: """
            The header says REPLAY and the recorded moment in local time; the strip
            under it is the whole recording (slots used, sessions idle in transaction
            past idle-warn, lock waiters, outages). Left/Right step one sample, [ ] one
            minute, { } one hour, p (or Z) plays and pauses, + and - change the speed
            (1x to 64x), t goes to a time (03:12, 2026-11-24 20:30, -10m), n and N to
            the next and previous event, L to the latest sample and on to each new one
            while a recorder writes the file. Cancel and terminate are off. A damaged
            file replays as far as it reads, and says so.

            Examples:
              pgtop replay db1.pgtop
              pgtop replay db1.pgtop --at 03:12 --view blocking
              pgtop replay db1.pgtop --at "2026-11-24 20:30" --once --format json
            """,
        helpNames: [.long, .customShort("?")]
    )

    @Argument(help: ArgumentHelp("The recording (written by pgtop record or --record).", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Start at this moment: 03:12 (its last time in the recording), 03:12:30, 2026-11-24 20:30, -10m (before the end); default the first sample.", valueName: "time"))
    var at: String?

    @Flag(help: "Print the table as it was at --at (default: the last sample) and exit (no terminal needed).")
    var once = false

    @Option(help: ArgumentHelp("Output of --once: table, csv, json (JSON Lines; default table).", valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("Highlight sessions idle in transaction for this many seconds (default: the recording's, else the config file's, else 60).", valueName: "seconds"))
    var idleWarn: Double?

    @OptionGroup var display: DisplayOptions

    @Option(help: ArgumentHelp("Settings file (default: $XDG_CONFIG_HOME/pgtop/config): its display settings and colours.", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("Use the config file's [profile.NAME] display settings.", valueName: "name"))
    var profile: String?


    func validate() throws {
        _ = try flagSettings()
    }

    /// The display flags, checked with the config file's words.
    func flagSettings() throws -> Settings {
        var s = Settings()
        try DisplayOptions.read("idle-warn", idleWarn.map(SettingValue.double), into: &s)
        try display.put(into: &s)
        try DisplayOptions.read("format", format.map(SettingValue.string), into: &s)
        return s
    }

    /// The config file's display settings (its profile over them), the flags over both; where
    /// `S` saves the layout; and the file's idle-warn, which comes after the recording's.
    func settings() throws -> (Settings, LayoutStore?, configuredIdleWarn: Double?) {
        let flags = try flagSettings()
        guard let path = config ?? ConfigFile.defaultPath() else {
            if let profile { throw Failure("--profile \(profile): no config file (HOME is not set; use --config PATH)") }
            return (flags, nil, nil)
        }
        do {
            let file = try ConfigFile.load(path: path, required: config != nil || profile != nil)
            var base = try file.settings(profile: profile)
            let idleWarn = base.idleWarn
            base.idleWarn = nil
            return (base.overridden(by: flags), LayoutStore(path: file.path, profile: profile), idleWarn)
        } catch {
            throw Failure("\(error)")
        }
    }

    func run() throws {
        let (flagged, store, configuredIdleWarn) = try settings()
        var settings = flagged
        let reader: RecordingReader
        do { reader = try RecordingReader(path: file) } catch { throw Failure("\(error)") }
        defer { reader.close() }
        let meta = (try? reader.meta()) ?? [:]
        // --idle-warn, else what the recorder highlighted with, else the config file's.
        settings.idleWarn = settings.idleWarn ?? (meta["idle_warn"] ?? meta["idle-warn"]).flatMap(Double.init) ?? configuredIdleWarn ?? 60
        let source = try ReplaySource(reader: reader, idleWarn: settings.idleWarn ?? 60)
        if let damage = source.damage { Console.error("pgtop replay: \(damage); replaying the samples that read back") }
        if let at {
            let first = source.positions[0], last = source.positions[source.positions.count - 1]
            guard let t = source.clock(at: last).parse(at, within: first...last, reference: last) else {
                throw Failure("--at \(at): not a time (03:12, 03:12:30, 2026-11-24 20:30, -10m)")
            }
            source.apply(.goTo(t))
        } else if once {
            source.apply(.latest)
        }
        if once {
            try printOnce(source, settings: settings)
            return
        }
        guard isatty(1) == 1 else { throw Failure("stdout is not a terminal: the screen needs one; for scripts use --once (see pgtop replay --help)") }
        var state = AppState()
        settings.apply(to: &state)
        let terminal: Terminal
        do {
            terminal = try Terminal.open(Terminal.Options(colors: settings.color ?? true, mouse: settings.mouse ?? true,
                                                          looks: settings.colors ?? [:]))
        } catch {
            throw Failure("\(error)")
        }
        state.asciiOnly = !terminal.isUTF8
        state.receive(source.status())
        let loop = EventLoop(state: state, terminal: terminal, source: source, audit: nil, store: store)
        loop.run()
        terminal.close()
    }

    /// `--once`: the table at the moment chosen, as the screen would filter and sort it.
    func printOnce(_ source: ReplaySource, settings: Settings) throws {
        var state = AppState()
        settings.apply(to: &state)
        for event in source.perform(.replay(.goTo(source.time)), now: 0) {
            switch event {
            case .snapshot(let snapshot): state.receive(snapshot)
            case .reconnected(let info): state.server = info
            case .replay(let status):
                if let note = status.note, note.isError { Console.error("pgtop replay: \(note.text)") }
            default: break
            }
        }
        let options = ScriptOptions(settings)
        Console.out(Export.render(state.rows, as: options.format, elapsed: options.elapsed, columns: options.columns,
                                  tree: state.tree, sampledAt: Double(source.shownTime ?? source.time) / 1e6, terminal: isatty(1) == 1),
                    newline: false)
    }
}
