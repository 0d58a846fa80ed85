import Foundation
import GRDB
import HarmoniaCore
import HarmoniaStorageSQLite
import HarmoniaTestSupport
import Testing

/// What only the SQLite store promises: its pragmas, migrations, file durability and batches.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteStoreTests {
    @Test func walAndFullSynchronousByDefault() async throws {
        try await TemporaryDatabase.with { database in
            let store = try SQLiteStore(path: database.path)
            #expect(try await store.journalMode() == "WAL")
            #expect(try await store.synchronousMode() == "FULL")
            try await store.migrate()
            #expect(try await store.synchronousMode() == "FULL", "migrations do not reset it")
        }
    }

    @Test func normalSynchronousWhenConfigured() async throws {
        try await TemporaryDatabase.with { database in
            let store = try SQLiteStore(path: database.path, configuration: .init(synchronous: .normal))
            #expect(try await store.journalMode() == "WAL")
            #expect(try await store.synchronousMode() == "NORMAL")
        }
    }

    @Test func inMemoryStoreIsMigratedAndRemovesItsFile() async throws {
        var path = ""
        do {
            let store = try SQLiteStore.inMemory()
            path = store.path
            #expect(try await store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7"])
            #expect(try await store.synchronousMode() == "NORMAL")
            #expect(FileManager.default.fileExists(atPath: path))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func migrationsAreRecordedAndReopeningWorks() async throws {
        try await TemporaryDatabase.with { database in
            let store = try SQLiteStore(path: database.path)
            #expect(try await store.appliedMigrations() == [])
            try await store.migrate()
            #expect(try await store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7"])
            try store.close()

            let reopened = try SQLiteStore(path: database.path)
            #expect(try await reopened.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7"])
            try await reopened.migrate()
            #expect(try await reopened.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7"])
        }
    }

    @Test func dataSurvivesClosingAndReopening() async throws {
        try await TemporaryDatabase.with { database in
            let workflow = WorkflowDefinition(
                id: "wf-1", name: "build", tasks: [TaskDefinition(id: "a", component: "harmonia", action: "echo")],
                createdAt: at(0), updatedAt: at(0))
            var record = ExecutionRecord(
                id: "exec-1", workflowID: "wf-1", workflowVersion: 1, workflowName: "build", status: .running,
                input: ["n": 1.5], idempotencyKey: "key", createdAt: at(1), updatedAt: at(1), deadline: at(9), lastSeq: 1)
            let started = ExecutionEvent(
                executionID: "exec-1", seq: 1, type: .workflowStarted, message: "started", timestamp: at(1))
            var task = TaskState(taskID: "a", status: .running, attempt: 1, startedAt: at(2), timeoutAt: at(5))
            do {
                let store = try SQLiteStore(path: database.path)
                try await store.migrate()
                try await store.saveWorkflow(workflow)
                try await store.commit([ExecutionChange(record: record, tasks: [task], events: [started], isNew: true)])
                task.status = .completed
                task.finishedAt = at(3)
                task.timeoutAt = nil
                record.lastSeq = 2
                record.updatedAt = at(3)
                let completed = ExecutionEvent(
                    executionID: "exec-1", seq: 2, type: .taskCompleted, taskID: "a", message: "done", timestamp: at(3))
                try await store.commit([ExecutionChange(record: record, tasks: [task], events: [completed])])
                try store.close()
            }
            let reopened = try SQLiteStore(path: database.path)
            try await reopened.migrate()
            #expect(try await reopened.workflow(id: "wf-1", version: nil) == workflow)
            #expect(try await reopened.execution(id: "exec-1") == ExecutionState(record: record, tasks: ["a": task]))
            #expect(try await reopened.execution(idempotencyKey: "key")?.id == "exec-1")
            #expect(try await reopened.events(executionID: "exec-1", afterSeq: 0, limit: 10).map(\.seq) == [1, 2])
            #expect(try await reopened.unfinishedExecutions().map(\.id) == ["exec-1"])
        }
    }

    @Test func largeBatchCommitsInOneTransaction() async throws {
        let store = try SQLiteStore.inMemory()
        let changes = (0..<2000).map { newExecution("exec-\($0)") }
        // One bad change at the very end undoes the 1,999 before it: one transaction.
        await #expect(throws: HarmoniaError(.conflict, "")) {
            try await store.commit(changes.dropLast() + [newExecution("exec-0")])
        }
        #expect(try await store.executionCounts().values.reduce(0, +) == 0)

        try await store.commit(changes)
        let steps = changes.map { change in
            var record = change.record
            record.status = .completed
            record.lastSeq = 2
            let event = ExecutionEvent(
                executionID: record.id, seq: 2, type: .workflowCompleted, message: "done", timestamp: at(2))
            return ExecutionChange(record: record, tasks: [TaskState(taskID: "a", status: .completed)], events: [event])
        }
        try await store.commit(steps)
        #expect(try await store.executionCounts() == [.completed: 2000])
        #expect(try await store.events(executionID: "exec-1999", afterSeq: 0, limit: 10).map(\.seq) == [1, 2])
        #expect(try await store.execution(id: "exec-1234")?.tasks["a"]?.status == .completed)
    }

    /// Commits never checkpoint: the writer's WAL hook hands that to a background connection,
    /// and the WAL still stays bounded (the writer rewinds it after each complete checkpoint).
    ///
    /// Without a rewind, 1,500 commits leave a WAL of about 73 MB (measured with checkpoints
    /// off). With rewinds it stays under 1.5 MB on an idle machine, but how far it grows
    /// between two rewinds depends on how much CPU the background connection gets while the
    /// writer commits flat out: under a loaded full-suite run it reached 6.5 MB. So the bound
    /// is 20 MB: far below what a WAL that is never rewound reaches, far above any load.
    @Test func theWALIsCheckpointedInTheBackgroundAndStaysBounded() async throws {
        try await TemporaryDatabase.with { database in
            let store = try await storeAfter1500Commits(database, .init(synchronous: .normal, checkpointPages: 32, inlineCheckpointPages: 1_000_000))
            await eventually("a background checkpoint") { store.walCheckpoints.background >= 1 }
            // The writer's short follow-up at its next commit after a background checkpoint
            // is what lets the WAL rewind.
            try await store.commit([newExecution("one-more")])
            #expect(store.walCheckpoints.finishing >= 1)
            #expect(store.walCheckpoints.inline == 0)
            #expect(store.walCheckpoints.lastError == nil)
            let wal = try walBytes(database)
            #expect(wal < 20_000_000, "WAL of \(wal) bytes")
            #expect(try await store.executionCounts().values.reduce(0, +) == 1501)
        }
    }

    /// A migrated store with `configuration` on `database`, after 1,500 one-execution commits.
    private func storeAfter1500Commits(
        _ database: TemporaryDatabase, _ configuration: SQLiteStoreConfiguration
    ) async throws -> SQLiteStore {
        let store = try SQLiteStore(path: database.path, configuration: configuration)
        try await store.migrate()
        for index in 0..<1500 {
            try await store.commit([newExecution("exec-\(index)")])
        }
        return store
    }

    /// The size of `database`'s WAL file in bytes (its high-water mark: a rewind reuses it).
    private func walBytes(_ database: TemporaryDatabase) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: database.path + "-wal")[.size] as? Int ?? 0
    }

    /// The backstop: with the background checkpoint out of reach, the writer checkpoints
    /// inline at the hard limit, as SQLite's automatic checkpoint would.
    @Test func theWriterCheckpointsInlineAtTheHardLimit() async throws {
        try await TemporaryDatabase.with { database in
            let store = try await storeAfter1500Commits(database, .init(synchronous: .normal, checkpointPages: 1_000_000, inlineCheckpointPages: 32))
            #expect(store.walCheckpoints.inline >= 1)
            #expect(store.walCheckpoints.background == 0)
            let wal = try walBytes(database)
            #expect(wal < 1_500_000, "WAL of \(wal) bytes")
        }
    }

    @Test func globalEventOrderFollowsCommitOrder() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit([newExecution("b"), newExecution("a")])
        try await store.commit([newExecution("c")])
        let order = try await store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT execution_id || ':' || seq FROM events ORDER BY id")
        }
        #expect(order == ["b:1", "a:1", "c:1"])
    }

    @Test func useBeforeMigrationIsAStorageFailure() async throws {
        try await TemporaryDatabase.with { database in
            let store = try SQLiteStore(path: database.path)
            await #expect(throws: HarmoniaError(.storageFailure, "")) { _ = try await store.execution(id: "x") }
            await #expect(throws: HarmoniaError(.storageFailure, "")) { try await store.commit([newExecution("x")]) }
        }
    }

    @Test func damagedRowsAreStorageFailuresNotCrashes() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit([newExecution("exec-1")])
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE executions SET input = '{not json', status = 'bogus'")
        }
        await #expect(throws: HarmoniaError(.storageFailure, "")) { _ = try await store.execution(id: "exec-1") }
        await #expect(throws: HarmoniaError(.storageFailure, "")) { _ = try await store.executionCounts() }
    }

    @Test func savingAHigherVersionRevivesADeletedWorkflow() async throws {
        let store = try SQLiteStore.inMemory()
        let v1 = WorkflowDefinition(id: "wf", name: "w", tasks: [], createdAt: at(0), updatedAt: at(0))
        try await store.saveWorkflow(v1)
        #expect(try await store.deleteWorkflow(id: "wf"))
        var v2 = v1
        v2.version = 2
        try await store.saveWorkflow(v2)
        #expect(try await store.workflow(id: "wf", version: nil) == v2)
    }

    /// A date at whole milliseconds, which the store keeps exactly.
    private func at(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(1_750_000_000_000 + milliseconds) / 1000)
    }

    private func newExecution(_ id: String) -> ExecutionChange {
        ExecutionChange(
            record: ExecutionRecord(
                id: id, workflowID: "wf", workflowVersion: 1, workflowName: "w", status: .running,
                createdAt: at(0), updatedAt: at(0), lastSeq: 1),
            tasks: [TaskState(taskID: "a")],
            events: [ExecutionEvent(executionID: id, seq: 1, type: .workflowStarted, message: "", timestamp: at(1))],
            isNew: true)
    }
}
