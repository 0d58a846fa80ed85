/// Runs `body` over `items` with at most `limit` calls in flight, results in input order.
///
/// Used for work after a measurement (reading thousands of event logs) and for bursts that
/// must not open unbounded connections; the limit keeps the client from becoming the load.
func concurrentMap<Item: Sendable, Result: Sendable>(
    _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async throws -> Result
) async throws -> [Result] {
    try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        var results = [Result?](repeating: nil, count: items.count)
        var next = 0
        func addNext() {
            guard next < items.count else { return }
            let index = next
            let item = items[index]
            next += 1
            group.addTask { (index, try await body(item)) }
        }
        for _ in 0..<min(max(1, limit), items.count) { addNext() }
        while let (index, result) = try await group.next() {
            results[index] = result
            addNext()
        }
        return results.map { $0! }
    }
}
