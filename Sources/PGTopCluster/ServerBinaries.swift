import Glibc

/// Finding PostgreSQL's server programs.
enum ServerBinaries {
    /// The directory holding `initdb` and `pg_ctl`: the one given, else the first on PATH,
    /// else the newest `/usr/lib/postgresql/*/bin`.
    static func locate(_ given: String?) throws -> String {
        if let given {
            guard access(given + "/initdb", X_OK) == 0, access(given + "/pg_ctl", X_OK) == 0 else {
                throw ClusterError("no initdb and pg_ctl in \(given)")
            }
            return given
        }
        if let path = getenv("PATH").map({ String(cString: $0) }) {
            for dir in path.split(separator: ":").map(String.init) where !dir.isEmpty {
                if access(dir + "/initdb", X_OK) == 0 && access(dir + "/pg_ctl", X_OK) == 0 {
                    return resolve(dir + "/initdb").map(parent) ?? dir
                }
            }
        }
        var best: (Int, String)?
        if let d = opendir("/usr/lib/postgresql") {
            defer { closedir(d) }
            while let entry = readdir(d) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard let major = Int(name.split(separator: ".").first ?? "") else { continue }
                let dir = "/usr/lib/postgresql/\(name)/bin"
                if access(dir + "/initdb", X_OK) == 0, major > (best?.0 ?? -1) { best = (major, dir) }
            }
        }
        if let best { return best.1 }
        throw ClusterError("PostgreSQL server programs not found (initdb, pg_ctl): install them (apt-get install postgresql) or name their directory")
    }

    /// `server_version_num` of the binaries, from `postgres --version` ("postgres (PostgreSQL) 15.18 ...").
    static func version(_ bin: String) -> Int {
        let out = Subprocess.run([bin + "/postgres", "--version"]).output
        guard let token = out.split(separator: " ").first(where: { $0.first?.isNumber == true }) else { return 0 }
        let parts = token.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
        let major = parts.first ?? 0
        let minor = parts.count > 1 ? parts[1] : 0
        return major >= 10 ? major * 10000 + minor : major * 10000 + minor * 100 + (parts.count > 2 ? parts[2] : 0)
    }

    static func resolve(_ path: String) -> String? {
        guard let r = realpath(path, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}
