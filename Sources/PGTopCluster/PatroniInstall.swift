import Glibc

/// Where `ThrowawayPatroni`'s components are: Debian's `etcd` (package etcd-server), and
/// PyPI's `patroni[etcd3]` with `psycopg[binary]` in a virtualenv made once with
/// `/usr/bin/python3 -m venv` and reused by every later test run (pip takes ~10 s):
/// `$PGTOP_PATRONI_VENV`, else `/var/tmp/pgtop-patroni-venv`. It counts as there when the
/// server's owner (the OS user `postgres` when root) can run its `patroni --version`.
///
///     PatroniInstall.found   // .success(PatroniInstall(etcd: "/usr/bin/etcd", venv: "/var/tmp/pgtop-patroni-venv", ...))
///     PatroniInstall.found   // .failure("etcd not installed (apt-get install etcd-server)")
struct PatroniInstall: Sendable {
    let etcd: String
    let venv: String
    /// What `patroni --version` said: "patroni 4.1.5".
    let version: String
    var patroni: String { venv + "/bin/patroni" }
    var patronictl: String { venv + "/bin/patronictl" }

    static let defaultVenv = "/var/tmp/pgtop-patroni-venv"
    /// What pip installs into the virtualenv.
    static let requirements = ["patroni[etcd3]>=4,<5", "psycopg[binary]>=3.1"]

    /// Looked for (and the virtualenv made) once per process, by the first caller.
    static let found: Result<PatroniInstall, ClusterError> = find()

    static var venvDirectory: String {
        getenv("PGTOP_PATRONI_VENV").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? defaultVenv
    }

    /// `etcd` on PATH, else Debian's /usr/bin/etcd; nil when it is not installed.
    static func locateEtcd(searchPath: String? = getenv("PATH").map { String(cString: $0) }) -> String? {
        let dirs = (searchPath ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        return dirs.lazy.map { $0 + "/etcd" }.first { access($0, X_OK) == 0 }
    }

    private static func find() -> Result<PatroniInstall, ClusterError> {
        guard let etcd = locateEtcd() else { return .failure(ClusterError("etcd not installed (apt-get install etcd-server)")) }
        do throws(ClusterError) {
            let owner = try ServerOwner.current()
            let venv = venvDirectory
            let version = try ensureVenv(venv, owner: owner)
            return .success(PatroniInstall(etcd: etcd, venv: venv, version: version))
        } catch {
            return .failure(error)
        }
    }

    /// The virtualenv's `patroni --version`, making the virtualenv first when it is missing or
    /// broken. A lock file beside it keeps two test processes from making it at once.
    private static func ensureVenv(_ venv: String, owner: ServerOwner) throws(ClusterError) -> String {
        let lock = open(venv + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if lock >= 0 { flock(lock, LOCK_EX) }
        defer { if lock >= 0 { flock(lock, LOCK_UN); close(lock) } }
        if let version = usableVersion(venv, owner: owner) { return version }

        let python = "/usr/bin/python3"  // not one under /root that the postgres user cannot run
        guard access(python, X_OK) == 0 else { throw ClusterError("patroni not installed: no \(python) to make its virtualenv") }
        _ = Subprocess.run(["rm", "-rf", venv])
        let made = Subprocess.run([python, "-m", "venv", venv], timeout: 120)
        guard made.status == 0 else {
            _ = Subprocess.run(["rm", "-rf", venv])
            throw ClusterError("patroni not installed: \(python) -m venv failed (apt-get install python3-venv): \(ClusterError.tail(made.output, lines: 1))")
        }
        let pip = Subprocess.run([venv + "/bin/pip", "install", "--quiet", "--disable-pip-version-check",
                                  "--timeout", "20", "--retries", "2"] + requirements, timeout: 600)
        guard pip.status == 0 else {
            _ = Subprocess.run(["rm", "-rf", venv])
            throw ClusterError("patroni not installed: pip install \(requirements.joined(separator: " ")) failed: \(ClusterError.tail(pip.output, lines: 1))")
        }
        _ = Subprocess.run(["chmod", "-R", "a+rX", venv])
        guard let version = usableVersion(venv, owner: owner) else {
            throw ClusterError("patroni not installed: \(venv)/bin/patroni --version fails for the server's owner")
        }
        return version
    }

    private static func usableVersion(_ venv: String, owner: ServerOwner) -> String? {
        guard access(venv + "/bin/patroni", X_OK) == 0, access(venv + "/bin/patronictl", X_OK) == 0 else { return nil }
        let r = owner.run([venv + "/bin/patroni", "--version"], in: "/", timeout: 60)
        let said = ClusterError.tail(r.output, lines: 1)
        return r.status == 0 && said.hasPrefix("patroni ") ? said : nil
    }
}
