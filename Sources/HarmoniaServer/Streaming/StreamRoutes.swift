import Foundation
import HTTPTypes
import HarmoniaCore
import Hummingbird
import HummingbirdWebSocket

/// `/events/executions[/{id}]` (SSE) and `/ws/executions[/{id}]` (WebSocket), outside the
/// API prefixes, on the same port and router as everything else.
struct StreamRoutes: Sendable {
    let dependencies: RouteDependencies
    let configuration: StreamingConfiguration
    let metrics: HarmoniaMetrics

    func addRoutes(to router: Router<HarmoniaRequestContext>) {
        router.get("events/executions", use: sseAll)
        router.get("events/executions/{id}", use: sseExecution)
        router.ws("ws/executions", shouldUpgrade: shouldUpgrade) { inbound, outbound, context in
            try await webSocket(for: nil, afterSeq: 0).run(inbound: inbound, outbound: outbound)
        }
        router.ws("ws/executions/{id}", shouldUpgrade: shouldUpgrade) { inbound, outbound, context in
            let raw = context.requestContext.parameters.get("id") ?? ""
            let id = raw.removingPercentEncoding ?? raw
            let afterSeq = (try? StreamRoutes.cursor(context.request)) ?? 0
            try await webSocket(for: id, afterSeq: afterSeq).run(inbound: inbound, outbound: outbound)
        }
    }

    @Sendable func sseAll(_ request: Request, context: HarmoniaRequestContext) async throws -> Response {
        sseResponse(SSEConnection(
            store: dependencies.store, engine: dependencies.engine, configuration: configuration,
            executionID: nil, afterSeq: 0))
    }

    @Sendable func sseExecution(_ request: Request, context: HarmoniaRequestContext) async throws -> Response {
        let id = try context.requiredID()
        let afterSeq = try Self.cursor(request)
        // Checked before the 200 is sent, so an unknown id is a plain 404 with a JSON body.
        guard try await dependencies.store.execution(id: id) != nil else {
            throw HarmoniaError(.notFound, "no execution with id \(id)")
        }
        return sseResponse(SSEConnection(
            store: dependencies.store, engine: dependencies.engine, configuration: configuration,
            executionID: id, afterSeq: afterSeq))
    }

    private func sseResponse(_ connection: SSEConnection) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        // Proxies such as nginx would otherwise hold frames back.
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        let metrics = self.metrics
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            metrics.streamConnection(kind: "sse", delta: 1)
            defer { metrics.streamConnection(kind: "sse", delta: -1) }
            try await connection.run(ResponseWriterBox(writer))
            try await writer.finish(nil)
        })
    }

    private func webSocket(for executionID: String?, afterSeq: Int64) -> WebSocketConnection {
        WebSocketConnection(
            store: dependencies.store, engine: dependencies.engine, configuration: configuration,
            metrics: metrics, executionID: executionID, afterSeq: afterSeq)
    }

    /// A plain GET on a WebSocket route is told to upgrade instead of getting an empty 200.
    @Sendable func shouldUpgrade(_ request: Request, context: HarmoniaRequestContext) async throws -> RouterShouldUpgrade {
        guard request.headers[.upgrade]?.lowercased() == "websocket" else {
            throw HTTPError(.upgradeRequired, message: "this is a WebSocket endpoint; connect with a WebSocket client")
        }
        return .upgrade([:])
    }

    /// Where a client resumes: `Last-Event-ID` (what a browser's EventSource sends when it
    /// reconnects), else `?after_seq=`, else 0 (the whole log).
    static func cursor(_ request: Request) throws -> Int64 {
        if let header = request.headers[HTTPField.Name("Last-Event-ID")!], !header.isEmpty {
            guard let seq = Int64(header.trimmingCharacters(in: .whitespaces)), seq >= 0 else {
                throw HarmoniaError(.invalidRequest, "Last-Event-ID must be a sequence number, got '\(header)'")
            }
            return seq
        }
        return Int64(try request.integerQuery("after_seq", default: 0, range: 0...Int.max))
    }
}
