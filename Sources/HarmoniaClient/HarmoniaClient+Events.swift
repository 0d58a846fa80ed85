import HarmoniaAPIModels
import HarmoniaCore
import NIOHTTP1

extension HarmoniaClient {
    /// `GET /executions/{id}/events?after_seq=`: one page of the execution's log, in order.
    ///
    /// Pass the page's `nextAfterSeq` as the next `afterSeq` to read on; an empty page
    /// means the caller has everything logged so far.
    public func events(executionID: String, afterSeq: Int64 = 0, limit: Int? = nil) async throws -> EventPage {
        try await send(
            EventPage.self, .GET, Self.apiPath("executions", executionID, "events"),
            query: [("after_seq", String(afterSeq)), ("limit", limit.map(String.init))])
    }

    /// The whole log logged so far, read page by page.
    public func allEvents(executionID: String) async throws -> [ExecutionEvent] {
        var events: [ExecutionEvent] = []
        var after: Int64 = 0
        while true {
            let page = try await self.events(executionID: executionID, afterSeq: after)
            guard !page.events.isEmpty, page.nextAfterSeq > after else { return events }
            events += page.events
            after = page.nextAfterSeq
        }
    }

    /// One execution's events live over SSE, from `afterSeq` on, ending after the terminal
    /// workflow event.
    ///
    /// Survives dropped connections: it reconnects from the last seq it returned (up to
    /// `maxReconnects` failures in a row, `reconnectDelay` apart), and the server replays
    /// the gap from its log, so every event arrives exactly once and in order. Named apart
    /// from `events(executionID:afterSeq:limit:)`, which reads one page of the log.
    public func eventStream(
        executionID: String, afterSeq: Int64 = 0, reconnectDelay: Duration = .milliseconds(250),
        maxReconnects: Int = 20
    ) -> ExecutionEventStream {
        ExecutionEventStream(
            client: self, executionID: executionID, afterSeq: afterSeq, reconnectDelay: reconnectDelay,
            maxReconnects: maxReconnects)
    }
}
