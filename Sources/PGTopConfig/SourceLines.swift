/// Where each key and table of a TOML text sits, by dotted path, so that an error about a
/// value can name its line (the parser only places syntax errors).
///
///     let lines = SourceLines("refresh = 2\n[profile.prod]\nview = \"x\"\n")
///     lines.line(of: ["profile", "prod", "view"])   // 3
///
/// The paths are kept as a tree (one node per key part, under its parent), so a key of 20,000
/// dotted parts costs 20,000 steps, not 20,000 copies of its prefixes.
struct SourceLines {
    private struct Edge: Hashable {
        var parent: Int
        var name: String
    }

    private var nodes: [Edge: Int] = [:]
    /// The line of each node (1-based); node 0 is the root.
    private var lineOf: [Int] = [0]

    init(_ text: String) {
        var table = 0
        for statement in TOMLStatement.scan(text) {
            let number = statement.lines.lowerBound + 1
            switch statement.kind {
            case .table, .arrayTable:
                table = statement.table.reduce(0) { node(under: $0, $1, number) }
            case .keyValue:
                _ = statement.key.reduce(table) { node(under: $0, $1, number) }
            }
        }
    }

    /// The line of the key or table at `path` (1-based); for a table given only by dotted keys,
    /// the line of its first key.
    func line(of path: [String]) -> Int? {
        var at = 0
        for part in path {
            guard let next = nodes[Edge(parent: at, name: part)] else { return nil }
            at = next
        }
        return at == 0 ? nil : lineOf[at]
    }

    /// The node for `name` under `parent`, made (at `number`: first mention wins) if new.
    private mutating func node(under parent: Int, _ name: String, _ number: Int) -> Int {
        let edge = Edge(parent: parent, name: name)
        if let known = nodes[edge] { return known }
        lineOf.append(number)
        nodes[edge] = lineOf.count - 1
        return lineOf.count - 1
    }
}
