/// Who blocks whom, as a tree: the sessions holding a lock others wait for at the roots
/// (typically one idle in transaction), the sessions waiting on each beneath it.
///
///     // 10 holds a row lock; 11 waits for 10; 12 waits for 11.
///     BlockingTree(backends).nodes.map { ($0.id.pid, $0.depth, $0.blocked) }
///     // [(10, 0, 2), (11, 1, 1), (12, 2, 0)]
///
/// A session waiting on several others sits under the first of them that is in the set (the
/// others are in its BLOCKED BY column). Sessions in neither role are left out. A cycle (a
/// deadlock the server has not broken yet) is cut where it is first met.
public struct BlockingTree: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        public var id: BackendID
        /// 0 for a root.
        public var depth: Int
        /// Sessions waiting on this one, directly or through others.
        public var blocked: Int
        /// The root of its tree (itself for a root).
        public var root: BackendID
    }

    /// Depth-first: each root, then the sessions under it, most blocked first.
    public private(set) var nodes: [Node] = []

    public init(_ backends: [Backend]) {
        var byPid: [Int32: Int] = [:]
        for (i, b) in backends.enumerated() { byPid[b.pid] = i }
        // The sessions each one holds up directly: the waiter goes under its first blocker present.
        var children: [Int: [Int]] = [:]
        var parent: [Int: Int] = [:]
        for (i, b) in backends.enumerated() {
            guard let blocker = b.blockedBy.lazy.compactMap({ byPid[$0] }).first(where: { $0 != i }) else { continue }
            children[blocker, default: []].append(i)
            parent[i] = blocker
        }
        guard !children.isEmpty else { return }

        var blocked: [Int: Int] = [:]
        func count(_ i: Int, _ path: inout Set<Int>) -> Int {
            if let known = blocked[i] { return known }
            guard path.insert(i).inserted else { return 0 }  // a cycle
            var n = 0
            for c in children[i] ?? [] where !path.contains(c) { n += 1 + count(c, &path) }
            path.remove(i)
            blocked[i] = n
            return n
        }
        var path = Set<Int>()
        for i in children.keys.sorted() { _ = count(i, &path) }  // in row order: a cycle counts the same every time

        func order(_ list: [Int]) -> [Int] {
            list.sorted { a, b in
                let (x, y) = (blocked[a] ?? 0, blocked[b] ?? 0)
                if x != y { return x > y }
                return backends[a].id < backends[b].id
            }
        }
        var placed = Set<Int>()
        func visit(_ i: Int, depth: Int, root: BackendID) {
            guard placed.insert(i).inserted else { return }
            nodes.append(Node(id: backends[i].id, depth: depth, blocked: blocked[i] ?? 0, root: root))
            for c in order(children[i] ?? []) { visit(c, depth: depth + 1, root: root) }
        }
        // Roots: blockers waiting on no one here; then whatever a cycle left unplaced.
        for root in order(children.keys.filter { parent[$0] == nil }) { visit(root, depth: 0, root: backends[root].id) }
        for rest in order(children.keys.filter { !placed.contains($0) }) { visit(rest, depth: 0, root: backends[rest].id) }
    }

    /// Only the trees with at least one node that `matches`, each whole: a filter on the tree
    /// view finds the trees a session is part of (its holder, its fellow waiters), not the
    /// session alone.
    ///
    ///     tree.keepingTrees { $0.pid == 12 }.nodes.map(\.id.pid)   // [10, 11, 12, 13]: 12's whole tree
    public func keepingTrees(where matches: (BackendID) -> Bool) -> BlockingTree {
        var roots = Set<BackendID>()
        for node in nodes where !roots.contains(node.root) && matches(node.id) { roots.insert(node.root) }
        var kept = self
        kept.nodes = nodes.filter { roots.contains($0.root) }
        return kept
    }

    /// The sessions that ending `targets` would release: everyone waiting beneath them.
    public static func released(by targets: Set<BackendID>, in backends: [Backend]) -> Int {
        let tree = BlockingTree(backends)
        var released = 0
        var under: Int?  // depth of the target whose subtree is being walked
        for node in tree.nodes {
            if let d = under, node.depth > d {
                if !targets.contains(node.id) { released += 1 }
                continue
            }
            under = targets.contains(node.id) ? node.depth : nil
        }
        return released
    }
}
