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
