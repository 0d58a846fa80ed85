import AsyncHTTPClient
import Foundation
import HarmoniaClient
import HarmoniaCore
import NIOCore
import NIOHTTP1
import Testing

@testable import HarmoniaServer

/// The conversation parts of the streams: keepalive, ping, unsubscribe, errors, unknown ids.
@Suite(.timeLimit(.minutes(1)))
struct ControlFrameTests {
    @Test func sseSendsKeepalivesDuringSilence() async throws {
        try await LiveServer.with(streaming: StreamingConfiguration(keepaliveInterval: .milliseconds(100))) { server in
            let id = try await server.start(StreamFixtures.long)
            var client = try await SSETestClient.open(server, "/events/executions/\(id)")
            #expect(try await client.awaitKeepalive())
            try await server.client.cancelWorkflow(executionID: id)
            let rest = try await client.readToEnd()
            #expect(rest.last?.event == "workflow_canceled")
        }
    }

    @Test func unknownExecutionIsA404OrACloseWithAReason() async throws {
        try await LiveServer.with { server in
            let request = HTTPClientRequest(url: server.baseURL + "/events/executions/no-such-id")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            #expect(response.status == .notFound)
            let error = try JSONValue.parse(Array(buffer: try await response.body.collect(upTo: 1 << 16)))
            #expect(error["code"] == "not_found")

            let ws = try await WebSocketTestClient.run(server, "/ws/executions/no-such-id")
            #expect(ws.closeCode == 4404)
            #expect(ws.closeReason?.contains("no execution with id no-such-id") == true)
        }
    }

    @Test func badClientJSONGetsAnErrorFrameAndTheConnectionStaysUp() async throws {
        try await LiveServer.with { server in
            let id = try await server.start(StreamFixtures.long)
            let transcript = try await WebSocketTestClient.run(
                server, "/ws/executions/\(id)", send: ["this is not json", #"{"type": "dance"}"#, #"{"type": "ping"}"#],
                reply: { frame in frame["type"] == "pong" ? [#"{"type": "unsubscribe"}"#] : [] })
            let types = transcript.frames.compactMap { $0["type"]?.stringValue }
            #expect(types.first == "connected")
            #expect(types.filter { $0 == "error" }.count == 2)
            #expect(transcript.frames.contains { $0["code"] == "invalid_frame" })
            // After the errors the same connection still answers, then closes on request.
            #expect(Array(types.suffix(2)) == ["pong", "unsubscribed"])
            #expect(transcript.closeCode == 1000)
            try await server.client.cancelWorkflow(executionID: id)
        }
    }

    @Test func plainGetOnAWebSocketRouteAsksForAnUpgrade() async throws {
        try await LiveServer.with { server in
            let response = try await SSETestClient.open(server, "/ws/executions")
            #expect(response.status == 426)
        }
    }

    @Test func apiKeysGuardStreamsInHeadersOrQuery() async throws {
        try await LiveServer.with(apiKeys: ["sekret"]) { server in
            let id = try await server.start(StreamFixtures.chain(1, sleep: 0))
            let denied = try await SSETestClient.open(server, "/events/executions/\(id)")
            #expect(denied.status == 401)
            var header = try await SSETestClient.open(server, "/events/executions/\(id)", apiKey: "sekret")
            #expect(header.status == 200)
            _ = try await header.readToEnd()
            var query = try await SSETestClient.open(server, "/events/executions/\(id)?api_key=sekret")
            #expect(query.status == 200)
            _ = try await query.readToEnd()
            let ws = try await WebSocketTestClient.run(server, "/ws/executions/\(id)?api_key=sekret")
            #expect(ws.events.last?.type == "workflow_completed")
            await #expect(throws: (any Error).self) {
                _ = try await WebSocketTestClient.run(server, "/ws/executions/\(id)")
            }
        }
    }
}
