import Foundation
import GRDB
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import HarmoniaTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

/// A full disk, made real with SQLite's own limit: `PRAGMA max_page_count` on the store's
/// writer makes every write that needs a new page fail with `SQLITE_FULL`, exactly as a full
/// file system does. Clients get 503 `storage_unavailable`, `/ready` says not ready, and
/// once space returns every acknowledged execution completes without a restart.
@Suite(.timeLimit(.minutes(4)))
struct StorageFailureRoutesTests {
    /// About `headroom` bytes more than the database holds now (`nil`: no limit): room for
    /// small commits (a start, a task's events) but not for a 100 KB input or a 200 KB output.
    static func setMaxPageCount(_ store: SQLiteStore, headroom: Int?) async throws {
        try await store.pool.writeWithoutTransaction { db in
            if let headroom {
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
                let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                try db.execute(sql: "PRAGMA max_page_count = \(pages + max(1, headroom / pageSize))")
            } else {
                try db.execute(sql: "PRAGMA max_page_count = 1073741823")
            }
        }
    }

    @Test func aFullDiskIs503ThenEveryAcknowledgedExecutionCompletesOnceSpaceReturns() async throws {
        // A nap, then a task whose 200 KB input and output need new pages.
        let definition: JSONValue = [
            "name": "fills-the-disk",
            "tasks": [
                // Long enough that all three are still asleep when the disk fills, on a
                // machine busy with the whole suite (8 s was not, nor was 20 s with builds
                // running beside it).
                "nap": ["component": "harmonia", "action": "sleep", "input": ["seconds": 40.0]],
                "big": [
                    "component": "harmonia", "action": "transform", "depends_on": ["nap"],
                    "input": ["value": .string(String(repeating: "d", count: 200_000))],
                ],
            ],
        ]
        try await TestServer.with { client, server in
            let workflow = try await client.createWorkflow(definition)
            var acknowledged: [String] = []
            for _ in 0..<3 { acknowledged.append(try await client.startExecution(workflow.id)) }
            for id in acknowledged {
                _ = try await client.waitForExecution(id, timeout: .seconds(30)) {
                    $0.execution.tasks?["nap"]?.status == .running
                }
            }

            // The disk fills up while the naps sleep: small commits still fit, the naps'
            // ends (which start `big`, with its 200 KB input) do not. The first of those to
            // fail is what turns /ready to 503: nothing else writes meanwhile.
            try await Self.setMaxPageCount(server.store, headroom: 48 * 1024)
            for id in acknowledged {
                let detail = try await client.waitForExecution(id, timeout: .seconds(1)) { _ in true }
                try #require(
                    detail.execution.tasks?["nap"]?.status == .running,
                    "\(id)'s nap ended before the disk filled; the test proves nothing then")
            }
            await eventually("/ready says not ready once the naps' ends fail to commit", timeout: .seconds(120)) {
                (try? await client.send(.get, "/ready").status) == .serviceUnavailable
            }
            let ready = try await client.send(.get, "/ready")
            try ready.expectError(.serviceUnavailable, code: "not_ready")
            let health = try await client.send(.get, "/health")
            #expect(health.status == .ok)
            #expect(try health.json()["status"]?.stringValue == "degraded")

            let refused = try await client.send(
                .post, "/api/v1/executions",
                json: ["workflow_id": .string(workflow.id), "input": ["pad": .string(String(repeating: "p", count: 100_000))]])
            let error = try refused.expectError(.serviceUnavailable, code: "storage_unavailable")
            #expect(error.detail.contains("SQLITE") || error.detail.contains("full"), "\(error.detail)")

            for id in acknowledged {
                let detail = try await client.waitForExecution(id, timeout: .seconds(1)) { _ in true }
                #expect(detail.execution.status == .running, "\(id) is \(detail.execution.status)")
                #expect(detail.execution.tasks?["big"]?.status != .completed, "\(id)'s output was stored on a full disk")
            }

            try await Self.setMaxPageCount(server.store, headroom: nil)
            for id in acknowledged {
                let detail = try await client.waitForExecution(id, timeout: .seconds(30))
                #expect(detail.execution.status == .completed, "\(id) ended \(detail.execution.status)")
                let events = try await client.events(id)
                #expect(events.map(\.seq) == Array(1...Int64(events.count)))
            }
            await eventually("/ready says ready again") {
                (try? await client.send(.get, "/ready").status) == .ok
            }
        }
    }

    /// Only a refused start failed, so nothing is left to retry: `/ready` still comes back
    /// once space returns, with no other request (the engine's probe write), and stays 503
    /// while the disk is full (the probe needs a new page too).
    @Test func readyComesBackAfterAFullDiskWithNoOtherWrite() async throws {
        try await TestServer.with { client, server in
            let workflow = try await client.createWorkflow(
                ["name": "one", "tasks": ["a": ["component": "harmonia", "action": "noop"]]])
            try await server.store.pool.writeWithoutTransaction { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
                try db.execute(sql: "PRAGMA max_page_count = \(pages)")
            }
            let refused = try await client.send(
                .post, "/api/v1/executions",
                json: ["workflow_id": .string(workflow.id), "input": ["pad": .string(String(repeating: "p", count: 100_000))]])
            try refused.expectError(.serviceUnavailable, code: "storage_unavailable")
            try await client.send(.get, "/ready").expectError(.serviceUnavailable, code: "not_ready")

            // Long enough for the probe to have run (a 2 s quiet period, then every second)
            // and failed: polled, not slept, by waiting for the log-visible probe count.
            await eventually("the engine probes the full store", timeout: .seconds(20)) {
                server.engine.status.storageProbeFailures >= 1
            }
            try await client.send(.get, "/ready").expectError(.serviceUnavailable, code: "not_ready")

            try await Self.setMaxPageCount(server.store, headroom: nil)
            await eventually("/ready says ready again without another write", timeout: .seconds(20)) {
                (try? await client.send(.get, "/ready").status) == .ok
            }
            let id = try await client.startExecution(workflow.id)
            #expect(try await client.waitForExecution(id, timeout: .seconds(30)).execution.status == .completed)
        }
    }
}
