import Foundation
import HarmoniaCore
import HarmoniaEngine
import NIOCore

/// One Server-Sent Events client: `connected`, then (for one execution) `state`, the log
/// after the client's cursor, and live events, until the terminal workflow event.
///
/// Order of work is what makes the stream gap-free and duplicate-free: subscribe (in
/// `withLiveFeed`), then replay the log after the cursor, then forward live events whose
/// seq is beyond the last one written.
struct SSEConnection: Sendable {
    let store: any Store
    let engine: Engine
    let configuration: StreamingConfiguration
    /// nil: every execution, live only.
    let executionID: String?
    let afterSeq: Int64
    let clientID = UUID().uuidString.lowercased()

    /// Writes the stream to `output` until it ends; throws when the client went away or
    /// lagged without reading.
    func run(_ output: ResponseWriterBox) async throws {
        try await withLiveFeed(
            events: engine.events, executionID: executionID, configuration: configuration, keepalive: true
        ) { feed in
            let sink = Sink(output: output, feed: feed)
            try await sink.write(SSEFormat.retry(milliseconds: 2000))
            try await sink.frame(
                event: "connected",
                StreamFrames.connected(clientID: clientID, executionID: executionID, afterSeq: executionID.map { _ in afterSeq }))
            if let executionID {
                try await streamExecution(executionID, feed: feed, sink: sink)
            } else {
                try await streamAll(feed: feed, sink: sink)
            }
        }
    }

    private func streamExecution(_ executionID: String, feed: LiveFeed, sink: Sink) async throws {
        guard let state = try await store.execution(id: executionID) else {
            try await sink.frame(
                event: "error", StreamFrames.error(code: StreamErrorCode.notFound, detail: "no execution with id \(executionID)"))
            return
        }
        try await sink.frame(event: "state", StreamFrames.state(state))

        let log = EventLogReader(store: store, pageSize: configuration.replayPageSize)
        var cursor = EventCursor(after: afterSeq)
        var finished = false
        try await log.replay(executionID: executionID, after: cursor.lastSeq) { event in
            try await sink.event(event)
            cursor.sent(event.seq)
            if event.type.isTerminal { finished = true }
        }
        // A terminal status is committed with its terminal event, so the replay had it (or
        // the client's cursor was already past it): nothing more will come.
        if finished || state.status.isTerminal { return }

        for await input in feed.inputs {
            feed.took(input)
            switch input {
            case .event(let event):
                switch cursor.decide(event.seq) {
                case .skip:
                    continue
                case .fillGap(let after, let before):
                    try await log.replay(executionID: executionID, after: after, before: before) { missed in
                        try await sink.event(missed)
                        cursor.sent(missed.seq)
                    }
                case .send:
                    break
                }
                try await sink.event(event)
                cursor.sent(event.seq)
                if event.type.isTerminal { return }
            case .keepalive:
                try await sink.write(SSEFormat.keepalive)
            case .lagged:
                try await sink.frame(
                    event: "error",
                    StreamFrames.error(
                        code: StreamErrorCode.lagged, detail: StreamFrames.laggedDetail(lastSeq: cursor.lastSeq),
                        lastSeq: cursor.lastSeq))
                return
            case .client, .clientClosed:
                continue
            }
        }
    }

    private func streamAll(feed: LiveFeed, sink: Sink) async throws {
        for await input in feed.inputs {
            feed.took(input)
            switch input {
            case .event(let event):
                try await sink.event(event)
            case .keepalive:
                try await sink.write(SSEFormat.keepalive)
            case .lagged:
                try await sink.frame(
                    event: "error",
                    StreamFrames.error(code: StreamErrorCode.lagged, detail: StreamFrames.laggedDetail(lastSeq: nil)))
                return
            case .client, .clientClosed:
                continue
            }
        }
    }

    /// Writes frames and tells the feed, so the keepalive clock counts from the last write.
    private struct Sink: Sendable {
        let output: ResponseWriterBox
        let feed: LiveFeed

        func write(_ buffer: ByteBuffer) async throws {
            try await output.write(buffer)
            feed.wrote()
        }

        func frame(event: String, _ data: String) async throws {
            try await write(SSEFormat.frame(event: event, data: data))
        }

        func event(_ event: ExecutionEvent) async throws {
            try await write(SSEFormat.frame(id: event.seq, event: event.type.rawValue, data: StreamFrames.event(event)))
        }
    }
}
