import Foundation
import Testing
import PGTopCluster
import PGTopCore
import PGTopPostgres
@testable import pgtop

extension EndToEnd {
    /// The files pgtop appends to and writes, with pgtop as root among files other users
    /// control: real links, a real second user (`nobody`), a real full file system (tmpfs).
    @Suite(.serialized, .timeLimit(.minutes(2))) struct FileSafetyTests {
        func mode(_ path: String) -> mode_t {
            var info = stat()
            return lstat(path, &info) == 0 ? info.st_mode : 0
        }

        /// The uid and gid of `nobody`, or nil (and a line saying what is skipped) when the
        /// tests do not run as root.
        func nobody(_ test: String) -> (uid_t, gid_t)? {
            guard geteuid() == 0, let entry = getpwnam("nobody") else {
                print("skipped \(test): needs root and the user nobody (running as uid \(geteuid()))")
                return nil
            }
            return (entry.pointee.pw_uid, entry.pointee.pw_gid)
        }

        /// Before the fix root appended through a link to another user's script, and a value
        /// like `evil-$(id>/tmp/x)` then ran when the script was run.
        @Test func theAuditLogFollowsNoLinkAndTakesNoOneElsesFile() throws {
            let dir = Harness.temporaryPath("audit")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let script = dir + "/their-script.sh"
            try "#!/bin/sh\necho hello\n".write(toFile: script, atomically: false, encoding: .utf8)
            #expect(symlink(script, dir + "/actions.log") == 0)
            let line = AuditLine.make(time: 0, server: "s", role: "r", kind: .terminate, id: BackendID(pid: 1, start: 0),
                                      backend: nil, outcome: .denied("x"))
            let refused = AuditLog(path: dir + "/actions.log").append([line])
            #expect(refused == "audit log \(dir)/actions.log: a symbolic link: not followed, 1 record lost")
            #expect(Harness.read(script) == "#!/bin/sh\necho hello\n")

            let shared = dir + "/shared.log"
            try "".write(toFile: shared, atomically: false, encoding: .utf8)
            #expect(chmod(shared, 0o666) == 0)
            #expect(AuditLog(path: shared).append([line]) == "audit log \(shared): writable by group or others (mode 666): not written, 1 record lost")
            if let (uid, gid) = nobody("the audit log owned by another user") {
                let theirs = dir + "/theirs.log"
                try "".write(toFile: theirs, atomically: false, encoding: .utf8)
                #expect(chmod(theirs, 0o600) == 0 && chown(theirs, uid, gid) == 0)
                #expect(AuditLog(path: theirs).append([line]) == "audit log \(theirs): owned by uid \(uid), not by uid 0: not written, 1 record lost")
                #expect(Harness.read(theirs) == "")
            }
            let fifo = dir + "/fifo"
            #expect(mkfifo(fifo, 0o600) == 0)
            #expect(AuditLog(path: fifo).append([line]) == "audit log \(fifo): not a regular file: not written, 1 record lost")

            let mine = dir + "/new/actions.log"
            #expect(AuditLog(path: mine).append([line, line]) == nil)
            #expect(mode(mine) & 0o7777 == 0o600 && mode(dir + "/new") & 0o777 == 0o700)
            #expect(Harness.read(mine) == line + "\n" + line + "\n")
        }

        /// The real binary: the action is still done and reported when its log is refused.
        @Test func aRefusedLogStillReportsTheAction() throws {
            let victim = try Harness.connect(application: "audit-link")
            defer { victim.close() }
            let dir = Harness.temporaryPath("audit-bin")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let script = dir + "/script.sh"
            try "#!/bin/sh\n".write(toFile: script, atomically: false, encoding: .utf8)
            #expect(symlink(script, dir + "/actions.log") == 0)
            let run = Harness.runBinary(["-h", Harness.cluster.socketDirectory, "-p", "\(Harness.cluster.port)", "-U", "postgres",
                                         "-d", "postgres", "--audit-log", dir + "/actions.log", "--once", "--filter", "audit-link",
                                         "--terminate", "--yes"], timeout: 30)
            #expect(run.output.contains("\(victim.backendPid) terminated"), "\(run.output)")
            #expect(run.output.contains("pgtop: audit log \(dir)/actions.log: a symbolic link: not followed, 1 record lost"))
            #expect(Harness.read(script) == "#!/bin/sh\n")
        }

        /// On the screen: the terminate is done and said, and the footer says why its audit
        /// line was not written.
        @Test func theFooterSaysTheLogWasRefused() throws {
            let victim = try Harness.connect(application: "audit-screen")
            defer { victim.close() }
            let dir = Harness.temporaryPath("audit-screen")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            #expect(symlink(dir + "/script.sh", dir + "/actions.log") == 0)
            let tmux = try Tmux(Harness.command("--filter audit-screen", auditLog: dir + "/actions.log"), width: 200, height: 20,
                                environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "audit-screen")
            try tmux.send("k")
            try tmux.wait(for: "[y/N]")
            try tmux.send("y")
            let screen = try tmux.wait(for: "audit log \(dir)/actions.log: a symbolic link: not followed, 1 record lost")
            #expect(screen.contains("terminated"))
            try tmux.send("q")
            #expect(access(dir + "/script.sh", F_OK) != 0)
        }

        /// A full disk: before the fix a short write went unnoticed and the next record was
        /// glued to the fragment. A 64 KB tmpfs, as root.
        @Test func aFullDiskIsReportedAndTheNextRecordStartsItsOwnLine() throws {
            guard geteuid() == 0 else {
                print("skipped aFullDiskIsReportedAndTheNextRecordStartsItsOwnLine: mounting a tmpfs needs root")
                return
            }
            let mount = Harness.temporaryPath("tmpfs")
            try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
            guard Subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", mount]).status == 0 else {
                print("skipped aFullDiskIsReportedAndTheNextRecordStartsItsOwnLine: cannot mount a tmpfs here (no CAP_SYS_ADMIN?)")
                return
            }
            defer { _ = Subprocess.run(["umount", mount]) }
            let log = AuditLog(path: mount + "/actions.log")
            let first = "2026-01-01T00:00:00.000Z action=terminate pid=1 outcome=terminated"
            #expect(log.append([first]) == nil)
            // Fill the file system; the log's last page keeps room for about 4 KB, not 6.
            let filler = open(mount + "/filler", O_WRONLY | O_CREAT, 0o600)
            let block = [UInt8](repeating: 0x78, count: 1024)
            while block.withUnsafeBytes({ write(filler, $0.baseAddress, $0.count) }) > 0 {}
            close(filler)
            let long = "2026-01-01T00:00:01.000Z action=terminate pid=2 outcome=terminated query=\"" + String(repeating: "x", count: 6000) + "\""
            let second = "2026-01-01T00:00:02.000Z action=terminate pid=3 outcome=terminated"
            let problem = try #require(log.append([long, second]))
            #expect(problem.hasPrefix("audit log \(mount)/actions.log: only "), "\(problem)")
            #expect(problem.hasSuffix(" of \(long.utf8.count + 1) bytes written (No space left on device), 2 records lost"), "\(problem)")
            #expect(unlink(mount + "/filler") == 0)
            let third = "2026-01-01T00:00:03.000Z action=cancel pid=4 outcome=cancelled"
            #expect(log.append([third]) == nil)
            let lines = Harness.read(mount + "/actions.log").split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 4)
            #expect(lines.first == Substring(first) && lines.dropLast().last == Substring(third) && lines.last == "")
            #expect(lines[1].hasPrefix("2026-01-01T00:00:01.000Z") && lines[1].count < long.count)  // the fragment, alone

            // The real binary on the full disk: the action done and printed, the loss said.
            let victim = try Harness.connect(application: "audit-full")
            defer { victim.close() }
            // The log's last page filled too (to a 4 KB boundary), then the file system.
            var size = stat()
            #expect(stat(log.path, &size) == 0)
            let pad = 4096 - Int(size.st_size) % 4096
            #expect(log.append([String(repeating: "#", count: pad - 1)]) == nil)
            let again = open(mount + "/filler", O_WRONLY | O_CREAT, 0o600)
            while block.withUnsafeBytes({ write(again, $0.baseAddress, $0.count) }) > 0 {}
            close(again)
            let run = Harness.runBinary(["-h", Harness.cluster.socketDirectory, "-p", "\(Harness.cluster.port)", "-U", "postgres",
                                         "-d", "postgres", "--audit-log", log.path, "--once", "--filter", "audit-full",
                                         "--terminate", "--yes"], timeout: 30)
            #expect(run.output.contains("\(victim.backendPid) terminated"), "\(run.output)")
            #expect(run.output.contains("pgtop: audit log \(log.path): "), "\(run.output)")
            #expect(run.output.contains("No space left on device, 1 record lost"), "\(run.output)")
        }

        /// `w` wrote query files 0644; a query can hold a password.
        @Test func queryFilesAreTheUsersOnly() throws {
            let dir = Harness.temporaryPath("queries")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let old = umask(0o022)
            defer { umask(old) }
            #expect(symlink(dir + "/elsewhere", dir + "/pgtop-query-42.sql") == 0)   // planted: not followed
            let message = QueryFile.write("ALTER ROLE app PASSWORD 'secret'", pid: 42, in: dir)
            #expect(message.text == "query of 42 written to \(dir)/pgtop-query-42-2.sql (33 bytes)")
            #expect(mode(dir + "/pgtop-query-42-2.sql") & 0o7777 == 0o600)
            #expect(access(dir + "/elsewhere", F_OK) != 0)
        }
    }
}
