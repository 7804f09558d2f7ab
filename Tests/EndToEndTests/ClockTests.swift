import Foundation
import Testing
import PGTopPostgres

extension EndToEnd {
    /// Ages that move on while the screen is open: the detail's xid age, and the clocks `T`
    /// steps through (the ELAPSED title says which, an aborted transaction keeps an age).
    @Suite(.serialized, .timeLimit(.minutes(2))) struct ClockTests {
        /// The detail is asked again with each refresh: its xid age follows the transactions
        /// other sessions commit (it stayed at its first value before).
        @Test func theDetailsXidAgeMovesOn() throws {
            let holder = try Harness.connect(application: "xid-holder")
            let burner = try Harness.connect(application: "xid-burner")
            defer { holder.close(); burner.close() }
            try holder.execute("START TRANSACTION")
            try holder.execute("SELECT txid_current()")  // the transaction has an xid now

            let tmux = try Tmux(Harness.command("--filter xid-holder"), width: 140, height: 40, environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "xid-holder")
            try tmux.send("Enter")
            let first = try tmux.wait(timeout: 15, for: "the xid age") { Self.xidAge(in: $0) != nil }
            let before = try #require(Self.xidAge(in: first))
            for _ in 0..<25 { try burner.execute("SELECT txid_current()") }  // 25 transactions, each with an xid
            let later = try tmux.wait(timeout: 15, for: "the xid age to move on") { (Self.xidAge(in: $0) ?? 0) >= before + 25 }
            #expect(later.contains("Backend \(holder.backendPid)"))
            try tmux.send("q")
        }

        /// `T` steps query, transaction, state change, backend start; the title names each; an
        /// aborted transaction shows its age since the error as a lower bound (`>3s`).
        @Test func tCyclesTheClocksAndTheTitleSaysWhich() throws {
            let aborted = try Harness.connect(application: "clock-aborted")
            defer { aborted.close() }
            try aborted.execute("BEGIN")
            #expect(throws: PGError.self) { try aborted.execute("SELECT 1/0") }
            let tmux = try Tmux(Harness.command("--filter clock-aborted"), width: 140, height: 30, environment: ["LANG": "C.UTF-8"])
            try tmux.wait(for: "clock-aborted")
            try tmux.wait(for: "ELAPSED▼")
            try tmux.send("T")
            let xact = try tmux.wait(timeout: 10, for: "the transaction clock") {
                $0.contains("XACT AGE▼") && $0.range(of: #" >\d+s "#, options: .regularExpression) != nil
            }
            #expect(xact.contains("ELAPSED since transaction start"))
            try tmux.send("T")
            let state = try tmux.wait(for: "IN STATE▼")
            #expect(state.contains("ELAPSED since state change"))
            try tmux.send("T")
            try tmux.wait(for: "CONN AGE▼")
            try tmux.send("T")
            try tmux.wait(for: "ELAPSED▼")
            try tmux.send("q")
        }

        /// `xid age 1234` in the detail's Ages line.
        static func xidAge(in screen: String) -> Int? {
            guard let r = screen.range(of: #"xid age \d+"#, options: .regularExpression) else { return nil }
            return Int(screen[r].dropFirst("xid age ".count))
        }
    }
}
