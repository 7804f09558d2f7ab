import Glibc

/// Finding PostgreSQL's server programs and their version.
///
///     let bin = try ServerBinaries.locate(nil)   // "/usr/lib/postgresql/15/bin"
///     ServerBinaries.version(bin)                // 150018
enum ServerBinaries {
    static let programs = ["initdb", "pg_ctl", "postgres"]

    /// The directory holding `initdb`, `pg_ctl` and `postgres`: the one given, else the one
    /// `initdb` on PATH resolves to (through symlinks), else the newest
    /// `/usr/lib/postgresql/*/bin` (Debian's layout, where they are not on PATH).
    static func locate(_ given: String?, searchPath: String? = getenv("PATH").map { String(cString: $0) }) throws(ClusterError) -> String {
        if let given {
            let missing = programs.filter { access(given + "/" + $0, X_OK) != 0 }
            guard missing.isEmpty else { throw ClusterError("no \(missing.joined(separator: ", ")) in \(given)") }
            return given
        }
        if let path = searchPath {
            for dir in path.split(separator: ":").map(String.init) where !dir.isEmpty && access(dir + "/initdb", X_OK) == 0 {
                // /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb: use the real directory.
                for candidate in [resolve(dir + "/initdb").map(parent), dir].compactMap({ $0 }) where hasAll(candidate) {
                    return candidate
                }
            }
        }
        var best: (major: Int, dir: String)?
        if let d = opendir("/usr/lib/postgresql") {
            defer { closedir(d) }
            while let entry = readdir(d) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                // "15", "9.6": compare as major * 100 + minor so that 10 beats 9.6.
                let parts = name.split(separator: ".").map { Int($0) }
                guard let major = parts.first ?? nil, parts.allSatisfy({ $0 != nil }) else { continue }
                let rank = major * 100 + (parts.count > 1 ? parts[1]! : 0)
                let dir = "/usr/lib/postgresql/\(name)/bin"
                if hasAll(dir), rank > (best?.major ?? -1) { best = (rank, dir) }
            }
        }
        if let best { return best.dir }
        throw ClusterError("PostgreSQL server programs (initdb, pg_ctl, postgres) not found on PATH nor in /usr/lib/postgresql/*/bin: install them (apt-get install postgresql) or name their directory")
    }

    /// `server_version_num` of the binaries, from `postgres --version`
    /// ("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" gives 150018, "9.6.24" 90624).
    static func version(_ bin: String) -> Int {
        parseVersion(Subprocess.run([bin + "/postgres", "--version"]).output)
    }

    static func parseVersion(_ text: String) -> Int {
        guard let token = text.split(separator: " ").first(where: { $0.first?.isNumber == true }) else { return 0 }
        let parts = token.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
        let major = parts.first ?? 0
        let minor = parts.count > 1 ? parts[1] : 0
        return major >= 10 ? major * 10000 + minor : major * 10000 + minor * 100 + (parts.count > 2 ? parts[2] : 0)
    }

    private static func hasAll(_ dir: String) -> Bool {
        programs.allSatisfy { access(dir + "/" + $0, X_OK) == 0 }
    }

    private static func resolve(_ path: String) -> String? {
        guard let r = realpath(path, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    private static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}
