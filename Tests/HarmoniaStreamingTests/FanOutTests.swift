import Foundation
import HarmoniaClient
import HarmoniaCore
import Testing

@testable import HarmoniaServer

/// Many clients of one execution, over both protocols, see exactly the stored log.
@Suite(.timeLimit(.minutes(2)))
struct FanOutTests {
    @Test func twoWebSocketAndTwoSSEClientsSeeTheSameCompleteOrderedLog() async throws {
        try await LiveServer.with { server in
            let id = try await server.start(StreamFixtures.chain(6))
            // All four join while the execution runs: each gets the log so far, then live.
            async let ws1 = WebSocketTestClient.run(server, "/ws/executions/\(id)")
            async let ws2 = WebSocketTestClient.run(server, "/ws/executions/\(id)")
            async let sse1 = Self.sseEvents(server, id)
            async let sse2 = Self.sseEvents(server, id)
            let (a, b, c, d) = try await (ws1, ws2, sse1, sse2)

            let log = try await server.finishedLog(id).map(EventKey.init)
            #expect(log.count == 2 + 2 * 6)
            #expect(log.map(\.seq) == Array(1...Int64(log.count)))
            #expect(a.events == log)
            #expect(b.events == log)
            #expect(c == log)
            #expect(d == log)
            // The per-execution WebSocket closes normally after the terminal event.
            #expect(a.closeCode == 1000)
            #expect(a.frames.first?["type"] == "connected")
        }
    }

    @Test func theAllExecutionsStreamsCarryEveryExecution() async throws {
        try await LiveServer.with { server in
            var sse = try await SSETestClient.open(server, "/events/executions")
            #expect(try await sse.next()?.event == "connected")
            let first = try await server.start(StreamFixtures.chain(2, sleep: 0))
            let second = try await server.start(StreamFixtures.chain(2, sleep: 0))
            var seen: [String: [Int64]] = [:]
            var finished: Set<String> = []
            while finished.count < 2, let message = try await sse.next() {
                guard let event = try SSETestClient.events([message]).first else { continue }
                seen[event.executionID, default: []].append(event.seq)
                if event.type.isTerminal { finished.insert(event.executionID) }
            }
            for id in [first, second] {
                let log = try await server.log(id)
                #expect(seen[id] == log.map(\.seq), "execution \(id)")
            }
        }
    }

    static func sseEvents(_ server: LiveServer, _ id: String) async throws -> [EventKey] {
        var client = try await SSETestClient.open(server, "/events/executions/\(id)")
        #expect(client.status == 200)
        let messages = try await client.readToEnd()
        #expect(messages.first?.event == "connected")
        #expect(messages.dropFirst().first?.event == "state")
        return try SSETestClient.events(messages).map(EventKey.init)
    }
}
