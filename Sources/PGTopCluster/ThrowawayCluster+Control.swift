import Glibc

extension ThrowawayCluster {
    /// Runs `pg_ctl` on this cluster as its owner, for tests that stop, start or restart the
    /// server under a running pgtop: `cluster.pgctl(["-m", "fast", "-w", "restart"])`.
    @discardableResult
    public func pgctl(_ arguments: [String]) -> Subprocess.Result {
        let owner = (try? ServerOwner.current()) ?? ServerOwner(user: nil)
        return owner.run([binDirectory + "/pg_ctl", "-D", dataDirectory, "-l", logPath] + arguments, in: directory)
    }

    /// The postmaster's pid, from postmaster.pid; nil when the server is not running.
    public var postmasterPid: pid_t? {
        let text = ThrowawayCluster.readFile(dataDirectory + "/postmaster.pid")
        return text.split(separator: "\n").first.flatMap { pid_t($0) }
    }
}

extension ThrowawayCluster {
    /// Promotes a standby (`startStandby`) to a primary: `pg_ctl promote -w`, which returns once
    /// it has left recovery and takes writes, on a new timeline.
    public func promote() throws(ClusterError) {
        let result = pgctl(["-w", "-t", "60", "promote"])
        guard result.status == 0 else {
            throw ClusterError("pg_ctl promote failed (exit \(result.status)): \(ClusterError.tail(result.output))")
        }
    }
}
