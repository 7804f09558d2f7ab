import Foundation
import Testing
import PGTopCluster

extension EndToEnd {
    /// A megabyte pasted into the filter prompt: the prompt stops at its cap and says so, keys
    /// typed after the paste are answered, and SIGTERM ends pgtop at any time with the terminal
    /// given back.
    @Suite(.serialized, .timeLimit(.minutes(5))) struct PasteTests {
        static func megabyte() throws -> String {
            let path = Harness.temporaryPath("paste")
            try String(repeating: "abcdefghij", count: 104_858).write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        @Test func sigtermDuringAPasteEndsPgtopAndRestoresTheTerminal() throws {
            guard let tmux = TerminalTests.wrapped() else { Issue.record("no tmux"); return }
            try tmux.wait(for: "Connections")
            guard let pid = TerminalTests.pgtopPid() else { Issue.record("pgtop not found"); return }
            try tmux.send("/")
            try tmux.wait(for: "Enter keeps the filter")
            try tmux.paste(file: Self.megabyte())
            try tmux.wait(for: "Filter (full): ", timeout: 60)
            kill(pid, SIGTERM)  // the paste is still arriving
            _ = try tmux.wait(for: "EXITED", timeout: 60)
            let screen = try tmux.history()
            TerminalTests.expectSaneTerminal(screen)
            #expect(screen.contains("EXITED 0"), "\(screen)")
        }

        /// A terminal's bracketed paste: in the table nothing of it is acted on (a pasted `sky`
        /// would toggle the figures, ask to terminate and confirm); in the prompt its line breaks
        /// are spaces, not Enter.
        @Test func aBracketedPasteIsNeverKeys() throws {
            let victim = try Harness.connect(application: "paste-victim")
            defer { victim.close() }
            let tmux = try Tmux(Harness.command("--filter paste-victim"), width: 100, height: 24, environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
            try tmux.wait(for: "paste-victim")
            let path = Harness.temporaryPath("sky")
            try "WHERE sky = 1\nky".write(toFile: path, atomically: true, encoding: .utf8)
            try tmux.paste(file: path, bracketed: true)
            let ignored = try tmux.wait(for: "Paste ignored")
            #expect(!ignored.contains("[y/N]"))
            #expect(victim.isAlive)
            _ = try victim.execute("SELECT 1")
            try tmux.send("/")
            try tmux.wait(for: "Enter keeps the filter")
            try "a\nb".write(toFile: path, atomically: true, encoding: .utf8)
            try tmux.paste(file: path, bracketed: true)
            let typed = try tmux.wait(for: "paste-victima b")
            #expect(typed.contains("Filter: paste-victima b"), "\(typed)")  // the prompt is still open
            try tmux.send("Escape")
            try tmux.send("q")
        }

        @Test func keysAfterAPasteAreAnswered() throws {
            let tmux = try Tmux(Harness.command(), width: 80, height: 24, environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
            try tmux.wait(for: "Connections")
            try tmux.send("/")
            try tmux.wait(for: "Enter keeps the filter")
            try tmux.paste(file: Self.megabyte())
            let full = try tmux.wait(for: "Filter (full): ", timeout: 60)
            #expect(full.contains("Filter cut at 1024 bytes"), "\(full)")
            // Behind the whole megabyte in the terminal's input: Ctrl-U, then three letters.
            try tmux.send("C-u")
            try tmux.type("zzz")
            let typed = try tmux.wait(for: "Filter: zzz", timeout: 180)
            #expect(typed.contains("no backend matches"))
            try tmux.send("Escape")
            try tmux.wait(timeout: 30, for: "the table back") { !$0.contains("Filter:") && $0.contains("Help") }
            try tmux.send("q")
            try tmux.wait(timeout: 30, for: "the pane to end") { _ in (try? tmux.paneDead()) == true }
        }
    }
}
