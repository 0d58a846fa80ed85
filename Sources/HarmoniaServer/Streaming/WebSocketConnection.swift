import Foundation
import HarmoniaCore
import HarmoniaEngine
import HummingbirdWebSocket
import NIOWebSocket

/// One WebSocket client of `/ws/executions[/{id}]`.
///
/// Like SSE, a per-execution connection replays the log after its cursor (`?after_seq=`,
/// default 0) and then forwards live events, ending after the terminal event. On top, the
/// client talks: `ping`, `unsubscribe`, `resume {after_seq}`. Client frames are read in a
/// child task and merged into the same input sequence as the events, so one loop writes
/// everything in order.
struct WebSocketConnection: Sendable {
    let store: any Store
    let engine: Engine
    let configuration: StreamingConfiguration
    let metrics: HarmoniaMetrics
    let executionID: String?
    let afterSeq: Int64
    let clientID = UUID().uuidString.lowercased()

    /// Largest client message read; control frames are tiny.
    static let maxClientMessage = 64 * 1024

    /// Close codes in the application range (4000–4999) for reasons a client acts on.
    enum CloseCode {
        static let notFound = WebSocketErrorCode.unknown(4404)
        static let lagged = WebSocketErrorCode.unknown(4429)
    }

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        metrics.streamConnection(kind: "websocket", delta: 1)
        defer { metrics.streamConnection(kind: "websocket", delta: -1) }
        if let executionID, try await store.execution(id: executionID) == nil {
            // Close reasons are limited to 123 bytes.
            try await outbound.close(CloseCode.notFound, reason: String("no execution with id \(executionID)".utf8.prefix(120))!)
            return
        }
        try await withLiveFeed(
            events: engine.events, executionID: executionID, configuration: configuration, keepalive: false
        ) { feed in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await read(inbound, into: feed) }
                try await write(feed: feed, outbound: outbound)
                group.cancelAll()
            }
        }
    }

    private func read(_ inbound: WebSocketInboundStream, into feed: LiveFeed) async throws {
        defer { feed.send(.clientClosed) }
        for try await message in inbound.messages(maxSize: Self.maxClientMessage) {
            switch message {
            case .text(let text):
                feed.send(.client(ClientFrame.parse(text)))
            case .binary:
                feed.send(.client(.invalid("binary frames are not supported; send JSON text frames")))
            }
        }
    }

    private func write(feed: LiveFeed, outbound: WebSocketOutboundWriter) async throws {
        let log = EventLogReader(store: store, pageSize: configuration.replayPageSize)
        var cursor = EventCursor(after: afterSeq)
        try await outbound.write(
            .text(
                StreamFrames.connected(
                    clientID: clientID, executionID: executionID, afterSeq: executionID.map { _ in afterSeq })))

        /// Replays the log after the cursor; true when it held the terminal event.
        func replay() async throws -> Bool {
            guard let executionID else { return false }
            var finished = false
            try await log.replay(executionID: executionID, after: cursor.lastSeq) { event in
                try await outbound.write(.text(StreamFrames.event(event)))
                cursor.sent(event.seq)
                if event.type.isTerminal { finished = true }
            }
            return finished
        }

        if try await replay() {
            return try await close(outbound, .normalClosure, "execution finished")
        }

        for await input in feed.inputs {
            feed.took(input)
            switch input {
            case .event(let event):
                if executionID != nil {
                    switch cursor.decide(event.seq) {
                    case .skip:
                        continue
                    case .fillGap(let after, let before):
                        try await log.replay(executionID: event.executionID, after: after, before: before) { missed in
                            try await outbound.write(.text(StreamFrames.event(missed)))
                            cursor.sent(missed.seq)
                        }
                    case .send:
                        break
                    }
                    cursor.sent(event.seq)
                }
                try await outbound.write(.text(StreamFrames.event(event)))
                if executionID != nil, event.type.isTerminal {
                    return try await close(outbound, .normalClosure, "execution finished")
                }
            case .client(.ping):
                try await outbound.write(.text(StreamFrames.pong()))
            case .client(.unsubscribe):
                try await outbound.write(.text(StreamFrames.unsubscribed(executionID: executionID)))
                return try await close(outbound, .normalClosure, "unsubscribed")
            case .client(.resume(let seq)):
                guard executionID != nil else {
                    try await outbound.write(
                        .text(
                            StreamFrames.error(
                                code: StreamErrorCode.invalidFrame,
                                detail: "resume needs a per-execution stream (/ws/executions/{id})")))
                    continue
                }
                cursor.reset(to: seq)
                if try await replay() {
                    return try await close(outbound, .normalClosure, "execution finished")
                }
            case .client(.invalid(let reason)):
                try await outbound.write(.text(StreamFrames.error(code: StreamErrorCode.invalidFrame, detail: reason)))
            case .clientClosed:
                return
            case .lagged:
                let last = executionID == nil ? nil : cursor.lastSeq
                try await outbound.write(
                    .text(
                        StreamFrames.error(
                            code: StreamErrorCode.lagged, detail: StreamFrames.laggedDetail(lastSeq: last), lastSeq: last)))
                return try await close(outbound, CloseCode.lagged, "lagged: resume from the last seq received")
            case .keepalive:
                continue
            }
        }
    }

    private func close(_ outbound: WebSocketOutboundWriter, _ code: WebSocketErrorCode, _ reason: String) async throws {
        try await outbound.close(code, reason: reason)
    }
}
