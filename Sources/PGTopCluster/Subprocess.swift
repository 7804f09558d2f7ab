import Glibc

/// Runs programs with `posix_spawn`, without Foundation.
///
///     let r = Subprocess.run(["pg_ctl", "--version"])          // waits; r.status == 0
///     r.output                                                 // "pg_ctl (PostgreSQL) 15.18\n"
///     let pid = try Subprocess.spawn(["sleep", "60"])          // returns at once
public enum Subprocess {
    /// How a program ended and what it printed.
    public struct Result: Sendable {
        /// The exit status, 128 + the signal number when killed, -1 when it could not start.
        public var status: Int32
        /// stdout and stderr together, in the order written.
        public var output: String
    }

    /// Runs `argv` (argv[0] a path, or a name looked up on PATH) and waits for it; stdout and
    /// stderr are collected together, stdin is /dev/null. `environment` is set on top of this
    /// process's environment; `directory` is the working directory (default: this one's).
    /// Returns when the program ends, even if a child it left behind still holds its output
    /// open; a program still running after `timeout` seconds is killed (status 128 + 9).
    public static func run(_ argv: [String], environment: [String: String] = [:], directory: String? = nil,
                           timeout: Double? = nil) -> Result {
        guard !argv.isEmpty, let pipe = Pipe.make() else { return Result(status: -1, output: "cannot run \(argv.first ?? "nothing")") }
        let spawned = start(argv, environment: environment, directory: directory, stdin: nil, output: pipe.write, newSession: false)
        close(pipe.write)
        guard case .success(let pid) = spawned else {
            close(pipe.read)
            if case .failure(let why) = spawned { return Result(status: -1, output: why) }
            return Result(status: -1, output: "")
        }
        defer { close(pipe.read) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let deadline = timeout.map { Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9 + $0 }
        var status: Int32? = nil
        while true {
            var fd = pollfd(fd: pipe.read, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fd, 1, status == nil ? 50 : 0)
            if ready > 0 {
                let n = read(pipe.read, &buffer, buffer.count)
                if n > 0 { bytes.append(contentsOf: buffer[0..<n]); continue }
                if n < 0 && errno == EINTR { continue }
                break  // end of output
            }
            if ready < 0 && errno == EINTR { continue }
            if status != nil { break }  // it ended and nothing more is waiting to be read
            status = reap(pid)
            if status == nil, let deadline {
                clock_gettime(CLOCK_MONOTONIC, &ts)
                if Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9 > deadline { kill(pid, SIGKILL) }
            }
        }
        return Result(status: status ?? wait(for: pid), output: String(decoding: bytes, as: UTF8.self))
    }

    /// The exit status of `pid` if it has ended (reaping it), nil while it runs.
    private static func reap(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == 0 { return nil }
        if r < 0 { return -1 }
        return decode(status)
    }

    private static func decode(_ status: Int32) -> Int32 {
        (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Starts `argv` and returns its pid at once; the caller reaps it (`wait(for:)`) or lets it
    /// outlive this process. stdout and stderr go to /dev/null; stdin is `stdin` (a descriptor
    /// the child gets as its fd 0) or /dev/null. With `newSession` the child gets its own
    /// session, so a Ctrl-C in this process's terminal does not reach it.
    public static func spawn(_ argv: [String], environment: [String: String] = [:], directory: String? = nil,
                             stdin: Int32? = nil, newSession: Bool = false) throws(ClusterError) -> pid_t {
        guard !argv.isEmpty else { throw ClusterError("cannot run an empty command") }
        switch start(argv, environment: environment, directory: directory, stdin: stdin, output: nil, newSession: newSession) {
        case .success(let pid): return pid
        case .failure(let why): throw ClusterError(why)
        }
    }

    /// Waits for `pid` to end; its exit status, or 128 + the signal that killed it.
    @discardableResult
    public static func wait(for pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return decode(status)
    }

    private enum Started { case success(pid_t), failure(String) }

    private static func start(_ argv: [String], environment: [String: String], directory: String?,
                              stdin: Int32?, output: Int32?, newSession: Bool) -> Started {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin { posix_spawn_file_actions_adddup2(&actions, stdin, 0) }
        else { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        if let output {
            posix_spawn_file_actions_adddup2(&actions, output, 1)
            posix_spawn_file_actions_adddup2(&actions, output, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        if let directory, let addChdir = Self.addChdir { _ = addChdir(&actions, directory) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 2.26+) is not visible to Swift without _GNU_SOURCE.
        // The child starts with no signal blocked and the usual actions, whatever the thread
        // that spawns it has (a test runner's worker threads block most signals).
        var flags = Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newSession { flags |= 0x80 }
        posix_spawnattr_setflags(&attributes, flags)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGWINCH, SIGTSTP] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var cargs = argv.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        var cenv = mergedEnvironment(environment).map { strdup($0) } + [nil]
        defer { for p in cenv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], &actions, &attributes, &cargs, &cenv)
        guard rc == 0 else { return .failure("cannot run \(argv[0]): \(String(cString: strerror(rc)))") }
        return .success(pid)
    }

    /// This process's environment with `overrides` set, as `NAME=value` strings.
    private static func mergedEnvironment(_ overrides: [String: String]) -> [String] {
        var entries: [String] = []
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
            if overrides[name] == nil { entries.append(text) }
            p += 1
        }
        for (name, value) in overrides.sorted(by: { $0.key < $1.key }) { entries.append("\(name)=\(value)") }
        return entries
    }

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+), looked up at run time because
    /// Swift's Glibc module does not declare it.
    private static let addChdir: AddChdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChdir.self) }
}
