import Glibc

/// Who runs the server programs. PostgreSQL refuses to run as root, so as root they run as the
/// OS user `postgres` (created by `apt-get install postgresql`) through `runuser` (or
/// `setpriv`); otherwise as the current user.
///
///     let owner = try ServerOwner.current()
///     try owner.give(directory)                       // chown to postgres when root, mode 0700
///     owner.run(["/usr/lib/postgresql/15/bin/pg_ctl", "--version"], in: directory)
struct ServerOwner {
    struct User {
        let name: String
        let uid: uid_t
        let gid: gid_t
        /// The command that runs argv as this user: `runuser -u postgres --`.
        let prefix: [String]
    }

    /// nil: the current user.
    let user: User?

    static func current() throws(ClusterError) -> ServerOwner {
        guard geteuid() == 0 else { return ServerOwner(user: nil) }
        guard let pw = getpwnam("postgres") else {
            throw ClusterError("running as root needs an OS user 'postgres' to own the server (apt-get install postgresql creates it)")
        }
        let uid = pw.pointee.pw_uid, gid = pw.pointee.pw_gid
        let prefix: [String]
        if let runuser = firstExecutable(["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]) {
            prefix = [runuser, "-u", "postgres", "--"]
        } else if let setpriv = firstExecutable(["/usr/bin/setpriv", "/bin/setpriv"]) {
            prefix = [setpriv, "--reuid=\(uid)", "--regid=\(gid)", "--init-groups", "--"]
        } else {
            throw ClusterError("running as root needs runuser or setpriv (util-linux) to run the server as the OS user 'postgres'")
        }
        return ServerOwner(user: User(name: "postgres", uid: uid, gid: gid, prefix: prefix))
    }

    /// Makes `path` the owner's, private to it.
    func give(_ path: String) throws(ClusterError) {
        if let user, chown(path, user.uid, user.gid) != 0 {
            throw ClusterError("cannot give \(path) to the OS user postgres: \(String(cString: strerror(errno)))")
        }
        chmod(path, 0o700)
    }

    /// Runs `argv` as the owner, in `directory` (a place the owner can enter); killed after
    /// `timeout` seconds if given.
    func run(_ argv: [String], in directory: String? = nil, timeout: Double? = nil) -> Subprocess.Result {
        Subprocess.run((user?.prefix ?? []) + argv, directory: directory, timeout: timeout)
    }

    /// Writes a file the owner can read and write.
    func write(_ text: String, to path: String) throws(ClusterError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ClusterError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw ClusterError("cannot write \(path): \(String(cString: strerror(errno)))") }
        if let user { fchown(fd, user.uid, user.gid) }
    }

    private static func firstExecutable(_ paths: [String]) -> String? {
        paths.first { access($0, X_OK) == 0 }
    }
}
