import Foundation
import GRDB
import HarmoniaCore
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
@Suite(.timeLimit(.minutes(2)))
struct StorageFailureRoutesTests {
    static func setMaxPageCount(_ store: SQLiteStore, full: Bool) async throws {
        try await store.pool.writeWithoutTransaction { db in
            if full {
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
                try db.execute(sql: "PRAGMA max_page_count = \(pages)")
            } else {
                try db.execute(sql: "PRAGMA max_page_count = 1073741823")
            }
        }
    }

    @Test func aFullDiskIs503ThenEveryAcknowledgedExecutionCompletesOnceSpaceReturns() async throws {
        // A 1 s sleep then a task whose 200 KB output needs new pages.
        let definition: JSONValue = [
            "name": "fills-the-disk",
            "tasks": [
                "nap": ["component": "harmonia", "action": "sleep", "input": ["seconds": 1.0]],
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

            try await Self.setMaxPageCount(server.store, full: true)
            let refused = try await client.send(
                .post, "/api/v1/executions",
                json: ["workflow_id": .string(workflow.id), "input": ["pad": .string(String(repeating: "p", count: 100_000))]])
            let error = try refused.expectError(.serviceUnavailable, code: "storage_unavailable")
            #expect(error.detail.contains("SQLITE") || error.detail.contains("full"), "\(error.detail)")

            let ready = try await client.send(.get, "/ready")
            try ready.expectError(.serviceUnavailable, code: "not_ready")
            let health = try await client.send(.get, "/health")
            #expect(health.status == .ok)
            #expect(try health.json()["status"]?.stringValue == "degraded")

            // The acknowledged executions cannot store their big output while the disk is full.
            try await Task.sleep(for: .milliseconds(1500))
            for id in acknowledged {
                let detail = try await client.waitForExecution(id, timeout: .seconds(1)) { _ in true }
                #expect(detail.execution.status == .running, "\(id) is \(detail.execution.status)")
            }

            try await Self.setMaxPageCount(server.store, full: false)
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
}
