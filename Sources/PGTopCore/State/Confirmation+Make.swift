extension Confirmation {
    /// Builds the question for `targets`, with what they are and reasons to think twice.
    /// `shown`: the rows on screen now (a marked target the filter or view hides is counted);
    /// `pidOnly`: some targets' backend_start is hidden and the user allowed the pid alone;
    /// `idleWarn`: targets idle in transaction for less than this are pointed out (a healthy
    /// transaction marked along with the stuck ones).
    ///
    ///     Terminate 3 backends (4211, 4212, 4230)? [y/N]
    ///     Terminate 3 backends (4211, 4212, 4230; 2 not shown now)? [y/N]
    ///     Terminate 1 backend (4001) by PID ONLY? [y/N]
    static func make(kind: SignalKind, targets: [Backend], all: [Backend], shown: Set<BackendID>? = nil,
                     elapsed: ElapsedMode, pidOnly: Bool = false, idleWarn: Double? = nil,
                     serverVersion: Int = 150000) -> Confirmation {
        let pids = targets.map(\.pid)
        let listed = pids.prefix(6).map(String.init).joined(separator: ", ")
        let more = pids.count > 6 ? ", +\(pids.count - 6) more" : ""
        let noun = targets.count == 1 ? "backend" : "backends"
        let hiddenNow = shown.map { shown in targets.filter { !shown.contains($0.id) }.count } ?? 0
        let offScreen = hiddenNow > 0 ? "; \(hiddenNow) not shown now" : ""
        let blind = targets.filter { !$0.id.startKnown }
        let byPid = pidOnly && !blind.isEmpty ? " by PID ONLY" : ""
        let question = "\(kind.verb) \(targets.count) \(noun) (\(listed)\(more)\(offScreen))\(byPid)? [y/N]"

        var groups: [(label: String, count: Int, oldest: Double?, youngest: Double?)] = []
        var young = 0
        for backend in targets {
            let label = backend.isClientBackend
                ? backend.state.fullLabel
                : backend.backendType
            let age = backend.state.isIdleInTransaction ? (backend.transactionAge ?? backend.queryAge) : backend.age(elapsed)
            if backend.state.isIdleInTransaction, let age, let idleWarn, age < idleWarn { young += 1 }
            if let i = groups.firstIndex(where: { $0.label == label }) {
                groups[i].count += 1
                if let age, age > (groups[i].oldest ?? -1) { groups[i].oldest = age }
                if let age, age < (groups[i].youngest ?? .infinity) { groups[i].youngest = age }
            } else {
                groups.append((label, 1, age, age))
            }
        }
        let summary = groups.map { g in
            guard let oldest = g.oldest else { return "\(g.count) \(g.label)" }
            let youngest = g.count > 1 ? g.youngest.map { ", youngest \(Format.duration($0))" } ?? "" : ""
            return "\(g.count) \(g.label), oldest \(Format.duration(oldest))\(youngest)"
        }.joined(separator: "; ")

        var warnings: [String] = []
        if !blind.isEmpty && pidOnly {
            warnings.append("pid only for \(blind.count): backend_start hidden (needs \(HiddenStart.privilege(serverVersion: serverVersion))),"
                            + " a session given the same pid would be signalled")
        }
        if hiddenNow > 0 {
            warnings.append("\(hiddenNow) of them not shown by the current filter/view")
        }
        if young > 0, let idleWarn {
            warnings.append("\(young) idle in transaction for less than \(Format.duration(idleWarn)) (idle-warn)")
        }
        let targetPids = Set(pids)
        let waiters = all.filter { !$0.blockedBy.isEmpty && !targetPids.contains($0.pid) && $0.blockedBy.contains(where: targetPids.contains) }
        if !waiters.isEmpty {
            let behind = BlockingTree.released(by: Set(targets.map(\.id)), in: all)
            let all = behind > waiters.count ? " (\(behind) held up in all, through them)" : ""
            warnings.append("holds locks \(waiters.count) other session(s) wait for\(all)")
        }
        let superusers = targets.filter { $0.isClientBackend && $0.superuser }
        if !superusers.isEmpty {
            let names = Set(superusers.map(\.user)).sorted().prefix(3).joined(separator: ", ")
            warnings.append("\(superusers.count) superuser session(s) (\(names))")
        }
        let background = targets.filter { !$0.isClientBackend }
        if !background.isEmpty {
            warnings.append("\(background.count) background process(es): \(background.map(\.backendType).joined(separator: ", "))")
        }
        return Confirmation(kind: kind, targets: targets.map(\.id), backends: targets, pidOnly: pidOnly && !blind.isEmpty, question: question,
                            summary: summary, warnings: warnings)
    }

    /// Why `k`/`c` refuses targets whose backend_start is hidden, when pid only is not allowed:
    /// `Terminate refused for 4001: its backend_start is hidden ...; nothing was sent`.
    public static func refusal(kind: SignalKind, blind: [Backend], serverVersion: Int) -> String {
        let pids = blind.prefix(6).map { String($0.pid) }.joined(separator: ", ") + (blind.count > 6 ? ", +\(blind.count - 6) more" : "")
        return "\(kind.verb) refused for \(pids): \(HiddenStart.refusal(kind, serverVersion: serverVersion)); nothing was sent"
    }
}
