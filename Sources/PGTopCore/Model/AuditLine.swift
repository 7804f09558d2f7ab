/// One line of the audit log: a cancel or terminate pgtop sent, for one backend, and how it
/// went (and, for an answer that never came, a second line when the next refresh settles it).
/// Fields are `name=value` separated by one space, a value plain or in double quotes with its
/// special characters escaped (see `quote`: no value can hold a `name=` or anything a shell
/// would expand), the query last and cut, so that `grep ' pid=4211 '` or
/// `grep ' outcome=denied'` finds what is wanted and nothing else.
///
///     2026-11-25T03:50:12.031Z server=db1:5432/shop role=postgres action=terminate pid=4211
///     backend_start=2026-11-25T01:00:00.000Z user=app database=shop application=orders-api
///     client=10.0.0.5 state="idle in transaction" elapsed=13248s outcome=terminated query="UPDATE ..."
///     (on one line)
public enum AuditLine {
    /// The longest query text written per line.
    public static let queryLimit = 200

    /// `pidOnly`: the action was asked for by pid alone (`guard="pid only"`); a backend_start
    /// pgtop could not see is written `backend_start=unknown`.
    public static func make(time: Double, server: String, role: String, kind: SignalKind, id: BackendID,
                            backend: Backend?, outcome: SignalOutcome, pidOnly: Bool = false) -> String {
        var fields: [(String, String)] = [
            ("server", server), ("role", role), ("action", kind.rawValue),
            ("pid", "\(id.pid)"), ("backend_start", id.startKnown ? iso8601(Double(id.start) / 1_000_000) : "unknown"),
        ]
        if pidOnly && !id.startKnown { fields.append(("guard", "pid only")) }
        if let b = backend {
            fields += [("user", b.user), ("database", b.database), ("application", b.application),
                       ("client", b.client), ("state", b.isClientBackend ? b.state.fullLabel : b.backendType)]
            let age = b.state.isIdleInTransaction ? b.transactionAge : b.queryAge
            fields.append(("elapsed", age.map { "\(Int($0))s" } ?? ""))
        }
        fields.append(("outcome", describe(outcome, kind)))
        if let b = backend { fields.append(("query", String(b.query.prefix(queryLimit)))) }
        return ([iso8601(time)] + fields.map { "\($0.0)=\(quote($0.1))" }).joined(separator: " ")
    }

    /// One outcome in words: `terminated`, `already gone`, `denied: ...`.
    public static func describe(_ outcome: SignalOutcome, _ kind: SignalKind) -> String {
        switch outcome {
        case .signalled: return kind.pastTense
        case .gone: return "already gone"
        case .denied(let why): return "denied: \(why)"
        case .failed(let why): return "failed: \(why)"
        case .unknown(let why): return "unknown: \(why)"
        case .settled(let what): return "settled: \(what)"
        }
    }

    /// The value as is when it is plain (ASCII letters, digits and `. _ - : / @ + , %` only,
    /// not empty), else in double quotes with every character that a shell, a terminal or a
    /// grep could take for something else escaped, so that a line is safe to paste into a
    /// shell, to show on a terminal and to grep by field:
    ///
    /// - `\"`, `\\`, `\$` and `` \` `` (nothing expands inside the quotes);
    /// - `\=`: no value ever holds `name=`, so `grep ' outcome=denied'` matches only the field;
    /// - `\n`, `\r`, `\t`, and `\u{XXXX}` (hex code point) for every other control character
    ///   (C0, DEL, C1), format character (bidi controls, zero-width spaces and joiners, soft
    ///   hyphen), line or paragraph separator, space other than U+0020, private-use or
    ///   unassigned code point.
    ///
    /// Everything else (letters of any script, spaces) is kept: nothing is lost, `\u{..}` reads back.
    ///
    ///     quote("evil-$(id>/tmp/x)")   // "evil-\$(id>/tmp/x)"  (with the quotes)
    ///     quote("x pid=1")             // "x pid\=1"
    public static func quote(_ value: String) -> String {
        var plain = !value.isEmpty
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"", "\\", "$", "`", "=":
                out += "\\"
                out.unicodeScalars.append(scalar)
                plain = false
            case "\n": out += "\\n"; plain = false
            case "\r": out += "\\r"; plain = false
            case "\t": out += "\\t"; plain = false
            default:
                if isHidden(scalar) {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                    plain = false
                    continue
                }
                out.unicodeScalars.append(scalar)
                if !(scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                                        || ".-_:/@+,%".unicodeScalars.contains(scalar))) {
                    plain = false
                }
            }
        }
        return plain ? out : "\"\(out)\""
    }

    /// Characters that do not show as themselves: controls, formats (bidi, zero-width),
    /// separators other than the plain space, private-use, unassigned and surrogate code points.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate:
            return true
        case .spaceSeparator:
            return scalar != " "
        default:
            return false
        }
    }

    /// `2026-11-25T03:50:12.031Z` from seconds since the Unix epoch (UTC, milliseconds).
    public static func iso8601(_ seconds: Double) -> String {
        let millis = Int64((seconds * 1000).rounded(.down))
        var days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let msOfDay = millis - days * 86_400_000
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let h = msOfDay / 3_600_000, m = msOfDay / 60_000 % 60, s = msOfDay / 1000 % 60, ms = msOfDay % 1000
        func pad(_ n: Int64, _ width: Int) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }
}
