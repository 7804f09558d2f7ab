import Glibc

extension ServerOwner {
    /// Starts `argv` as the owner in the background, its stdout and stderr appended to `log`, its
    /// pid written to `pidfile` by the program itself (a shell that writes `$$` and then execs it,
    /// so the pid is the program's even when `runuser` forks in between). Returns the pid of the
    /// child this process must reap (`runuser` or the shell); signal the program through `pidfile`.
    ///
    ///     let child = try owner.daemon(["/usr/bin/etcd", "--name", "e1"], pidfile: dir + "/etcd.pid", log: dir + "/etcd.log", in: dir)
    func daemon(_ argv: [String], pidfile: String, log: String, in directory: String,
                environment: [String: String] = [:]) throws(ClusterError) -> pid_t {
        let script = #"pidfile=$1 log=$2; shift 2; echo $$ > "$pidfile"; exec "$@" >>"$log" 2>&1"#
        return try Subprocess.spawn((user?.prefix ?? []) + ["/bin/sh", "-c", script, "pgtop-daemon", pidfile, log] + argv,
                                    environment: environment, directory: directory, newSession: true)
    }
}

/// A pid read from the first line of `path`; nil when the file is missing or holds no pid.
func readPid(_ path: String) -> pid_t? {
    ThrowawayCluster.readFile(path).split(separator: "\n").first.flatMap { pid_t($0.trimmingSpaces()) }.flatMap { $0 > 1 ? $0 : nil }
}

/// True while `pid` runs (a zombie does not count: it has ended, its parent has not reaped it).
func isRunning(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    let stat = ThrowawayCluster.readFile("/proc/\(pid)/stat")
    guard let paren = stat.lastIndex(of: ")") else { return true }
    return !stat[paren...].hasPrefix(") Z")
}

/// Sends `signal` to each pid, waits up to `seconds` for all of them to end, then SIGKILLs the rest.
func terminate(_ pids: [pid_t], signal: Int32 = SIGTERM, seconds: Double) {
    for pid in pids { kill(pid, signal) }
    var waited = 0.0
    while waited < seconds && pids.contains(where: isRunning) {
        usleep(50_000)
        waited += 0.05
    }
    for pid in pids where isRunning(pid) { kill(pid, SIGKILL) }
}
