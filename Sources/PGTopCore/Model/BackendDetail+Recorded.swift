extension BackendDetail {
    /// A replay's detail: what the recording has of `backend` at the sample `t` (µs since the
    /// epoch), named as `pg_stat_activity` names it, times in `clock`'s local time. The
    /// recording keeps the refresh's fields (the query as the table had it, cut to 256
    /// characters) and, of the locks, what a waiter waited for (`lock_mode`, `lock_target`,
    /// `blocked_by`); no xid ages, no locks held.
    public static func recorded(_ backend: Backend, at t: Int64, clock: WallClock) -> BackendDetail {
        let b = backend
        func time(_ age: Double?) -> String {
            guard let age else { return "" }
            return clock.dateTime(t - Int64((age * 1_000_000).rounded()))
        }
        var fields = [Field("datname", b.database), Field("pid", String(b.pid))]
        if let leader = b.leaderPid { fields.append(Field("leader_pid", String(leader))) }
        fields += [Field("usename", b.user), Field("application_name", b.application), Field("client", b.client),
                   Field("backend_start", b.id.startKnown ? clock.dateTime(b.id.start) : ""),
                   Field("xact_start", time(b.transactionAge)), Field("query_start", time(b.queryAge)),
                   Field("state_change", b.stateChange.map(clock.dateTime) ?? ""),
                   Field("wait_event_type", b.waitEventType), Field("wait_event", b.waitEvent),
                   Field("state", b.state == .none ? "" : b.state.fullLabel), Field("backend_type", b.backendType),
                   Field("superuser", b.superuser ? "yes" : "no")]
        if let source = b.transactionAgeSource, source != .xactStart {
            fields.append(Field("xact_start_source", source.rawValue))
        }
        fields.append(Field("query", b.query))
        var locks: [String] = []
        if b.waiting {
            var line = "WAITS for " + (b.lockMode.isEmpty ? "a lock" : b.lockMode)
            if !b.lockTarget.isEmpty { line += " on \(b.lockTarget)" }
            if !b.blockedBy.isEmpty { line += " held by " + b.blockedBy.map(String.init).joined(separator: ", ") }
            locks.append(line)
        }
        return BackendDetail(id: b.id, fields: fields, locks: locks, recorded: true)
    }
}
