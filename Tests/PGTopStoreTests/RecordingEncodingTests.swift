import Foundation
import Testing
@testable import PGTopCore
@testable import PGTopStore

/// How a span is stored (`span_rows`, `activities`) and what the view `spans` gives back.
@Suite struct RecordingEncodingTests {
    @Test func aSpansTimesComeBackExactly() {
        let from: Int64 = 1_795_000_123_456_789
        let values: [Int64?] = [nil, 0, from, from - 1, from + 5_000_000, from - 86_400_000_000, 1, .min, .max]
        for q in values {
            for x in values {
                for c in values {
                    let span = RecordedSpan(queryStart: q, transactionStart: x, stateChange: c)
                    let starts = SpanRow.Times(span, from: from).starts(from: from)
                    #expect(starts.query == q && starts.transaction == x && starts.change == c, "\(String(describing: q)) \(String(describing: x)) \(String(describing: c))")
                }
            }
        }
        // A statement that began its own transaction: both offsets 0 (no bytes in the row).
        let fresh = SpanRow.Times(RecordedSpan(queryStart: from - 12_000, transactionStart: from - 12_000, stateChange: from - 12_000), from: from)
        #expect(fresh == SpanRow.Times(queryBefore: 12_000, transactionBefore: 0, changeAfter: 0))
    }

    /// The view, read as docs/recording.md reads it, gives the reader's backends field for field.
    @Test func theViewGivesWhatTheReaderGives() throws {
        let path = Scratch.directory("view") + "/r.pgtop"
        try RecordingTests.record(0...119, into: path)
        let reader = try RecordingReader(path: path)
        let db = try Database(path: path, mode: .readOnly)
        let view = try db.prepare("""
            SELECT s.pid, s.backend_start_us, s.usename, s.datname, s.application, s.client, s.backend_type,
                   p.state, p.wait_type, p.wait_event, p.waiting, p.blocked_by, p.lock_mode, p.lock_target,
                   p.query_start_us, p.xact_start_us, p.xact_source, p.state_change_us, t.text, p.application,
                   p.leader_pid, p.superuser
            FROM spans p JOIN sessions s ON s.id = p.session LEFT JOIN texts t ON t.id = p.query
            WHERE p.from_us > ?1 - (SELECT value FROM meta WHERE key = 'span_rollover_us') AND p.from_us <= ?1
              AND (p.to_us IS NULL OR p.to_us > ?1)
            """)
        for s in [0, 20, 45, 70, 75, 80, 90, 119] {
            let t = Incident.time(Double(s))
            view.bind(1, t)
            var fromView: [Backend] = []
            while try view.step() {
                let a = view
                let session = RecordedSession(id: BackendID(pid: Int32(a.int64(0) ?? 0), start: a.int64(1) ?? 0), user: a.text(2) ?? "",
                                              database: a.text(3) ?? "", application: a.text(4) ?? "", client: a.text(5) ?? "",
                                              backendType: a.text(6) ?? "")
                let span = RecordedSpan(
                    state: a.text(7) ?? "", waitEventType: a.text(8) ?? "", waitEvent: a.text(9) ?? "", waiting: a.bool(10) ?? false,
                    blockedBy: (a.text(11) ?? "").split(separator: ",").compactMap { Int32($0) }, lockMode: a.text(12) ?? "",
                    lockTarget: a.text(13) ?? "", queryStart: a.int64(14), transactionStart: a.int64(15),
                    transactionSource: a.text(16).flatMap(TransactionAgeSource.init(rawValue:)), stateChange: a.int64(17),
                    query: a.text(18) ?? "", application: a.text(19) ?? session.application,
                    leaderPid: a.int64(20).map { Int32($0) }, superuser: a.bool(21) ?? false)
                fromView.append(span.backend(session, at: t))
            }
            view.reset()
            #expect(RecordingTests.sorted(fromView) == RecordingTests.sorted(try reader.backends(at: t)), "second \(s)")
            #expect(RecordingTests.sorted(fromView) == RecordingTests.sorted(Incident.backends(at: s)), "second \(s)")
        }
    }

    /// A span of an idle session is a few tens of bytes; what sessions share is stored once.
    @Test func spansAreSmallAndShareWhatTheyCan() throws {
        let path = Scratch.directory("small") + "/r.pgtop"
        try RecordingTests.record(0...299, into: path)
        let db = try Database(path: path, mode: .readOnly)
        let activities = try #require(try db.integer("SELECT count(*) FROM activities"))
        let spans = try #require(try db.integer("SELECT count(*) FROM span_rows"))
        #expect(activities < 20 && spans > 20 * activities, "\(activities) activities for \(spans) spans")
        let bytes = try #require(try db.integer("SELECT sum(pgsize - unused) FROM dbstat WHERE name = 'span_rows' AND pagetype = 'leaf'"))
        #expect(bytes / spans < 40, "\(bytes / spans) bytes a span")
    }
}
