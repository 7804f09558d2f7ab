import Glibc
import Testing
@testable import PGTopConfig
import PGTopCore

/// `S`: the layout written into the file, everything else in it kept.
@Suite struct ConfigEditorTests {
    var layout: Settings {
        var s = Settings()
        s.columns = [.pid, .user, .elapsed, .query]
        s.sort = .user
        s.sortDescending = false
        s.view = .active
        s.refresh = 0.5
        s.showIdle = false
        return s
    }

    @Test func intoAnEmptyFile() throws {
        let text = try ConfigEditor.set(layout, in: "", profile: nil)
        #expect(text == """
            refresh = 0.5
            view = "active"
            sort = "user"
            sort-order = "asc"
            columns = ["pid", "user", "elapsed", "query"]
            show-idle = false

            """)
        let back = try ConfigFile.parse(text, path: "c").top
        #expect(back == layout)
    }

    @Test func keepsCommentsOtherKeysAndProfiles() throws {
        let before = """
            # mine
            refresh = 3   # slow link
            idle-warn = 120

            [colors]
            selected = "black on 45"

            [profile.prod]
            conninfo = "host=db1"
            """
        let after = try ConfigEditor.set(layout, in: before, profile: nil)
        #expect(after.hasPrefix("# mine\nrefresh = 0.5   # slow link\nidle-warn = 120\nview = \"active\"\n"))
        #expect(after.contains("\n\n[colors]\nselected = \"black on 45\"\n\n[profile.prod]\nconninfo = \"host=db1\"\n"))
        let file = try ConfigFile.parse(after, path: "c")
        #expect(file.top.idleWarn == 120)
        #expect(file.top.columns == layout.columns)
        #expect(file.profiles["prod"]?.conninfo == "host=db1")
        #expect(file.profiles["prod"]?.refresh == nil)
    }

    @Test func intoTheProfileInUseAddingItsSectionIfNeeded() throws {
        let before = "refresh = 3\n[profile.prod]\nconninfo = \"host=db1\"\nview = \"all\"\n\n[profile.dev]\nhost = \"x\"\n"
        let after = try ConfigEditor.set(layout, in: before, profile: "prod")
        let file = try ConfigFile.parse(after, path: "c")
        #expect(file.top.refresh == 3)
        #expect(file.profiles["prod"]?.view == .active)
        #expect(file.profiles["prod"]?.refresh == 0.5)
        #expect(file.profiles["prod"]?.conninfo == "host=db1")
        #expect(file.profiles["dev"] == { var s = Settings(); s.host = "x"; return s }())
        let added = try ConfigEditor.set(layout, in: before, profile: "new one")
        #expect(added.contains("\n[profile.\"new one\"]\nrefresh = 0.5\n"))
        #expect(try ConfigFile.parse(added, path: "c").profiles["new one"]?.columns == layout.columns)
    }

    /// `m` cleared the threshold, then `S`: the section's `min-duration` goes, so the next start
    /// does not bring it back; the same key in another section, and comments, stay.
    @Test func aKeyToRemoveLosesItsLineInThatSectionOnly() throws {
        let before = "# mine\nmin-duration = \"5m\"  # stuck\nrefresh = 3\n\n[profile.prod]\nmin-duration = 60\nview = \"all\"\n"
        let top = try ConfigEditor.set(layout, in: before, profile: nil, removing: ["min-duration"])
        #expect(top.hasPrefix("# mine\nrefresh = 0.5\nview = \"active\"\n"), "\(top)")
        #expect(top.hasSuffix("\n[profile.prod]\nmin-duration = 60\nview = \"all\"\n"), "\(top)")
        let file = try ConfigFile.parse(top, path: "c")
        #expect(file.top.minDuration == nil)
        #expect(file.profiles["prod"]?.minDuration == 60)
        let prod = try ConfigEditor.set(layout, in: before, profile: "prod", removing: ["min-duration"])
        #expect(prod.hasPrefix("# mine\nmin-duration = \"5m\"  # stuck\nrefresh = 3\n"), "\(prod)")
        #expect(try ConfigFile.parse(prod, path: "c").profiles["prod"]?.minDuration == nil)
        #expect(try ConfigFile.parse(prod, path: "c").profiles["prod"]?.view == .active)
        // Nothing to remove: the text as `set` alone makes it.
        let removed = try ConfigEditor.set(layout, in: "refresh = 3\n", profile: nil, removing: ["min-duration"])
        #expect(removed == (try ConfigEditor.set(layout, in: "refresh = 3\n", profile: nil)))
    }

    @Test func stringsSurviveTheRoundTrip() throws {
        let nasty = "a\"b\\c\nd\te\u{1B}[2J\u{85}é日本"
        let text = "conninfo = " + ConfigEditor.toml(.string(nasty)) + "\n"
        #expect(try ConfigFile.parse(text, path: "c").top.conninfo == nasty)
    }

    @Test func savesToDiskMakingTheFolder() throws {
        let dir = "/tmp/pgtop-config-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { _ = try? FileText.read(dir); system("rm -rf '\(dir)'") }
        let path = dir + "/pgtop/config"
        #expect(try ConfigFile.save(layout, to: path, profile: nil) == path)
        let text = try #require(try FileText.read(path))
        #expect(text.hasPrefix("# pgtop configuration (TOML)"))
        #expect(try ConfigFile.load(path: path).top == layout)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)   // a new file: the user's only
        #expect(chmod(path, 0o640) == 0)
        #expect(try ConfigFile.save(layout, to: path, profile: "prod") == "[profile.prod] in " + path)
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o640)   // kept
        #expect(try ConfigFile.load(path: path).profiles["prod"] == layout)
    }

    @Test func neverReplacesADeviceAndFollowsALink() throws {
        #expect(throws: ConfigError(path: "/dev/null", line: nil, message: "not a regular file: not written")) {
            try ConfigFile.save(layout, to: "/dev/null", profile: nil)
        }
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        let dir = "/tmp/pgtop-config-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { system("rm -rf '\(dir)'") }
        try FileText.write("# dotfiles\n", to: dir + "/dotfiles/pgtop.toml")
        #expect(symlink(dir + "/dotfiles/pgtop.toml", dir + "/config") == 0)
        _ = try ConfigFile.save(layout, to: dir + "/config", profile: nil)
        #expect(lstat(dir + "/config", &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
        #expect(try FileText.read(dir + "/dotfiles/pgtop.toml")?.hasPrefix("# dotfiles\nrefresh = 0.5\n") == true)
    }

    @Test func refusesToWriteWhatWouldNotReadBack() throws {
        let dir = "/tmp/pgtop-config-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { system("rm -rf '\(dir)'") }
        let path = dir + "/config"
        try FileText.write("[colors\n", to: path)
        #expect(throws: ConfigError.self) { try ConfigFile.save(layout, to: path, profile: nil) }
        #expect(try FileText.read(path) == "[colors\n")
    }
}
