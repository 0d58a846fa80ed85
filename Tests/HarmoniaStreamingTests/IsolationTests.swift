import AsyncHTTPClient
import Foundation
import HarmoniaClient
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import NIOCore
import NIOHTTP1
import Testing

@testable import HarmoniaServer

/// A client that never reads must cost the engine nothing: other executions run as fast
/// as without it, and past its buffer it is cut off.
@Suite(.timeLimit(.minutes(3)))
struct IsolationTests {
    static let executions = 20
    /// 24 events of 256 KiB: more than loopback socket buffers hold, so the server's
    /// writes to a client that does not read really block.
    static let blob: JSONValue = ["blob": .string(String(repeating: "x", count: 256 * 1024))]

    @Test func aClientThatNeverReadsDoesNotDelayOtherExecutions() async throws {
        // A buffer large enough that the stuck client stays connected (and stuck) throughout.
        let streaming = StreamingConfiguration(bufferSize: 1_000_000)
        try await LiveServer.with(streaming: streaming) { server in
            let workflow = try await server.client.createWorkflow(StreamFixtures.chain(5, sleep: 0))
            var stuck: HTTPClientResponse? = try await Self.openWithoutReading(server)
            let subscribers = server.engine.events.subscriberCount
            // Large events until its socket is full: from here on the server's writes to it block.
            _ = try await server.finishedLog(try await server.start(StreamFixtures.heavy(24), input: Self.blob))

            // One batch to settle after the heavy run (its commits and checkpoints), unmeasured.
            _ = try await Self.runBatch(server, workflow: workflow.workflowID)
            let withStuck = try await Self.runBatch(server, workflow: workflow.workflowID)
            // The stuck client was there all along: still subscribed, never read.
            #expect(server.engine.events.subscriberCount == subscribers)

            // The same batch once it is gone (same store state, same warm server).
            stuck = nil
            try await server.eventually("the stuck client to be unsubscribed") {
                server.engine.events.subscriberCount < subscribers
            }
            let without = try await Self.runBatch(server, workflow: workflow.workflowID)
            print(
                "stream isolation: \(Self.executions) concurrent executions of 5 tasks completed in \(without) without and \(withStuck) with a client that never reads (blocked on a full socket)"
            )
            _ = stuck
        }
    }

    @Test func aLaggingClientIsDisconnectedAndUnsubscribed() async throws {
        // Bounded by commits and bytes: each heavy execution's results are a commit of 6 MB,
        // more than the client's socket takes, so the commits after it pile up.
        let streaming = StreamingConfiguration(bufferSize: 4, maxBufferedBytes: 64 * 1024, lagGracePeriod: .milliseconds(300))
        try await LiveServer.with(streaming: streaming) { server in
            let stuck = try await Self.openWithoutReading(server)
            let before = server.engine.events.subscriberCount
            for _ in 0..<3 {
                let heavy = try await server.start(StreamFixtures.heavy(24), input: Self.blob)
                _ = try await server.finishedLog(heavy)
            }
            try await server.eventually("the lagging subscriber to be dropped") {
                server.engine.events.subscriberCount < before
            }
            withExtendedLifetime(stuck) {}
        }
    }

    /// An all-executions SSE stream whose body is never read.
    static func openWithoutReading(_ server: LiveServer) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: server.baseURL + "/events/executions")
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.status == .ok)
        return response
    }

    /// Starts `executions` executions at once and waits for all; returns the wall time.
    static func runBatch(_ server: LiveServer, workflow: String) async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<executions {
                group.addTask { try await server.client.executeWorkflow(workflowID: workflow).executionID }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for id in ids {
            try await server.eventually("execution \(id) to complete") {
                try await server.store.execution(id: id)?.status == .completed
            }
        }
        return clock.now - start
    }
}
