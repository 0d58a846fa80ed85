import Foundation
import HarmoniaClient
import HarmoniaCore
import Testing

@testable import HarmoniaServer

/// A client that drops off mid-run and comes back from its last seq misses nothing and
/// sees nothing twice.
@Suite(.timeLimit(.minutes(2)))
struct ResumeTests {
    @Test func sseResumesFromLastEventIDWithNoGapAndNoDuplicate() async throws {
        try await LiveServer.with { server in
            let id = try await server.start(StreamFixtures.chain(8, sleep: 0.03))
            var first = try await SSETestClient.open(server, "/events/executions/\(id)")
            var received: [EventKey] = []
            while received.count < 5, let message = try await first.next() {
                received += try SSETestClient.events([message]).map(EventKey.init)
            }
            let last = try #require(received.last?.seq)
            // Drop the connection mid-run (the server notices on its next write).
            _ = consume first

            var second = try await SSETestClient.open(server, "/events/executions/\(id)", lastEventID: last)
            received += try SSETestClient.events(try await second.readToEnd()).map(EventKey.init)
            let log = try await server.finishedLog(id).map(EventKey.init)
            #expect(received == log)
        }
    }

    @Test func sseAfterSeqQueryResumesToo() async throws {
        try await LiveServer.with { server in
            let id = try await server.start(StreamFixtures.chain(3, sleep: 0))
            let log = try await server.finishedLog(id).map(EventKey.init)
            var client = try await SSETestClient.open(server, "/events/executions/\(id)?after_seq=4")
            let events = try SSETestClient.events(try await client.readToEnd()).map(EventKey.init)
            #expect(events == Array(log.dropFirst(4)))
            // Past the end of a finished execution: the greeting, the state, and the end.
            var past = try await SSETestClient.open(server, "/events/executions/\(id)", lastEventID: 99)
            let rest = try await past.readToEnd()
            #expect(rest.map(\.event) == ["connected", "state"])
        }
    }

    @Test func webSocketReconnectsWithAfterSeqAndResumeFrameReplays() async throws {
        try await LiveServer.with { server in
            let id = try await server.start(StreamFixtures.chain(6, sleep: 0.03))
            // First connection: leave after four events.
            let first = try await WebSocketTestClient.run(server, "/ws/executions/\(id)", stop: { frames in
                frames.filter { $0["event_type"] != nil }.count >= 4
            })
            let firstEvents = first.events
            let last = try #require(firstEvents.last?.seq)
            // Second connection from the last seq: the rest.
            let second = try await WebSocketTestClient.run(server, "/ws/executions/\(id)?after_seq=\(last)")
            let log = try await server.finishedLog(id).map(EventKey.init)
            #expect(firstEvents + second.events == log)

            // A resume frame on a live connection replays from the log.
            let replayed = try await WebSocketTestClient.run(
                server, "/ws/executions/\(id)?after_seq=\(log.count)", send: [#"{"type": "resume", "after_seq": 2}"#])
            #expect(replayed.events == Array(log.dropFirst(2)))
        }
    }

    @Test func clientLibraryStreamReconnectsAcrossDroppedConnections() async throws {
        try await LiveServer.with { server in
            let id = try await server.start(StreamFixtures.chain(5, sleep: 0.02))
            var seen: [EventKey] = []
            for try await event in server.client.eventStream(executionID: id) {
                seen.append(EventKey(event))
            }
            let log = try await server.finishedLog(id).map(EventKey.init)
            #expect(seen == log)
            // From the middle: the rest only.
            var rest: [EventKey] = []
            for try await event in server.client.eventStream(executionID: id, afterSeq: 3) {
                rest.append(EventKey(event))
            }
            #expect(rest == Array(log.dropFirst(3)))
        }
    }
}
