import Foundation
import GRDB
import HarmoniaCore
import HarmoniaStorageSQLite
import Testing

/// Rows written by the previous schema are read by this one. `Fixtures/schema-v4.sql` is the
/// `sqlite3 .dump` of a database written by the real `harmonia serve` of the last release with
/// schema v4 (before signals, schedules and map instances): a completed execution with
/// metadata and an idempotency key, one failed after three retries (its dependent skipped), one canceled with two
/// checkpoints, and a template. Opening it migrates it forward; everything must read back as
/// it was written, and the store must keep working on it.
@Suite(.timeLimit(.minutes(1)))
struct OldSchemaReadTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schema-v4.sql")

    static let completed = "e7da34cf-4fb2-4535-83c7-7ea0de2d95a5"
    static let failed = "6bea7449-f8f5-4ffc-b5c3-6dd1b7604735"
    static let canceled = "0d22aa58-af47-4dfe-b63a-f6de67d4de27"

    /// A database file holding exactly what the v4 server wrote.
    static func restore(into path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: String(contentsOf: fixture, encoding: .utf8)) }
        try queue.close()
    }

    @Test func aVersionFourDatabaseIsMigratedAndReadBack() async throws {
        try await TemporaryDatabase.with { database in
            try Self.restore(into: database.path)
            let store = try SQLiteStore(path: database.path)
            #expect(try await store.appliedMigrations() == ["v1", "v2", "v3", "v4"])
            try await store.migrate()
            let applied = try await store.appliedMigrations()
            #expect(applied.prefix(4) == ["v1", "v2", "v3", "v4"] && applied.count > 4)

            let greet = try #require(try await store.workflow(id: "greet", version: nil))
            #expect(greet.tasks.map(\.id).sorted() == ["hello", "shout"])
            #expect(greet.defaultInput == ["who": "World"])

            let done = try #require(try await store.execution(id: Self.completed))
            #expect(done.record.status == .completed)
            #expect(done.record.input == ["who": "Ada"])
            #expect(done.record.metadata == ["team": "docs"])
            #expect(done.tasks["shout"]?.output == ["result": "Hello, Ada!"])
            #expect(done.record.parent == nil)
            #expect(try await store.execution(idempotencyKey: "greet-ada-1")?.id == Self.completed)
            let events = try await store.events(executionID: Self.completed, afterSeq: 0, limit: 100)
            #expect(events.map(\.seq) == Array(1...Int64(events.count)) && events.count == 6)

            let failed = try #require(try await store.execution(id: Self.failed))
            #expect(failed.record.status == .failed)
            #expect(failed.record.error?.code == "task_failed")
            #expect(failed.tasks["b"]?.attempt == 4, "three retries, then failed")
            #expect(failed.tasks["c"]?.status == .skipped)
            #expect(failed.tasks["b"]?.error?.message == "boom")

            let canceled = try #require(try await store.execution(id: Self.canceled))
            #expect(canceled.record.status == .canceled)
            #expect(canceled.record.error?.message == "fixture")
            #expect(try await store.checkpoints(executionID: Self.canceled).count == 2)

            let templates = try await store.listTemplates(tag: nil, name: "greeting", limit: 10, offset: 0)
            #expect(templates.count == 1)
            #expect(templates.first?.parameters["who"]?.required == true)

            let counts = try await store.executionCounts()
            #expect(counts[.completed] == 1 && counts[.failed] == 1 && counts[.canceled] == 1)
            #expect(try await store.unfinishedExecutions().isEmpty)

            // The migrated database keeps working: a new workflow version is stored and read.
            var next = greet
            next.version = 2
            try await store.saveWorkflow(next)
            #expect(try await store.workflow(id: "greet", version: nil)?.version == 2)
            #expect(try await store.workflow(id: "greet", version: 1)?.version == 1)
        }
    }
}
