import ArgumentParser
import Glibc
import PGTopCore
import PGTopStore

/// `pgtop report FILE`: a recording's post-mortem on one page (`IncidentReport`, read by
/// `RecordingReader.report`, shown by `ReportText` or `ReportJSON`). Times are typed and shown
/// in the local zone (`WallClock`, the offset from `localtime_r` at the recording's end).
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "What a recording shows, on one page: slots, sessions idle in transaction, lock waits, outages, actions.",
        usage: "pgtop report <file> [--from <time>] [--to <time>] [--format table|json] [--idle-warn <seconds>] [--audit-log <path>]",
        discussion: """
            The recording (written by pgtop record or --record) is read, never changed,
            also while it is being written. The report gives the server and the time
            recorded, the samples and their gaps; the peak of slot use and when the
            slots were under 10% free or exhausted; every session idle in transaction
            past the threshold (its application, client, when its transaction began, how
            long it was held and how it ended: terminated by pgtop, committed or rolled
            back, session ended, server unreachable, still idle), with a line per
            application; the 10 longest lock waits with the session at the head of each
            chain (blocking, not waiting itself); the outages; the cancels and
            terminates pgtop sent.

            Times are local: 03:12 or 03:12:30 (the last such moment in the recording),
            2026-11-24 20:30, -10m (before the end of the recording), +10m (after the
            start, or for --to after --from).

            Examples:
              pgtop report db1.pgtop
              pgtop report db1.pgtop --from 03:00 --to +30m
              pgtop report db1.pgtop --format json | jq '.applications'

            Exit status: 0 the report was written; 2 a bad option or time, a file that
            is not a recording or of a newer pgtop, or a damaged file (the readable part
            is reported, the damage said in one line on stderr).
            """,
        helpNames: [.long, .customShort("?")]
    )

    @Argument(help: ArgumentHelp("The recording.", valueName: "file"))
    var file: String

    // `.unconditional`: `--from -10m` is a time, not an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Report from this time on: 03:12, 2026-11-24 20:30, -2h (default: the start).", valueName: "time"))
    var from: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Report up to this time: 03:30, -10m, +30m after --from (default: the end).", valueName: "time"))
    var to: String?

    @Option(help: ArgumentHelp("table or json (one JSON document; default table).", valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("List sessions whose transaction stayed open this long while idle (default: the recording's idle-warn, else 60).", valueName: "seconds"))
    var idleWarn: Double?

    @Option(help: ArgumentHelp("An audit log of the pgtop screens that watched the server: sessions they terminated read `terminated by pgtop` (the recorder knows only its own).", valueName: "path"))
    var auditLog: String?

    func validate() throws {
        if let format, format != "table" && format != "json" {
            throw ValidationError("--format must be table or json, got \(format)")
        }
        if let idleWarn, !(idleWarn >= 0 && idleWarn.isFinite) {
            throw ValidationError("--idle-warn must be a number of seconds, 0 or more, got \(idleWarn)")
        }
        for (name, text) in [("--from", from), ("--to", to)] {
            if let text, WallClock().parse(text, within: 0...0) == nil { throw Self.badTime(name, text) }
        }
    }

    static func badTime(_ name: String, _ text: String) -> ValidationError {
        ValidationError("\(name) \(text): not a time; give 03:12, 03:12:30, 2026-11-24 20:30, -10m or +10m")
    }

    func run() throws {
        let reader: RecordingReader
        do { reader = try RecordingReader(path: file) } catch { throw Failure("\(error)") }
        defer { reader.close() }
        let range = reader.bounds().range
        let clock = WallClock(utcOffset: Self.utcOffset(at: range?.upperBound))
        var window: (from: Int64?, to: Int64?) = (nil, nil)
        if let range { window = try Self.window(from: from, to: to, within: range, clock: clock) }
        let audit = try auditLog.map(AuditLog.terminations(in:)) ?? []
        let report = reader.report(from: window.from, to: window.to, idleWarn: idleWarn, audit: audit)
        if format == "json" {
            Console.out(ReportJSON.render(report, clock: clock), newline: false)
        } else {
            Console.out(ReportText.render(report, clock: clock, width: Self.width()), newline: false)
        }
        if let damage = report.recording.damage {
            Console.error("pgtop report: \(damage)")
            throw ExitCode(2)
        }
    }

    /// `--from` and `--to` as times within the recording; a window outside it is an error.
    static func window(from: String?, to: String?, within range: ClosedRange<Int64>, clock: WallClock) throws -> (from: Int64?, to: Int64?) {
        func parse(_ name: String, _ text: String, start: Int64) throws -> Int64 {
            let reference = Substring(text).trimmingCharacters().hasPrefix("+") ? start : range.upperBound
            guard let t = clock.parse(text, within: range, reference: reference) else { throw badTime(name, text) }
            return t
        }
        let a = try from.map { try parse("--from", $0, start: range.lowerBound) }
        let b = try to.map { try parse("--to", $0, start: a ?? range.lowerBound) }
        if let a, let b, a > b {
            throw Failure("--from \(clock.dateTime(a)) is after --to \(clock.dateTime(b))")
        }
        if (a ?? range.lowerBound) > range.upperBound || (b ?? range.upperBound) < range.lowerBound {
            let asked = "\(a.map(clock.dateTime) ?? "the start") to \(b.map(clock.dateTime) ?? "the end")"
            throw Failure("nothing recorded from \(asked): the recording runs from \(clock.dateTime(range.lowerBound)) to \(clock.dateTime(range.upperBound))")
        }
        return (a, b)
    }

    /// The local zone's offset from UTC at `t` (µs; nil: now), as `localtime_r` has it.
    static func utcOffset(at t: Int64?) -> Int {
        var seconds = t.map { time_t($0 / 1_000_000) } ?? time(nil)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }

    /// The terminal's width (40 to 120) when stdout is one, else 100.
    static func width() -> Int {
        var size = winsize()
        guard isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 100 }
        return min(120, max(40, Int(size.ws_col)))
    }
}
