/// The sections of docs/pgtop.1 that swift-argument-parser does not write, in mdoc, generated
/// from the tables the program itself runs on: KEYS from `KeyMap` (the table's keys and the
/// help screen's, as the help shows them), CONFIGURATION from `SettingKey` and `Style`, then
/// FILES, ENVIRONMENT and EXIT STATUS as the README states them. `pgtop --manual-sections`
/// prints this; `scripts/generate-docs.sh` puts it into the page, and a test fails when the
/// page falls behind.
public enum ManualPage {
    public static func sections() -> String {
        var out: [String] = []
        out += [".Sh COMMANDS", text("A first word that names a command runs it instead of the screen (a database so named is dbname=NAME); pgtop COMMAND --help says more."),
                ".Bl -tag -width Ds"]
        for c in commands { out += [".It Xo"] + c.synopsis + [".Xc", text(c.what)] }
        out += [".El"]

        out += [".Sh KEYS", "The keys are the same in every terminal; the help screen", ".Pq Ic \\&?",
                "is generated from the same table.", ".Ss \"In the table\"", ".Bl -tag -width 16n -compact"]
        for binding in KeyMap.bindings {
            out += [".It Sy \"" + quoted(binding.keys.map(\.name).joined(separator: ", ")) + "\"", text(binding.help)]
        }
        out += [".It Sy Mouse", text("Click a row to select it, a column title to sort by it (again: invert); the wheel scrolls."), ".El"]
        out += [".Ss \"In the help\"", "It scrolls and searches as", ".Xr less 1", "does.", ".Bl -tag -width 16n -compact"]
        for binding in KeyMap.helpBindings {
            out += [".It Sy \"" + quoted(binding.keys.map(\.name).joined(separator: ", ")) + "\"", text(binding.help)]
        }
        out += [".El", ".Ss \"In a replay\"",
                text("pgtop replay FILE shows a recording in the same screen (pgtop replay --help lists its options: --at, --once, --format and the display options). These keys come before the table's (Z, + and - play, pause and change the speed there):"),
                ".Bl -tag -width 16n -compact"]
        for binding in KeyMap.replayBindings {
            out += [".It Sy \"" + quoted(binding.keys.map(\.name).joined(separator: ", ")) + "\"", text(binding.help)]
        }
        out += [".El", ".Pp"]
        out += [text(HelpView.replayNotes.joined(separator: " "))]
        out += [".Ss \"Elsewhere\"",
                text("The filter prompt (/) takes text as typed, up to \(PromptText.limit) bytes; Enter keeps the filter, Esc clears it, Ctrl-U empties it. A cancel or terminate asks first: y sends it, any other key does not. The detail view (Enter) and the column chooser (C) name their keys in the footer.")]

        out += [".Sh CONFIGURATION",
                text("The config file is TOML. Its top level holds settings, a [profile.NAME] section a server's connection and whatever else differs for it (chosen with --profile), a [colors] table (also [profile.NAME.colors]) the looks of the screen's styles. The command line wins over the profile, the profile over the top level; S on the screen writes the current layout back. The settings:"),
                ".Bl -tag -width Ds"]
        for key in SettingKey.all {
            out += [".It Cm " + key.name, text(capitalised(key.expected) + ".")]
        }
        out += [".El", ".Pp",
                text("The styles of the [colors] table: " + Style.allCases.map(\.configName).joined(separator: ", ")
                     + "; each takes " + SettingKey.styleExpected + ". A bad file stops pgtop with one line naming the file, the line and what was expected.")]

        out += [".Sh FILES", ".Bl -tag -width Ds",
                ".It Pa $XDG_CONFIG_HOME/pgtop/config", text("The config file (~/.config/pgtop/config when XDG_CONFIG_HOME is unset; --config names another)."),
                ".It Pa $XDG_STATE_HOME/pgtop/actions.log",
                text("The audit log: one line per backend for every cancel and terminate sent (~/.local/state/pgtop/actions.log when XDG_STATE_HOME is unset; the directory is created 0700, the file 0600; --audit-log names another, --no-audit-log keeps none)."),
                ".It Pa $XDG_STATE_HOME/pgtop/HOST-PORT.pgtop",
                text("A recording (pgtop record, --record), when no file is named: one per server, local-PORT.pgtop over a Unix socket (~/.local/state/pgtop/ when XDG_STATE_HOME is unset; the file 0600, FILE-wal and FILE-shm beside it while it is written, FILE-lock held by the recorder)."),
                ".It Pa ./pgtop-query-PID.sql", text("A backend's whole query, written by w in the detail view."),
                ".It Pa ~/.pgpass", text("Passwords, as libpq reads them (PGPASSFILE names another file)."),
                ".El"]

        out += [".Sh ENVIRONMENT", ".Bl -tag -width Ds"]
        for (name, what) in environment { out += [".It Ev " + name, text(what)] }
        out += [".El"]

        out += [".Sh EXIT STATUS", ".Bl -tag -width Ds"]
        for (code, what) in exitStatus { out += [".It \(code)", text(what)] }
        out += [".El"]
        return out.joined(separator: "\n") + "\n"
    }

    /// The commands named by the first word (`PGTop.subcommands`): their synopsis in mdoc lines, what they do.
    static let commands: [(synopsis: [String], what: String)] = [
        ([".Cm record", ".Op Ar connection options", ".Op Fl o Ar file", ".Op Fl i Ar seconds", ".Op Fl -idle-warn Ar seconds", ".Op Fl -retain Ar duration", ".Op Fl -max-size Ar size"],
         "The flight recorder: headless, no terminal needed (cron, systemd), one connection named pgtop-record, the same connection options, config file and profiles as the screen. Every interval it writes what changed (the sessions, each state they were seen in, the server figures, the lock modes) into a SQLite file (default $XDG_STATE_HOME/pgtop/HOST-PORT.pgtop); --retain and --max-size remove the oldest samples as it goes. A server it cannot reach is waited for and the gap recorded as an outage, as is a restart; a full disk is said once on stderr and tried again every sample. The screen records too with --record or --record=FILE."),
        ([".Cm report Ar file", ".Op Fl -from Ar time", ".Op Fl -to Ar time", ".Op Fl -format Ar format", ".Op Fl -idle-warn Ar seconds", ".Op Fl -audit-log Ar path"],
         "A recording's post-mortem on one page: the server and time recorded, the samples and their gaps; the peak of slot use and when the slots were under 10% free or exhausted; every session idle in transaction past the threshold (the recording's idle-warn, else 60 s), its application, client, transaction start, how long it was held and how it ended (terminated by pgtop, committed or rolled back, session ended, server unreachable, still idle); the 10 longest lock waits and the root blocker of each; the outages; the cancels and terminates pgtop sent (--audit-log adds those another pgtop's screen sent, from its audit log). Times are local (03:12, 2026-11-24 20:30, -10m, +30m); --format json prints one JSON document. A file that is not a recording, of a newer pgtop, or damaged is said in one line (exit status 2; of a damaged file the part that reads back is reported)."),
    ]

    static let environment: [(String, String)] = [
        ("PGHOST, PGPORT, PGUSER, PGDATABASE", "The server to connect to, as in psql, when the command line does not say."),
        ("PGSERVICE, PGSERVICEFILE", "A connection service, as libpq reads it."),
        ("PGPASSWORD, PGPASSFILE", "A password, or the file of passwords; every other libpq variable works too."),
        ("XDG_CONFIG_HOME", "Where the config file is looked for."),
        ("XDG_STATE_HOME", "Where the audit log and the recordings go."),
        ("NO_COLOR", "When set and not empty, no colours: bold, reverse, underline and dim only (as --no-color)."),
        ("TERM", "The terminal; one that cannot address the cursor is refused in one line."),
        ("LANG, LC_ALL, LC_CTYPE", "A UTF-8 locale draws Unicode; any other, ASCII only."),
    ]

    static let exitStatus: [(Int, String)] = [
        (0, "Success; pgtop record: stopped by SIGTERM, SIGINT or SIGHUP, the file closed cleanly."),
        (1, "With --fail-if-empty: no backend matched; pgtop record and --record: the recording file was damaged while recording."),
        (2, "A usage or connection error, or a backend refused or failed a cancel or terminate; a recording file refused (another pgtop records into it, not a recording, of a newer pgtop, not a regular file); pgtop record: a login refused for a reason waiting does not fix (a server it cannot reach is waited for)."),
        (3, "A dry run: --terminate or --cancel without --yes."),
    ]

    /// A text line for mdoc: a leading dot or quote made literal, backslashes escaped.
    public static func text(_ s: String) -> String {
        let escaped = s.replacingAll("\\", with: "\\e")
        return escaped.first == "." || escaped.first == "'" ? "\\&" + escaped : escaped
    }

    /// An argument inside double quotes: literal, so that `.` and `,` are not mdoc punctuation.
    static func quoted(_ s: String) -> String { "\\&" + s.replacingAll("\\", with: "\\e").replacingAll("\"", with: "\\(dq") }

    static func capitalised(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }
}
