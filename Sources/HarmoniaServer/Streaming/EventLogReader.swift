import HarmoniaCore

/// Reads an execution's durable log page by page for a stream's replay.
struct EventLogReader: Sendable {
    let store: any Store
    let pageSize: Int

    /// Calls `deliver` with every logged event after `after` (and before `before`, when
    /// given), in order. Pages are read as the caller writes, so a long log replays at the
    /// client's pace without being held in memory.
    func replay(
        executionID: String, after: Int64, before: Int64? = nil,
        _ deliver: (ExecutionEvent) async throws -> Void
    ) async throws {
        var cursor = after
        while true {
            let page = try await store.events(executionID: executionID, afterSeq: cursor, limit: pageSize)
            for event in page {
                if let before, event.seq >= before { return }
                try await deliver(event)
                cursor = event.seq
            }
            if page.count < pageSize { return }
        }
    }
}
