/// `--once --terminate/--cancel --yes --format json`: one JSON object per target (JSON Lines),
/// the backend as the selection showed it and what became of it. Schema:
/// docs/pgtop-outcome.schema.json.
///
///     {"action":"terminate","pid":4211,"backend_start":"2026-11-25T01:00:00.000Z","pid_only":false,
///      "user":"app","database":"shop","application":"orders-api","result":"signalled","outcome":"terminated"}
public enum OutcomeExport {
    public static let fields = ["action", "pid", "backend_start", "pid_only", "user", "database", "application", "result", "outcome"]

    /// One line for `id`; `backend` as it was selected (nil: not known, its texts are null).
    public static func json(_ kind: SignalKind, id: BackendID, backend: Backend?, outcome: SignalOutcome, pidOnly: Bool) -> String {
        func text(_ s: String?) -> String { s.map(Export.jsonString) ?? "null" }
        let values: [String] = [
            Export.jsonString(kind.rawValue),
            String(id.pid),
            id.startKnown ? Export.jsonString(AuditLine.iso8601(Double(id.start) / 1_000_000)) : "null",
            pidOnly && !id.startKnown ? "true" : "false",
            text(backend?.user), text(backend?.database), text(backend?.application),
            Export.jsonString(result(outcome)),
            Export.jsonString(AuditLine.describe(outcome, kind)),
        ]
        return "{" + zip(fields, values).map { "\"\($0)\":\($1)" }.joined(separator: ",") + "}\n"
    }

    /// The outcome's kind, for scripts: `signalled`, `gone`, `denied`, `failed`, `unknown`, `settled`.
    static func result(_ outcome: SignalOutcome) -> String {
        switch outcome {
        case .signalled: return "signalled"
        case .gone: return "gone"
        case .denied: return "denied"
        case .failed: return "failed"
        case .unknown: return "unknown"
        case .settled: return "settled"
        }
    }
}
