import HarmoniaCore

/// The data of `GET /executions/{id}/events`: part of the execution's log in order.
///
/// Each event has the same JSON shape as a WebSocket or SSE event frame. To read the whole
/// log page by page, pass `next_after_seq` as the next request's `after_seq`.
public struct EventPage: Codable, Sendable, Hashable {
    public var executionID: String
    public var events: [ExecutionEvent]
    /// The `after_seq` this page was read from.
    public var afterSeq: Int64
    /// The seq of the last event returned (or `after_seq` when none was).
    public var nextAfterSeq: Int64

    public init(executionID: String, events: [ExecutionEvent], afterSeq: Int64) {
        self.executionID = executionID
        self.events = events
        self.afterSeq = afterSeq
        self.nextAfterSeq = events.last?.seq ?? afterSeq
    }

    enum CodingKeys: String, CodingKey {
        case executionID = "execution_id"
        case events
        case afterSeq = "after_seq"
        case nextAfterSeq = "next_after_seq"
    }
}
