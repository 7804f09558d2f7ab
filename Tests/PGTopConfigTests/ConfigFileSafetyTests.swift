import Glibc
import Testing
@testable import PGTopConfig
import PGTopCore

/// The config file's reads and writes with pgtop running as root among files other users
/// control: real files, real links, a real second user (`nobody`) owning them.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ConfigFileSafetyTests {
    var layout: Settings {
        var s = Settings()
        s.view = .active
        return s
    }

    func directory() -> String {
        let dir = "/tmp/pgtop-config-safety-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        #expect(mkdir(dir, 0o755) == 0)
        return dir
    }

    func text(_ path: String) -> String? { try? FileText.read(path) }

    func info(_ path: String) -> stat {
        var s = stat()
        _ = lstat(path, &s)
        return s
    }

    /// Another user, for files root must not take over; nil (and a line saying so) when the
    /// tests do not run as root.
    func otherUser(_ test: String) -> uid_t? {
        guard geteuid() == 0 else {
            print("skipped \(test): needs root to give files to another user (running as uid \(geteuid()))")
            return nil
        }
        guard let entry = getpwnam("nobody") else {
            print("skipped \(test): no user 'nobody' on this machine")
            return nil
        }
        return entry.pointee.pw_uid
    }

    /// Before the fix `S` wrote `CONFIG.tmp-PID` with O_CREAT|O_TRUNC: a link planted there
    /// by whoever can write the folder sent root's write (and chmod) anywhere.
    @Test func aLinkPlantedAtTheTemporaryNameIsNotFollowed() throws {
        let dir = directory()
        defer { system("rm -rf '\(dir)'") }
        let victim = dir + "/victim"
        try FileText.write("precious\n", to: victim)
        #expect(chmod(victim, 0o644) == 0)
        let config = dir + "/config"
        try FileText.write("refresh = 2\n", to: config)
        #expect(chmod(config, 0o600) == 0)
        #expect(symlink(victim, config + ".tmp-\(getpid())") == 0)
        if let other = otherUser("the planted link owned by another user") {
            #expect(lchown(config + ".tmp-\(getpid())", other, other) == 0)
            #expect(chown(dir, other, other) == 0)   // their folder; root saves a config in it
        }
        _ = try ConfigFile.save(layout, to: config, profile: nil)
        #expect(text(victim) == "precious\n")
        #expect(info(victim).st_mode & 0o7777 == 0o644)
        #expect(text(config) == "refresh = 2\nview = \"active\"\n")
        #expect(info(config).st_mode & 0o7777 == 0o600)
        let left = try #require(opendir(dir))
        defer { closedir(left) }
        var names: [String] = []
        while let entry = readdir(left) {
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        }
        #expect(names.filter { $0 != "." && $0 != ".." }.sorted() == ["config", "config.tmp-\(getpid())", "victim"])
    }

    @Test func throughALinkAnotherUsersFileIsNotReplaced() throws {
        guard let other = otherUser("a link to another user's file") else { return }
        let dir = directory()
        defer { system("rm -rf '\(dir)'") }
        let theirs = dir + "/theirs.toml"
        try FileText.write("# theirs\n", to: theirs)
        #expect(chown(theirs, other, other) == 0)
        #expect(symlink(theirs, dir + "/config") == 0)
        let name = String(cString: getpwuid(other).pointee.pw_name)
        #expect(throws: ConfigError(path: theirs, line: nil,
                                    message: "owned by \(name) (uid \(other)), not by root (uid 0): not replaced (\(dir)/config links to it)")) {
            try ConfigFile.save(layout, to: dir + "/config", profile: nil)
        }
        #expect(text(theirs) == "# theirs\n")
        #expect(info(theirs).st_uid == other)
        #expect(info(dir + "/config").st_mode & S_IFMT == S_IFLNK)
    }

    @Test func aReadOnlyFileIsNotReplaced() throws {
        let dir = directory()
        defer { system("rm -rf '\(dir)'") }
        let target = dir + "/locked.toml"
        try FileText.write("# locked\n", to: target)
        #expect(chmod(target, 0o444) == 0)
        #expect(symlink(target, dir + "/config") == 0)
        #expect(throws: ConfigError(path: target, line: nil, message: "read-only (mode 0444): not replaced (\(dir)/config links to it)")) {
            try ConfigFile.save(layout, to: dir + "/config", profile: nil)
        }
        #expect(text(target) == "# locked\n")
        #expect(throws: ConfigError(path: target, line: nil, message: "read-only (mode 0444): not replaced")) {
            try ConfigFile.save(layout, to: target, profile: nil)
        }
    }

    /// Before the fix `--config FIFO` blocked in open(2) forever.
    @Test func aFIFOIsRefusedWithoutBeingOpened() throws {
        let dir = directory()
        defer { system("rm -rf '\(dir)'") }
        let fifo = dir + "/config"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: ConfigError(path: fifo, line: nil, message: "a named pipe (FIFO), not a regular file: not read")) {
            try ConfigFile.load(path: fifo, required: true)
        }
        #expect(throws: ConfigError(path: dir, line: nil, message: "a directory, not a regular file: not read")) {
            try ConfigFile.load(path: dir, required: true)
        }
        #expect(throws: ConfigError(path: fifo, line: nil, message: "a named pipe (FIFO), not a regular file: not read")) {
            try ConfigFile.save(layout, to: fifo, profile: nil)
        }
        #expect(throws: ConfigError(path: fifo, line: nil, message: "not a regular file: not written")) {
            try FileText.write("x\n", to: fifo)
        }
        #expect(try ConfigFile.load(path: "/dev/null", required: true).top == Settings())   // "no config", as the tests use it
        #expect(throws: ConfigError.self) { try ConfigFile.load(path: "/dev/zero", required: true) }
    }
}
