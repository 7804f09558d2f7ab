extension Confirmation {
    /// Builds the question for `targets`, with what they are and reasons to think twice.
    ///
    ///     Terminate 3 backends (4211, 4212, 4230)? [y/N]
    static func make(kind: SignalKind, targets: [Backend], all: [Backend], elapsed: ElapsedMode) -> Confirmation {
        let pids = targets.map(\.pid)
        let shown = pids.prefix(6).map(String.init).joined(separator: ", ")
        let more = pids.count > 6 ? ", +\(pids.count - 6) more" : ""
        let noun = targets.count == 1 ? "backend" : "backends"
        let question = "\(kind.verb) \(targets.count) \(noun) (\(shown)\(more))? [y/N]"

        var groups: [(label: String, count: Int, oldest: Double?)] = []
        for backend in targets {
            let label = backend.isClientBackend
                ? backend.state.fullLabel
                : backend.backendType
            let age = backend.state.isIdleInTransaction ? (backend.transactionAge ?? backend.queryAge) : backend.age(elapsed)
            if let i = groups.firstIndex(where: { $0.label == label }) {
                groups[i].count += 1
                if let age, age > (groups[i].oldest ?? -1) { groups[i].oldest = age }
            } else {
                groups.append((label, 1, age))
            }
        }
        let summary = groups.map { g in
            g.oldest.map { "\(g.count) \(g.label), oldest \(Format.duration($0))" } ?? "\(g.count) \(g.label)"
        }.joined(separator: "; ")

        var warnings: [String] = []
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
        return Confirmation(kind: kind, targets: targets.map(\.id), question: question, summary: summary, warnings: warnings)
    }
}
