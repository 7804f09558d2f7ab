import Foundation
import PGTopCluster

/// Drives a program in a private tmux server, the way a user at a terminal would: keys in,
/// screen text out.
final class Tmux {
    let socket = "pgtop-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let session = "t"

    /// Starts `command` (run by /bin/sh) in a width x height window.
    init(_ command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        var env = "env"
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { env += " \(k)=\(Tmux.quote(v))" }
        try run(["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", session,
                 "\(env) \(command)"])
        try run(["set-option", "-t", session, "remain-on-exit", "on"])
    }

    deinit { kill() }

    func kill() {
        _ = try? run(["kill-server"])
    }

    /// Sends keys as tmux names them: "q", "Space", "Enter", "Down", "C-c".
    func send(_ keys: String...) throws {
        for key in keys { try run(["send-keys", "-t", session, key]) }
    }

    /// Types text literally.
    func type(_ text: String) throws {
        try run(["send-keys", "-t", session, "-l", text])
    }

    /// Pastes the contents of `file` as a terminal paste would: tmux's load-buffer, paste-buffer;
    /// `bracketed`: with the bracketed-paste marks around it when the program asked for them.
    func paste(file: String, bracketed: Bool = false) throws {
        try run(["load-buffer", "-b", "paste", file])
        try run(["paste-buffer", "-b", "paste", "-d"] + (bracketed ? ["-p"] : []) + ["-t", session])
    }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The screen as plain text; with `attributes`, with escape sequences for colours and reverse.
    /// The screen and the lines scrolled off it. When a pane's program ends, tmux (3.3) scrolls
    /// the screen up a line to say so: read what a program printed last from here.
    func history() throws -> String {
        try run(["capture-pane", "-p", "-S", "-200", "-t", session])
    }

    func capture(attributes: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-t", session] + (attributes ? ["-e"] : []))
    }

    /// Waits until the screen satisfies `condition` and has settled (the same in two captures
    /// 50 ms apart, so that a frame tmux has only half read is never taken for the answer);
    /// returns the screen. Fails with the last screen after `timeout` seconds.
    @discardableResult
    func wait(timeout: Double = 15, for what: String = "", until condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if condition(screen) {
                usleep(50_000)
                let again = try capture()
                if again == screen { return screen }
                continue
            }
            usleep(100_000)
        }
        throw TmuxError("timed out waiting for \(what); screen was:\n\(screen)")
    }

    @discardableResult
    func wait(for text: String, timeout: Double = 15) throws -> String {
        try wait(timeout: timeout, for: "\"\(text)\"") { $0.contains(text) }
    }

    /// Whether the program in the pane has exited (with remain-on-exit, the pane stays).
    /// The pane's title, as a program may set it with an escape sequence.
    func paneTitle() throws -> String {
        try run(["display-message", "-p", "-t", session, "#{pane_title}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether the program in the pane asked the terminal to report the mouse.
    func mouseReporting() throws -> Bool {
        try run(["display-message", "-p", "-t", session, "#{mouse_any_flag}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    func paneDead() throws -> Bool {
        try run(["display-message", "-p", "-t", session, "#{pane_dead}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// Runs one tmux command. Not Foundation's Process: its waitUntilExit was seen never to
    /// return under the test runner once new-session's client had exited.
    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        let r = Subprocess.run(["tmux", "-L", socket] + arguments, timeout: 20)
        if r.status != 0 && arguments.first != "kill-server" {
            throw TmuxError("tmux \(arguments.joined(separator: " ")) failed (\(r.status)): \(r.output)")
        }
        return r.output
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

struct TmuxError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
