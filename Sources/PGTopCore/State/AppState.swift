/// Everything the screen shows and the keys change. Pure: the main loop feeds it snapshots,
/// keys and signal reports, and carries out the effects it returns.
public struct AppState: Sendable {
    public var server: ServerInfo?
    public internal(set) var snapshot: Snapshot? {
        didSet { tally = HeaderTally(snapshot?.backends ?? []) }
    }
    /// The header's counts over `snapshot`, kept with it.
    internal private(set) var tally = HeaderTally()
    /// The rows shown, filtered and sorted.
    public internal(set) var rows: [Backend] = []
    /// In the blocking-tree view: each row's place in the tree (depth, sessions it holds up).
    public internal(set) var tree: [BackendID: BlockingTree.Node] = [:]
    /// In the blocking-tree view: the rows the text filter and `--min-duration` matched (the
    /// rest of their trees is shown around them); every row of the tree without a filter.
    public internal(set) var treeMatches: Set<BackendID> = []
    public var sort = SortOrder()
    public var filter = Filter()
    public var elapsed = ElapsedMode.query
    /// The table's columns, in order (`columns` in the config file, `--columns`).
    public var columns = Column.standard
    /// The selected backend; the selection follows it across refreshes.
    public internal(set) var selection: BackendID?
    public internal(set) var selectedIndex = 0
    /// Index of the first row on screen.
    public internal(set) var scroll = 0
    /// How many table rows fit on screen; set by the main loop from the layout.
    public internal(set) var pageSize = 20
    public internal(set) var marks: Set<BackendID> = []
    public var interval: Double
    public var paused = false
    public var mode = Mode.table
    /// The server's counters, latest sample, and the rates since the one before.
    public internal(set) var stats: ServerStats?
    public internal(set) var rates: ServerRates?
    /// The header's line of server figures (`s` toggles it).
    public var showStats = true
    /// Rows younger than this (seconds, by the ELAPSED mode) are left out (`--min-duration`).
    public var minDuration: Double? {
        didSet { recompute() }
    }
    /// The host's load and memory, when pgtop runs on the database host.
    public var host: HostFigures?
    /// The per-backend columns from /proc (`H`); they cost a read of /proc per backend per refresh.
    public var showHostColumns = false
    /// The open detail view's data, once the server answered.
    public var detail: BackendDetail?
    /// The backend whose detail to ask again with each refresh: the one open, once found
    /// (its xid and xmin ages, locks and fields move on as the rest of the screen does);
    /// nil when no detail is open or its backend has ended.
    public var detailToRefresh: BackendID? {
        guard case .detail(let id, _) = mode, detail?.id == id else { return nil }
        return id
    }
    public var message: Message?
    /// `k`/`c` may act on a session whose backend_start is hidden by its pid alone
    /// (`--allow-pid-only`); otherwise such a target is refused.
    public var allowPidOnly = false
    /// The filter prompt dropped a character: its text is at `PromptText.limit` (the footer says so).
    public internal(set) var filterCut = false
    /// The prompt changed `filter.text` and the rows are not filtered by it yet (`applyTypedFilter`).
    var filterTyped = false
    /// Inside a bracketed paste (between `Key.pasteBegin` and `.pasteEnd`).
    var pasting = false
    /// Part of this paste landed where it is not taken (the table, a confirmation): said at its end.
    var pasteIgnored = false
    /// How many times the rows were filtered and sorted: what a key costs, for the tests.
    internal private(set) var recomputes = 0
    /// Idle in transaction for longer than this (seconds) is highlighted as stuck.
    public var idleWarn: Double = 60
    /// The terminal can show only ASCII (its locale is not UTF-8).
    public var asciiOnly = false
    /// Connected, or lost and retrying: the last snapshot stays on screen meanwhile.
    public var link = LinkStatus.connected
    /// Set while a recording is replayed: the moment shown. Cancel and terminate are off then.
    public var replay: ReplayStatus?
    /// The monotonic clock at the last draw, for ages and countdowns on screen.
    public var now: Double = 0
    /// When the query under way was sent; the header says when the server is slow to answer.
    public var awaitingSince: Double?

    /// The refresh intervals `+` and `-` step through.
    public static let intervals: [Double] = [0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 30, 60]

    public init(interval: Double = 1) {
        self.interval = interval
    }

    public var selectedBackend: Backend? {
        rows.indices.contains(selectedIndex) ? rows[selectedIndex] : nil
    }

    // MARK: - Input from the server

    /// A new snapshot: marks of backends that ended are dropped, the selection follows its backend.
    public mutating func receive(_ snapshot: Snapshot) {
        self.snapshot = snapshot
        if !marks.isEmpty {
            let alive = Set(snapshot.backends.map(\.id))
            marks.formIntersection(alive)
        }
        recompute()
    }

    /// A new sample of the server's counters; the size is kept from an earlier sample when
    /// this one did not ask for it.
    public mutating func receive(_ sample: ServerStats) {
        var sample = sample
        if sample.databaseBytes == nil { sample.databaseBytes = stats?.databaseBytes }
        if let previous = stats { rates = ServerRates(from: previous, to: sample) ?? rates }
        stats = sample
    }

    public mutating func receive(_ report: SignalReport) {
        let failed = report.outcomes.contains { if case .signalled = $0.outcome { return false }; return true }
        let anyDenied = report.outcomes.contains { if case .denied = $0.outcome { return true }; return false }
        message = Message(report.summary, isError: failed && anyDenied)
        for (id, outcome) in report.outcomes where outcome == .signalled || outcome == .gone {
            if report.kind == .terminate { marks.remove(id) }
        }
    }

    // MARK: - Rows and selection

    mutating func recompute() {
        recomputes += 1
        filterTyped = false
        let backends = snapshot?.backends ?? []
        if filter.view == .blocking {
            // The tree over every row the view and toggles keep; the text and --min-duration
            // then pick whole trees: those with a session that matches (holder or waiter).
            let candidates = filter.kept(backends, withText: false).map { backends[$0] }
            var built = BlockingTree(candidates)
            var byID: [BackendID: Backend] = [:]
            for b in candidates { byID[b.id] = b }
            let needle = Needle(filter.text)
            if needle.isEmpty && minDuration == nil {
                treeMatches = Set(built.nodes.map(\.id))
            } else {
                var matched = Set<BackendID>()
                for node in built.nodes {
                    guard let b = byID[node.id], filter.matchesText(b, needle: needle) else { continue }
                    if let minimum = minDuration, (b.age(elapsed) ?? -1) < minimum { continue }
                    matched.insert(node.id)
                }
                built = built.keepingTrees { matched.contains($0) }
                treeMatches = matched
            }
            rows = built.nodes.compactMap { byID[$0.id] }
            tree = Dictionary(built.nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        } else {
            var kept = filter.kept(backends)
            if let minimum = minDuration { kept.removeAll { (backends[$0].age(elapsed) ?? -1) < minimum } }
            rows = sort.order(backends, kept, elapsed: elapsed).map { backends[$0] }
            tree = [:]
            treeMatches = []
        }
        if rows.isEmpty {
            selectedIndex = 0
        } else if let sel = selection, let i = rows.firstIndex(where: { $0.id == sel }) {
            selectedIndex = i
        } else {
            selectedIndex = min(selectedIndex, rows.count - 1)
        }
        selection = rows.isEmpty ? selection : rows[selectedIndex].id
        clampScroll()
    }

    /// The terminal's size at the last draw: where a click lands.
    public internal(set) var screen = (width: 80, height: 24)

    /// Tells the state the terminal's size, and so how many table rows it shows.
    public mutating func setScreen(width: Int, height: Int) {
        screen = (width, height)
        setPageSize(ScreenLayout.tableRows(height: height, stats: showStats, timeline: replay != nil))
    }

    /// Tells the state how many table rows the screen shows.
    public mutating func setPageSize(_ rows: Int) {
        pageSize = max(1, rows)
        clampScroll()
    }

    mutating func select(_ index: Int) {
        guard !rows.isEmpty else { return }
        selectedIndex = max(0, min(index, rows.count - 1))
        selection = rows[selectedIndex].id
        clampScroll()
    }

    mutating func clampScroll() {
        if selectedIndex < scroll { scroll = selectedIndex }
        if selectedIndex >= scroll + pageSize { scroll = selectedIndex - pageSize + 1 }
        scroll = max(0, min(scroll, max(0, rows.count - pageSize)))
    }

    // MARK: - Marks

    public func isMarked(_ id: BackendID) -> Bool { marks.contains(id) }

    /// What `k`/`c` act on: the marked backends, or else the selected one.
    public var targets: [Backend] {
        if marks.isEmpty { return selectedBackend.map { [$0] } ?? [] }
        let all = snapshot?.backends ?? []
        return all.filter { marks.contains($0.id) }.sorted { $0.id < $1.id }
    }
}
