/// Finds dependency cycles with an iterative depth-first search, so a chain of 10,000 tasks
/// costs O(V + E) and no stack depth.
///
/// Each back edge found closes one cycle, reported as the path of nodes from where the
/// search entered the cycle around to the node whose edge closes it. Nodes are visited in
/// index order and edges in `depends_on` order, so the same definition always names the
/// same cycles.
enum CycleDetector {
    /// Up to `limit` cycles of the graph whose adjacency lists are `edges`, each without
    /// the repeated first node (`[a, b, c]` means a → b → c → a).
    static func cycles(in edges: [[Int]], limit: Int) -> [[Int]] {
        let white: UInt8 = 0, gray: UInt8 = 1, black: UInt8 = 2
        var color = [UInt8](repeating: white, count: edges.count)
        // Position in `stack` of each gray node, to cut the cycle out of the stack.
        var position = [Int](repeating: -1, count: edges.count)
        var stack: [(node: Int, nextEdge: Int)] = []
        var found: [[Int]] = []

        for start in edges.indices where color[start] == white {
            color[start] = gray
            position[start] = 0
            stack.append((start, 0))
            while let (node, nextEdge) = stack.last {
                guard nextEdge < edges[node].count else {
                    color[node] = black
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].nextEdge += 1
                let target = edges[node][nextEdge]
                if color[target] == white {
                    color[target] = gray
                    position[target] = stack.count
                    stack.append((target, 0))
                } else if color[target] == gray {
                    found.append(stack[position[target]...].map(\.node))
                    if found.count >= limit { return found }
                }
            }
        }
        return found
    }

    /// `a -> b -> c -> a`; long cycles are shortened in the middle so a message stays readable.
    static func describe(_ ids: [String], maxShown: Int = 20) -> String {
        guard let first = ids.first else { return "" }
        var shown = ids
        if ids.count > maxShown {
            let half = maxShown / 2
            shown = Array(ids.prefix(half)) + ["... (\(ids.count - 2 * half) more)"] + Array(ids.suffix(half))
        }
        return (shown + [first]).joined(separator: " -> ")
    }
}
