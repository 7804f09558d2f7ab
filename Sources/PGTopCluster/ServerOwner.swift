import Glibc

/// Who runs the server programs. PostgreSQL refuses root, so as root they run as the OS user
/// `postgres` (created by `apt-get install postgresql`); otherwise as the current user.
struct ServerOwner {
    /// nil: the current user.
    let user: (name: String, uid: uid_t, gid: gid_t)?

    init(user: (name: String, uid: uid_t, gid: gid_t)?) { self.user = user }

    static func current() throws -> ServerOwner {
        guard geteuid() == 0 else { return ServerOwner(user: nil) }
        guard let pw = getpwnam("postgres") else {
            throw ClusterError("running as root needs an OS user 'postgres' to own the server (apt-get install postgresql creates it)")
        }
        return ServerOwner(user: ("postgres", pw.pointee.pw_uid, pw.pointee.pw_gid))
    }

    /// Makes `path` the owner's, private to it.
    func give(_ path: String) throws {
        if let user, chown(path, user.uid, user.gid) != 0 {
            throw ClusterError("cannot give \(path) to the postgres user: \(String(cString: strerror(errno)))")
        }
        chmod(path, 0o700)
    }

    func run(_ argv: [String]) -> Subprocess.Result {
        guard let user else { return Subprocess.run(argv) }
        return Subprocess.run(["runuser", "-u", user.name, "--"] + argv)
    }

    func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw ClusterError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if let user { fchown(fd, user.uid, user.gid) }
    }
}

/// A TCP port nobody listens on: bind port 0 on loopback and read what the kernel chose.
enum FreePort {
    static func find() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return Int.random(in: 20000...60000) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        return ok ? Int(UInt16(bigEndian: addr.sin_port)) : Int.random(in: 20000...60000)
    }
}
