import Glibc

/// A small process that shuts a cluster (or a pooler) down and removes its directory once this
/// process has ended, however it ended: it waits for end-of-file on a pipe whose only writer is
/// this process, which the kernel closes even on SIGKILL or a crash.
///
///     let watcher = try ExitWatcher.start(directory: cluster.directory)
///     let watcher = try ExitWatcher.start(directory: pooler.directory, script: ExitWatcher.poolerScript)
///     // ... later, after a normal stop:
///     watcher.release()   // it finds nothing left to do and exits
struct ExitWatcher {
    let pid: pid_t
    private let writeEnd: Int32

    /// `$1`: the cluster directory. Immediate shutdown (SIGQUIT to the postmaster), SIGKILL
    /// after 10 s, then the directory goes.
    static let script = stopScript(pidfile: "data/postmaster.pid", signal: "QUIT", tenths: 100)

    /// `$1`: a pooler's directory. SIGTERM to the PgBouncer named by its pidfile (immediate
    /// shutdown), SIGKILL after 5 s, then the directory goes.
    static let poolerScript = stopScript(pidfile: "pgbouncer.pid", signal: "TERM", tenths: 50)

    /// `$1`: a `ThrowawayPatroni`'s directory. SIGTERM to every patroni (each stops its
    /// PostgreSQL), SIGKILL after 15 s; then SIGQUIT to any PostgreSQL left, SIGKILL after 5 s;
    /// then etcd; then the directory goes.
    static let patroniScript = """
        read -r _ || true
        stop() {
            pid=$(head -n 1 "$1" 2>/dev/null)
            [ -n "$pid" ] || return 0
            kill -$2 "$pid" 2>/dev/null
            i=0
            while kill -0 "$pid" 2>/dev/null && [ $i -lt $3 ]; do sleep 0.1; i=$((i + 1)); done
            kill -KILL "$pid" 2>/dev/null
        }
        for f in "$1"/node*.pid; do [ -f "$f" ] && stop "$f" TERM 150 & done; wait
        for f in "$1"/node*-data/postmaster.pid; do [ -f "$f" ] && stop "$f" QUIT 50 & done; wait
        [ -f "$1/etcd.pid" ] && stop "$1/etcd.pid" TERM 50
        rm -rf "$1"
        """

    /// Waits for end-of-file on stdin, then sends `signal` to the process named by `$1/pidfile`,
    /// SIGKILL after `tenths` tenths of a second, and removes `$1`.
    static func stopScript(pidfile: String, signal: String, tenths: Int) -> String {
        """
        read -r _ || true
        pidfile="$1/\(pidfile)"
        if [ -f "$pidfile" ]; then
            pid=$(head -n 1 "$pidfile")
            kill -\(signal) "$pid" 2>/dev/null
            i=0
            while kill -0 "$pid" 2>/dev/null && [ $i -lt \(tenths) ]; do sleep 0.1; i=$((i + 1)); done
            kill -KILL "$pid" 2>/dev/null
        fi
        rm -rf "$1"
        """
    }

    static func start(directory: String, script: String = ExitWatcher.script) throws(ClusterError) -> ExitWatcher {
        // Both ends close on exec: no other child (pg_ctl, the server) may hold the writer.
        guard let pipe = Pipe.make() else { throw ClusterError("cannot make a pipe: \(String(cString: strerror(errno)))") }
        defer { close(pipe.read) }
        do {
            let pid = try Subprocess.spawn(["/bin/sh", "-c", script, "pgtop-cluster-watcher", directory],
                                           directory: "/", stdin: pipe.read, newSession: true)
            return ExitWatcher(pid: pid, writeEnd: pipe.write)
        } catch {
            close(pipe.write)
            throw error
        }
    }

    /// Lets the watcher go (it cleans up whatever is left) and waits for it.
    func release() {
        close(writeEnd)
        Subprocess.wait(for: pid)
    }
}
