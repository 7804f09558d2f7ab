/// `pgtop --once`: the rows the screen would show, as text for scripts: an aligned table, CSV
/// with a header row, or JSON Lines (one object per backend per line, stable field names,
/// ISO 8601 times, ages in seconds as numbers, null when the server has none).
public enum ExportFormat: String, Sendable, CaseIterable {
    case table, csv, json
}

public enum Export {
    /// The fields of CSV and JSON, in order. New ones go at the end: `xact_age_source` (where an
    /// aborted transaction's age comes from), `state_age_s`, `sampled_at` (when the server took
    /// the snapshot), and the blocking tree's `depth`, `root_pid`, `blocks`, `lock_mode`,
    /// `lock_target` (null, or empty, outside `--view blocking`).
    public static let fields = ["pid", "backend_start", "database", "user", "application", "client", "state",
                                "wait_event_type", "wait_event", "blocked_by", "backend_type", "superuser",
                                "query_age_s", "xact_age_s", "backend_age_s", "query",
                                "xact_age_source", "state_age_s", "sampled_at",
                                "depth", "root_pid", "blocks", "lock_mode", "lock_target"]

    /// - Parameters:
    ///   - tree: each row's place in the blocking tree (`AppState.tree`), empty outside it.
    ///   - sampledAt: when the snapshot was taken, seconds since the epoch (the server's clock).
    ///   - terminal: stdout is a terminal: CSV fields are sanitised as the table's cells are
    ///     (client text cannot move the cursor, clear the screen or retitle the window).
    public static func render(_ rows: [Backend], as format: ExportFormat, width: Int = 200, elapsed: ElapsedMode = .query,
                              columns: [Column] = Column.standard, header: Bool = true,
                              tree: [BackendID: BlockingTree.Node] = [:], sampledAt: Double? = nil, terminal: Bool = false) -> String {
        switch format {
        case .json: return rows.map { json($0, tree[$0.id], sampledAt) }.joined()
        case .csv:
            return (header ? fields.joined(separator: ",") + "\n" : "")
                + rows.map { csv(values($0, tree[$0.id], sampledAt), terminal: terminal) }.joined()
        case .table: return table(rows, width: width, elapsed: elapsed, columns: columns, header: header, tree: tree)
        }
    }

    static func values(_ b: Backend, _ node: BlockingTree.Node? = nil, _ sampledAt: Double? = nil) -> [String?] {
        [String(b.pid), AuditLine.iso8601(Double(b.id.start) / 1_000_000), b.database, b.user, b.application, b.client,
         b.state.fullLabel == "no state" ? "" : b.state.fullLabel, b.waitEventType, b.waitEvent,
         b.blockedBy.map(String.init).joined(separator: " "), b.backendType, b.superuser ? "true" : "false",
         b.queryAge.map(seconds), b.transactionAge.map(seconds), b.backendAge.map(seconds), b.query,
         b.transactionAgeSource?.rawValue, b.stateAge.map(seconds), sampledAt.map(AuditLine.iso8601),
         node.map { String($0.depth) }, node.map { String($0.root.pid) }, node.map { String($0.blocked) },
         b.lockMode, b.lockTarget]
    }

    /// `12.5`, `3600`: milliseconds kept, no exponent.
    static func seconds(_ v: Double) -> String {
        let ms = Int64((v * 1000).rounded())
        let sign = ms < 0 ? "-" : ""
        let a = abs(ms)
        let frac = a % 1000
        if frac == 0 { return "\(sign)\(a / 1000)" }
        var digits = String(frac)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(a / 1000).\(digits)"
    }

    /// RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. To a file
    /// or a pipe the text is the server's, line breaks (CR, LF) in quoted fields included, but no
    /// control character RFC 4180 does not allow: a tab becomes a space, ESC and the other C0,
    /// DEL and C1 controls `?`, as on the screen. To a terminal every field is what the table
    /// shows (`Sanitizer`: line breaks as spaces, escapes as `?`, bidi controls dropped).
    static func csv(_ values: [String?], terminal: Bool = false) -> String {
        values.map { csvField($0 ?? "", terminal: terminal) }.joined(separator: ",") + "\n"
    }

    static func csvField(_ value: String, terminal: Bool) -> String {
        let v = terminal ? Sanitizer.clean(value) : withoutControls(value)
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return v }
        return "\"" + v.replacingAll("\"", with: "\"\"") + "\""
    }

    /// CR and LF kept, a tab as a space, every other control character (C0, DEL, C1) as `?`.
    static func withoutControls(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D: out.append(scalar)
            case 0x09: out.append(" ")
            case 0..<0x20, 0x7F, 0x80...0x9F: out.append("?")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    static func json(_ b: Backend, _ node: BlockingTree.Node? = nil, _ sampledAt: Double? = nil) -> String {
        let v = values(b, node, sampledAt)
        var parts: [String] = []
        for (i, name) in fields.enumerated() {
            let value: String
            switch name {
            case "pid": value = String(b.pid)
            case "blocked_by": value = "[" + b.blockedBy.map(String.init).joined(separator: ",") + "]"
            case "superuser": value = b.superuser ? "true" : "false"
            case "query_age_s", "xact_age_s", "backend_age_s", "state_age_s", "depth", "root_pid", "blocks": value = v[i] ?? "null"
            case "xact_age_source", "sampled_at": value = v[i].map(jsonString) ?? "null"
            default: value = jsonString(v[i] ?? "")
            }
            parts.append("\"\(name)\":\(value)")
        }
        return "{" + parts.joined(separator: ",") + "}\n"
    }

    /// A JSON string: quotes, backslashes and every control character escaped.
    public static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// The screen's table without colours: the same columns for `width`, text sanitised.
    /// In the blocking tree (`tree`), each query is preceded by its place, as on screen:
    /// indented by depth, `└ [ShareLock on transactionid]`, `[blocks N]`.
    static func table(_ rows: [Backend], width: Int, elapsed: ElapsedMode, columns: [Column], header: Bool,
                      tree: [BackendID: BlockingTree.Node] = [:]) -> String {
        var state = AppState()
        state.elapsed = elapsed
        state.asciiOnly = false
        state.tree = tree
        let layout = TableLayout(width: width, rows: rows[...], elapsed: elapsed, sorted: nil, columns: columns)
        var lines: [String] = []
        if header { lines.append(TableView.titleLine(layout, sort: SortOrder(column: .cpu), width: width, ascii: false).text) }
        for b in rows { lines.append(TableView.row(b, layout: layout, state: state, selected: false).text) }
        return lines.map { $0.trimmingTrailingSpaces() + "\n" }.joined()
    }
}
