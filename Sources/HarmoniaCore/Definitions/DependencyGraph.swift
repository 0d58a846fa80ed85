/// A workflow's tasks as integer nodes with dependency edges, built once so graph
/// algorithms run in O(V + E) on arrays instead of string-keyed dictionaries.
///
/// Edges to unknown ids and self-edges are left out: validation reports those itself, with
/// the exact path of the offending entry, before the graph matters.
struct DependencyGraph {
    /// `dependencies[i]` are the nodes task `i` waits for, in `depends_on` order.
    let dependencies: [[Int]]

    init(_ definition: WorkflowDefinition, indexByID: [String: Int]? = nil) {
        let index = indexByID ?? Self.index(definition.tasks)
        dependencies = definition.tasks.enumerated().map { node, task in
            task.dependsOn.compactMap { id in
                guard let target = index[id], target != node else { return nil }
                return target
            }
        }
    }

    /// First index of every id (later duplicates are ignored).
    static func index(_ tasks: [TaskDefinition]) -> [String: Int] {
        var result: [String: Int] = [:]
        result.reserveCapacity(tasks.count)
        for (i, task) in tasks.enumerated() where result[task.id] == nil { result[task.id] = i }
        return result
    }

    /// Nodes in dependency order, ties broken by node index (Kahn's algorithm with a
    /// min-heap). Nodes on or behind a cycle never become ready and are left out.
    func topologicalOrder() -> [Int] {
        let count = dependencies.count
        var waiting = dependencies.map(\.count)
        var dependents = Array(repeating: [Int](), count: count)
        for (node, deps) in dependencies.enumerated() {
            for dep in deps { dependents[dep].append(node) }
        }
        var ready = MinHeap()
        for node in 0..<count where waiting[node] == 0 { ready.push(node) }
        var order: [Int] = []
        order.reserveCapacity(count)
        while let node = ready.pop() {
            order.append(node)
            for dependent in dependents[node] {
                waiting[dependent] -= 1
                if waiting[dependent] == 0 { ready.push(dependent) }
            }
        }
        return order
    }
}

/// A binary min-heap of node indices.
private struct MinHeap {
    private var items: [Int] = []

    mutating func push(_ value: Int) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        guard !items.isEmpty else { return top }
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count, items[left] < items[smallest] { smallest = left }
            if right < items.count, items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
