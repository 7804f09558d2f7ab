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
    public static func run(_ argv: [String], environment: [String: String] = [:], directory: String? = nil) -> Result {
        guard !argv.isEmpty, let pipe = Pipe.make() else { return Result(status: -1, output: "cannot run \(argv.first ?? "nothing")") }
        let spawned = start(argv, environment: environment, directory: directory, stdin: nil, output: pipe.write, newSession: false)
        close(pipe.write)
        guard case .success(let pid) = spawned else {
            close(pipe.read)
            if case .failure(let why) = spawned { return Result(status: -1, output: why) }
            return Result(status: -1, output: "")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(pipe.read, &buffer, buffer.count)
            if n > 0 { bytes.append(contentsOf: buffer[0..<n]); continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        close(pipe.read)
        return Result(status: wait(for: pid), output: String(decoding: bytes, as: UTF8.self))
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
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
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
        if newSession { posix_spawnattr_setflags(&attributes, 0x80) }

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
