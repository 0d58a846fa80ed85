import AsyncHTTPClient
import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import NIOCore
import NIOHTTP1

/// One execution's events, live, over SSE (`/events/executions/{id}`): every event after
/// the starting cursor exactly once and in order, ending after the terminal workflow event.
///
/// Pull-based: the next chunk is read from the connection only when the caller asks for
/// the next event, so a slow caller slows the connection, not its memory. When the
/// connection drops (or the server says this client lagged), the iterator reconnects with
/// the last seq it returned, and the server's log fills the gap.
public struct ExecutionEventStream: AsyncSequence, Sendable {
    public typealias Element = ExecutionEvent

    /// The server's code for a stream that fell too far behind; the iterator resumes.
    static let laggedCode = "subscriber_lagged"

    let client: HarmoniaClient
    let executionID: String
    let afterSeq: Int64
    let reconnectDelay: Duration
    let maxReconnects: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(stream: self, lastSeq: afterSeq)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let stream: ExecutionEventStream
        /// The seq of the last event returned; the resume point.
        public private(set) var lastSeq: Int64
        private var body: HTTPClientResponse.Body.AsyncIterator?
        private var parser = SSEParser()
        private var ready: [ExecutionEvent] = []
        private var finished = false
        private var failures = 0

        init(stream: ExecutionEventStream, lastSeq: Int64) {
            self.stream = stream
            self.lastSeq = lastSeq
        }

        public mutating func next() async throws -> ExecutionEvent? {
            while true {
                if !ready.isEmpty {
                    let event = ready.removeFirst()
                    lastSeq = event.seq
                    if event.type.isTerminal {
                        finished = true
                        body = nil
                    }
                    return event
                }
                if finished { return nil }
                try Task.checkCancellation()
                if body == nil {
                    do {
                        body = try await connect()
                    } catch let error as HarmoniaClientError where error.status != 0 {
                        throw error  // The server answered: unknown id, unauthorized...
                    } catch {
                        try await backOff(after: error)
                        continue
                    }
                }
                do {
                    guard let chunk = try await body?.next() else {
                        // The server ended the stream without a terminal event: the
                        // execution was already over (cursor past its end) or the
                        // connection was dropped. Reconnecting tells which.
                        body = nil
                        if await isOver() { return nil }
                        // Not over: reconnect, a little later so a server that keeps
                        // closing at once is not hammered.
                        try await Task.sleep(for: stream.reconnectDelay)
                        continue
                    }
                    try absorb(chunk)
                } catch let error as HarmoniaClientError where error.code != ExecutionEventStream.laggedCode {
                    throw error
                } catch {
                    body = nil
                    try await backOff(after: error)
                }
            }
        }

        /// Parses a chunk into events; the server's error frames become errors.
        private mutating func absorb(_ chunk: ByteBuffer) throws {
            for message in parser.feed(chunk.readableBytesView) {
                switch message.event {
                case "connected", "state":
                    failures = 0
                case "error":
                    let object = (try? JSONValue.parse(Array(message.data.utf8)))?.objectValue ?? [:]
                    let code = object["code"]?.stringValue ?? "stream_error"
                    let detail = object["detail"]?.stringValue ?? message.data
                    throw HarmoniaClientError(
                        code: code, detail: detail, status: 0)
                default:
                    let event = try HarmoniaClient.decode(
                        ExecutionEvent.self, from: JSONValue.parse(Array(message.data.utf8)), what: "an SSE event frame")
                    // The server never repeats a seq; a reconnect must not either.
                    if event.seq > (ready.last?.seq ?? lastSeq) { ready.append(event) }
                }
            }
        }

        private func connect() async throws -> HTTPClientResponse.Body.AsyncIterator {
            let client = stream.client
            let path = "/events/executions/" + HarmoniaClient.encode(stream.executionID)
            var request = HTTPClientRequest(url: client.baseURL + path + "?after_seq=\(lastSeq)")
            request.headers.add(name: "Accept", value: "text/event-stream")
            request.headers.add(name: "User-Agent", value: "harmonia-swift-client")
            if lastSeq > 0 { request.headers.add(name: "Last-Event-ID", value: String(lastSeq)) }
            if let apiKey = client.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
            // A stream has no natural deadline; connecting is bounded by the client's own
            // connect timeout.
            let response = try await client.httpClient.execute(request, timeout: .hours(24 * 365))
            guard response.status == .ok else {
                let bytes = try await response.body.collect(upTo: 1 << 20)
                _ = try HarmoniaClient.unwrap(status: Int(response.status.code), body: Array(buffer: bytes))
                throw HarmoniaClientError(
                    code: HarmoniaClientError.Code.invalidResponse,
                    detail: "the event stream answered HTTP \(response.status.code)", status: Int(response.status.code))
            }
            return response.body.makeAsyncIterator()
        }

        /// Whether the execution finished at or before `lastSeq` (so nothing more will come).
        /// False when the server cannot say (it may be restarting): reconnecting decides.
        private func isOver() async -> Bool {
            guard let detail = try? await stream.client.getExecution(id: stream.executionID),
                detail.execution.status.isTerminal,
                let rest = try? await stream.client.events(executionID: stream.executionID, afterSeq: lastSeq, limit: 1)
            else { return false }
            return rest.events.isEmpty
        }

        private mutating func backOff(after error: any Error) async throws {
            failures += 1
            guard failures <= stream.maxReconnects else {
                throw HarmoniaClientError(
                    code: HarmoniaClientError.Code.connectionFailed,
                    detail: "the event stream of execution \(stream.executionID) dropped \(failures - 1) times in a row: \(error)",
                    status: 0)
            }
            try await Task.sleep(for: stream.reconnectDelay)
        }
    }
}
