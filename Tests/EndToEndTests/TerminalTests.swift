import Foundation
import Testing
import PGTopCluster

extension EndToEnd {
    /// Whatever ends pgtop, the terminal is given back sane; terminals it cannot drive are
    /// refused in one line; Ctrl-Z and fg work.
    @Suite(.serialized, .timeLimit(.minutes(3))) struct TerminalTests {
        /// pgtop under `sh`, which afterwards prints the tty modes and pgtop's exit status.
        static func wrapped(_ environment: String = "") -> Tmux? {
            try? Tmux("sh -c '\(environment) \(Harness.command()); s=$?; stty -a; echo EXITED $s'",
                      environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
        }

        static func pgtopPid() -> pid_t? {
            let out = Subprocess.run(["pgrep", "-n", "-f", "^\(Harness.binary) --config /dev/null -h \(Harness.cluster.socketDirectory)"]).output
            return out.split(separator: "\n").first.flatMap { pid_t($0) }
        }

        static func expectSaneTerminal(_ screen: String) {
            #expect(screen.contains(" icanon "))
            #expect(screen.contains(" echo "))
            #expect(!screen.contains("-icanon"))
            #expect(!screen.contains(" -echo "))
        }

        /// SIGTERM, SIGHUP, SIGINT: a normal exit. SIGSEGV, SIGILL (what a Swift trap raises):
        /// the rescue restores the terminal, then pgtop dies of the signal.
        @Test(arguments: [SIGTERM, SIGHUP, SIGINT, SIGSEGV, SIGILL])
        func signalsGiveTheTerminalBack(signal: Int32) throws {
            let status = signal == SIGSEGV || signal == SIGILL ? 128 + signal : 0
            guard let tmux = Self.wrapped() else { Issue.record("no tmux"); return }
            try tmux.wait(for: "Connections")
            #expect(try tmux.mouseReporting())  // clicks and the wheel go to pgtop
            guard let pid = Self.pgtopPid() else { Issue.record("pgtop not found"); return }
            kill(pid, signal)
            _ = try tmux.wait(for: "EXITED")
            let screen = try tmux.history()  // tmux scrolls a line away when the pane ends
            Self.expectSaneTerminal(screen)
            #expect(try !tmux.mouseReporting(), "signal \(signal): mouse reporting left on")
            #expect(screen.contains("EXITED \(status)"), "signal \(signal): \(screen)")
        }

        @Test(arguments: ["dumb", "no-such-terminal-xyz"])
        func terminalsWithoutCursorAddressingAreRefused(term: String) throws {
            guard let tmux = Self.wrapped("TERM=\(term)") else { Issue.record("no tmux"); return }
            _ = try tmux.wait(for: "EXITED")
            let screen = try tmux.history()
            #expect(screen.contains("EXITED 2"))
            let message = screen.split(separator: "\n").first { $0.hasPrefix("pgtop: ") }
            #expect(message?.contains("TERM=\(term)") == true, "\(screen)")
            Self.expectSaneTerminal(screen)
        }

        @Test func ctrlZSuspendsAndFgRedraws() throws {
            let tmux = try Tmux("bash --norc --noprofile -i", environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color", "PS1": "PROMPT$ "])
            try tmux.wait(for: "PROMPT$")
            try tmux.type(Harness.command())
            try tmux.send("Enter")
            try tmux.wait(for: "Connections")
            try tmux.send("C-z")
            let suspended = try tmux.wait(for: "Stopped")
            #expect(!suspended.contains("Connections 1/"))  // the shell has the screen back
            try tmux.type("stty -a | grep -o ' icanon '")
            try tmux.send("Enter")
            try tmux.wait(for: " icanon ")
            try tmux.type("fg")
            try tmux.send("Enter")
            let back = try tmux.wait(for: "the redrawn screen") { $0.contains("Connections") && $0.contains("Help") && !$0.contains("Stopped") }
            #expect(back.hasPrefix("pgtop"))
            try tmux.send("q")
            try tmux.wait(for: "PROMPT$ ")
        }
    
        /// `--no-color` and `NO_COLOR`: no colour at all, the meaning carried by bold, reverse
        /// and underline; with neither, the accents are colours.
        @Test func noColorMeansNoColour() throws {
            let colours = (0...7).flatMap { ["\u{1B}[3\($0)m", "\u{1B}[4\($0)m"] } + ["\u{1B}[38;5;", "\u{1B}[48;5;"]
            for (extra, env) in [("--no-color", [String: String]()), ("", ["NO_COLOR": "1"])] {
                let tmux = try Tmux(Harness.command(extra), width: 120, height: 30,
                                    environment: env.merging(["LANG": "C.UTF-8", "TERM": "xterm-256color"]) { a, _ in a })
                try tmux.wait(for: "Sort: ")
                let screen = try tmux.capture(attributes: true)
                #expect(!colours.contains { screen.contains($0) }, "\(extra) \(env)")
                #expect(screen.contains("\u{1B}[7m"))  // the title bar, reversed
                try tmux.send("q")
            }
            // Without NO_COLOR, whatever the test runner's environment holds: 256 colours here.
            let coloured = try Tmux("env -u NO_COLOR " + Harness.command(), width: 120, height: 30,
                                    environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
            try coloured.wait(for: "Sort: ")
            let screen = try coloured.capture(attributes: true)
            #expect(screen.contains("\u{1B}[38;5;16m\u{1B}[48;5;117m"))  // the selection bar, from the 256 palette
            try coloured.send("q")
        }
}
}
