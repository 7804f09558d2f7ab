import Glibc

extension ThrowawayPatroni {
    /// The members as `GET /cluster` lists them, asked of the first member whose REST API
    /// answers (any member's view is the store's).
    public func members() throws(ClusterError) -> [PatroniMember] {
        let asked = stoppedMembers.withLock { stopped in nodes.filter { !stopped.contains($0.name) } }
        for node in asked {
            if let r = LoopbackHTTP.request(port: node.restPort, path: "/cluster", timeout: 3), r.status == 200,
               let members = PatroniMember.decodeCluster(r.body) {
                return members
            }
        }
        throw ClusterError("no member's REST API answered GET /cluster: \(logTails())")
    }

    /// The member holding the leader lock.
    public func leader() throws(ClusterError) -> PatroniMember {
        let all = try members()
        guard let leader = all.first(where: \.isLeader) else {
            throw ClusterError("no leader in /cluster: \(Self.describe(all))")
        }
        return leader
    }

    /// A planned switchover to `candidate` with `patronictl switchover --force`; returns the
    /// new leader once `/cluster` names it (the old one rejoins as a replica shortly after:
    /// `waitUntilSettled`).
    @discardableResult
    public func switchover(to candidate: String, timeout: Double = 60) throws(ClusterError) -> PatroniMember {
        let node = try node(candidate)
        let current = try leader()
        guard current.name != candidate else { throw ClusterError("\(candidate) is the leader already") }
        let r = patronictl(["switchover", "--leader", current.name, "--candidate", candidate, "--force"],
                           member: node.name, timeout: timeout)
        guard r.status == 0 else {
            throw ClusterError("patronictl switchover to \(candidate) failed (exit \(r.status)): \(ClusterError.tail(r.output))")
        }
        return try waitForLeader(timeout: timeout) { $0.name == candidate }
    }

    /// Runs `patronictl -c nodeN.yml ARGUMENTS` as the members' owner: `patronictl(["list", "-f", "json"])`.
    public func patronictl(_ arguments: [String], member: String? = nil, timeout: Double = 60) -> Subprocess.Result {
        let node = nodes.first { $0.name == member } ?? nodes[0]
        return owner.run([install.patronictl, "-c", node.configPath] + arguments, in: directory, timeout: timeout)
    }

    /// A crash of the leader: SIGKILL to its postmaster. Its patroni then hands the leader lock
    /// over at once (`primary_start_timeout` 0), a replica is promoted, and the old leader comes
    /// back as a replica of it (`pg_rewind` when needed). Returns the old leader's name.
    @discardableResult
    public func killLeader() throws(ClusterError) -> String {
        let leader = try leader()
        let node = try node(leader.name)
        guard let pid = readPid(node.dataDirectory + "/postmaster.pid"), kill(pid, SIGKILL) == 0 else {
            throw ClusterError("the leader \(leader.name)'s postmaster is not running")
        }
        return leader.name
    }

    /// Waits for a running leader other than `old` (any leader when nil); it, or an error with
    /// what `/cluster` said last and the logs' tails.
    @discardableResult
    public func waitForLeader(not old: String? = nil, timeout: Double = 60) throws(ClusterError) -> PatroniMember {
        try waitForLeader(timeout: timeout) { $0.name != old }
    }

    private func waitForLeader(timeout: Double, _ accept: (PatroniMember) -> Bool) throws(ClusterError) -> PatroniMember {
        var last: [PatroniMember] = []
        let ok = Self.poll(timeout: timeout) {
            last = (try? members()) ?? last
            return last.contains { $0.isLeader && $0.state == "running" && accept($0) }
        }
        guard ok, let leader = last.first(where: { $0.isLeader && $0.state == "running" && accept($0) }) else {
            throw ClusterError("no new leader in \(Int(timeout)) s: /cluster: \(Self.describe(last)); \(logTails())")
        }
        return leader
    }

    /// Waits until `/cluster` shows one running leader and every other member that is not
    /// stopped streaming from it on its timeline.
    public func waitUntilSettled(timeout: Double = 60) throws(ClusterError) {
        let expected = stoppedMembers.withLock { stopped in Set(memberNames.filter { !stopped.contains($0) }) }
        var last: [PatroniMember] = []
        var dead: String?
        let ok = Self.poll(timeout: timeout) {
            dead = firstDead()
            last = (try? members()) ?? last
            return dead != nil || Self.settled(last, expected: expected)
        }
        if let dead { throw ClusterError("\(dead) exited: \(logTails())") }
        guard ok else {
            throw ClusterError("the Patroni cluster did not settle in \(Int(timeout)) s (one leader, the others streaming): /cluster: \(Self.describe(last)); \(logTails())")
        }
    }

    /// "etcd" or the member whose patroni has ended though it should run; nil when all run
    /// (or have not written their pidfile yet).
    func firstDead() -> String? {
        let stopped = stoppedMembers.withLock { $0 }
        let expected = [("etcd", directory + "/etcd.pid")] + nodes.filter { !stopped.contains($0.name) }.map { ($0.name, $0.pidPath) }
        return expected.first { readPid($0.1).map { !isRunning($0) } ?? false }?.0
    }

    /// Stops `member`'s patroni (SIGTERM: it stops its PostgreSQL; a leader hands over first),
    /// so it drops out of `/cluster`.
    public func stopMember(_ member: String) throws(ClusterError) {
        let node = try node(member)
        stoppedMembers.withLock { _ = $0.insert(member) }
        terminate(readPid(node.pidPath).map { [$0] } ?? [], seconds: 30)
        if let child = children.withLock({ $0.removeValue(forKey: member) }) { Subprocess.wait(for: child) }
    }

    /// Starts a stopped member's patroni again: it rejoins as a replica (`waitUntilSettled`).
    public func startMember(_ member: String) throws(ClusterError) {
        let node = try node(member)
        guard stoppedMembers.withLock({ $0.remove(member) }) != nil else { throw ClusterError("\(member) is not stopped") }
        try spawn(node)
    }

    /// One running leader among `expected`, every other expected member streaming on its
    /// timeline; members not expected (stopped, still listed until their key expires) aside.
    static func settled(_ members: [PatroniMember], expected: Set<String>) -> Bool {
        let counted = members.filter { expected.contains($0.name) }
        guard Set(counted.map(\.name)) == expected else { return false }
        let leaders = members.filter(\.isLeader)
        guard leaders.count == 1, let leader = leaders.first, leader.state == "running",
              expected.contains(leader.name) else { return false }
        return counted.allSatisfy { $0.isLeader || ($0.isStreaming && $0.timeline == leader.timeline) }
    }

    /// "node1 leader running TL2, node2 replica streaming TL2 lag 0": for errors.
    static func describe(_ members: [PatroniMember]) -> String {
        guard !members.isEmpty else { return "nothing" }
        return members.map { m in
            "\(m.name) \(m.role) \(m.state.isEmpty ? "-" : m.state)" + (m.timeline.map { " TL\($0)" } ?? "") + (m.lag.map { " lag \($0)" } ?? "")
        }.joined(separator: ", ")
    }

    /// Polls `condition` every 0.2 s until it holds (true) or `timeout` seconds pass (false).
    static func poll(timeout: Double, _ condition: () -> Bool) -> Bool {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let deadline = Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9 + timeout
        while true {
            if condition() { return true }
            clock_gettime(CLOCK_MONOTONIC, &ts)
            if Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9 > deadline { return false }
            usleep(200_000)
        }
    }
}
