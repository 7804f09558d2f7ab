import PGTopCore
import PGTopStore

/// The recorder as a sink (`pgtop record`, `--record`): each snapshot is a sample of the
/// recording (one transaction holding what changed, `RecordingWriter.write`) with the server
/// figures read since the sample before; a lost connection or a server restart is an outage;
/// every cancel/terminate sent is an action row.
///
/// A sample that cannot be written (a full disk, a file that became unwritable) is rolled back
/// whole and the next one tries again: the problem is said once, and once more when recording
/// works again. Only a file that turned out damaged stops the recorder (`fatal`).
///
///     let sink = RecorderSink(writer: writer, server: session.server, options: .init(idleWarn: 60), voice: .stderr)
///     EventLoop(state: state, terminal: nil, source: LiveSource(session: session, recording: true), sinks: [sink], ...)
final class RecorderSink: Sink {
    struct Options {
        var idleWarn: Double
        /// `--retain` (seconds) and `--max-size` (bytes), handed to `prune`.
        var retain: Double? = nil
        var maxBytes: Int64? = nil
        /// Samples between two prunes (also one when the recording starts).
        var pruneEvery = 60
    }

    /// Where the recorder's lines go: stderr (`pgtop record: ...`), or the screen's footer,
    /// which shows the link itself.
    enum Voice { case stderr, screen }

    let writer: RecordingWriter
    private let options: Options
    private let voice: Voice
    private let endpoint: String
    private var notice: Message?
    private(set) var fatal: String?

    /// The server figures that arrived since the last sample (they follow the rows).
    private var stats: ServerStats?
    /// The latest time written (a sample, an outage's start): the next sample is later.
    private var lastWritten: Int64 = 0
    private var samples = 0
    /// The server's clock minus this machine's (µs) at the last sample: the time of what comes
    /// without the server's clock (a loss, an action) on the recording's clock.
    private var clockOffset: Int64 = 0
    private var postmasterStart: Int64?
    /// An outage is open in the file (or waits to be written) until the first sample after it.
    private var inOutage = false
    /// Why the connection was lost, for the outage's reason once a restart is seen.
    private var lossReason: String?
    /// An outage that could not be written yet (a full disk): written before the next sample.
    private var unwrittenOutage: (t: Int64, reason: String)?
    private var unwrittenActions: [(t: Int64, line: ActedLine)] = []
    /// The write problem said last; nil while everything is written.
    private var problem: String?

    init(writer: RecordingWriter, server: ServerInfo, options: Options, voice: Voice) {
        self.writer = writer
        self.options = options
        self.voice = voice
        endpoint = server.endpoint
        postmasterStart = server.postmasterStart
        prune(at: Self.wallMicros())
    }

    func take(_ event: SourceEvent, state: AppState) {
        guard fatal == nil else { return }
        switch event {
        case .snapshot(let snapshot): sample(snapshot, server: state.server)
        case .stats(let s): stats = s
        case .lost(let reason, _, _): lost(reason)
        case .reconnected(let info): reconnected(info)
        default: break
        }
    }

    func acted(_ lines: [ActedLine]) {
        guard fatal == nil else { return }
        unwrittenActions += lines.map { (Int64(($0.time * 1e6).rounded()) + clockOffset, $0) }
        writeActions()
    }

    func takeNotice() -> Message? {
        defer { notice = nil }
        return notice
    }

    /// Ends the recording: an outage still open ends now (the recorder stopped watching), what
    /// was open was seen until the last sample.
    func close() {
        if inOutage, fatal == nil {
            if let o = unwrittenOutage { try? writer.outageBegan(at: o.t, reason: o.reason) }
            try? writer.outageEnded(at: max(nowOnServer(), lastWritten + 1))
        }
        writer.close()
    }

    // MARK: - Events

    private func sample(_ snapshot: Snapshot, server: ServerInfo?) {
        var t = snapshot.serverTime ?? Self.wallMicros()
        // Samples are in order of time: a server clock stepped back continues from the last one.
        if t <= lastWritten { t = lastWritten + 1 }
        do {
            if let o = unwrittenOutage {
                try writer.outageBegan(at: o.t, reason: o.reason)
                unwrittenOutage = nil
            }
            // The first sample ends an outage left open by a recorder that crashed during one.
            if inOutage || samples == 0 { try writer.outageEnded(at: t) }
            try writer.write(snapshot.backends, figures: SampleFigures(snapshot.backends, server: server, idleWarn: options.idleWarn,
                                                                     stats: stats), at: t)
        } catch {
            return failed(error)
        }
        inOutage = false
        lastWritten = t
        clockOffset = t - Self.wallMicros()
        stats = nil
        samples += 1
        if !writeActions() { return }
        if samples % options.pruneEvery == 0, !prune(at: t) { return }
        recovered()
    }

    private func lost(_ reason: String) {
        guard !inOutage else { return }  // every failed attempt to reconnect says it again
        inOutage = true
        lossReason = reason
        beginOutage(reason)
        if voice == .stderr { say("lost \(endpoint): \(reason); reconnecting") }
    }

    /// Connected again: a server that started since the last connection restarted, an outage
    /// even when the reconnection was quick.
    private func reconnected(_ info: ServerInfo) {
        let restarted = postmasterStart != nil && info.postmasterStart != nil && info.postmasterStart != postmasterStart
        postmasterStart = info.postmasterStart ?? postmasterStart
        guard restarted else {
            if inOutage, voice == .stderr { say("\(endpoint) answers again") }
            return
        }
        let restart = "the server restarted" + (info.postmasterStart.map { " (up since \(AuditLine.iso8601(Double($0) / 1e6)))" } ?? "")
        let reason = inOutage ? restart + (lossReason.map { "; \($0)" } ?? "") : restart
        if !inOutage {
            inOutage = true
            beginOutage(reason)
        } else if unwrittenOutage != nil {
            unwrittenOutage?.reason = reason
        } else {
            do { try writer.amendOpenOutage(reason: reason) } catch { failed(error) }
        }
        if voice == .stderr { say("\(endpoint) answers again: \(restart)") }
    }

    // MARK: - Writing

    private func beginOutage(_ reason: String) {
        let t = max(lastWritten + 1, nowOnServer())
        lastWritten = t
        do {
            try writer.outageBegan(at: t, reason: reason)
        } catch {
            unwrittenOutage = (t, reason)
            failed(error)
        }
    }

    /// The actions not written yet, in order; false when one failed (kept for the next try).
    @discardableResult
    private func writeActions() -> Bool {
        while let (t, line) = unwrittenActions.first {
            do {
                try writer.action(at: t, id: line.id, kind: line.kind.rawValue, outcome: AuditLine.describe(line.outcome, line.kind),
                                  line: line.line)
            } catch {
                failed(error)
                return false
            }
            unwrittenActions.removeFirst()
        }
        return true
    }

    /// `--retain` and `--max-size`: false when the prune failed.
    @discardableResult
    private func prune(at t: Int64) -> Bool {
        guard options.retain != nil || options.maxBytes != nil else { return true }
        do {
            _ = try writer.prune(keepAfter: options.retain.map { t - Int64($0 * 1e6) }, maxBytes: options.maxBytes)
            return true
        } catch {
            failed(error)
            return false
        }
    }

    /// A write that failed: said once; a damaged file stops the recorder, anything else is
    /// tried again with the next sample.
    private func failed(_ error: Error) {
        if let e = error as? StoreError {
            switch e.kind {
            case .notARecording, .newerSchema, .notARegularFile, .inUse:
                fatal = "recording stopped: \(e)"
                return
            default: break
            }
        }
        var text = "\(error)"
        if let e = error as? StoreError, e.kind == .failed, let cause = WriteTrouble.cause(of: writer.path) { text += " (\(cause))" }
        guard problem != text else { return }
        problem = text
        say("\(text); samples are skipped until one can be written (tried every sample)", isError: true)
    }

    private func recovered() {
        guard problem != nil else { return }
        problem = nil
        say("recording again into \(writer.path)")
    }

    private func say(_ line: String, isError: Bool = false) {
        switch voice {
        case .stderr: Console.error("pgtop record: " + line)
        case .screen: notice = Message("recording: " + line, isError: isError)
        }
    }

    private func nowOnServer() -> Int64 { Self.wallMicros() + clockOffset }

    static func wallMicros() -> Int64 { Int64((Clock.wall() * 1e6).rounded()) }
}
