import HarmoniaCore
import Testing

/// The write path's guarantees: gap-free logs, all-or-nothing batches, conflicts.
extension StoreConformanceSuite {
    /// A change whose events do not continue the stored log fails with `sequence_conflict`,
    /// and nothing of its batch is written, not even other executions' valid changes.
    public func testSequenceGapRejectsWholeBatch() async throws {
        let store = try await freshStore()
        let creation = Fixtures.newExecution(id: "exec-1")
        let bystander = Fixtures.newExecution(id: "exec-3")
        try await store.commit([creation, bystander])
        let before = try await snapshot(store, "exec-1")
        let bystanderBefore = try await snapshot(store, "exec-3")
        var state = Fixtures.state(after: creation)

        // exec-1's log ends at 1; a change starting at 3 leaves a gap. The batch also holds
        // a valid step of exec-3 and a valid new exec-2.
        var gapped = state
        gapped.record.lastSeq = 2  // completeTask appends seq 3
        let gap = Fixtures.completeTask("a", of: &gapped, at: Fixtures.at(10))
        var other = Fixtures.state(after: bystander)
        let valid = Fixtures.completeTask("b", of: &other, at: Fixtures.at(10))
        let newcomer = Fixtures.newExecution(id: "exec-2")
        await expectError(.sequenceConflict) { try await store.commit([newcomer, valid, gap]) }
        #expect(try await snapshot(store, "exec-1") == before)
        #expect(try await snapshot(store, "exec-3") == bystanderBefore)
        #expect(try await store.execution(id: "exec-2") == nil)
        #expect(try await store.events(executionID: "exec-2", afterSeq: 0, limit: 10).isEmpty)

        // A stale change (continuing from a seq the log has passed) conflicts too.
        let first = Fixtures.completeTask("a", of: &state, at: Fixtures.at(20))
        try await store.commit([first])
        await expectError(.sequenceConflict) { try await store.commit([first]) }
        let afterFirst = try await snapshot(store, "exec-1")
        #expect(afterFirst.events.map(\.seq) == [1, 2])
        #expect(afterFirst.state?.normalized == state.normalized)

        // Two steps of one execution in one batch are applied in order.
        let second = Fixtures.completeTask("b", of: &state, at: Fixtures.at(30))
        state.record.status = .completed
        state.record.lastSeq += 1
        let done = ExecutionChange(
            record: state.record, tasks: [],
            events: [ExecutionEvent(executionID: "exec-1", seq: state.record.lastSeq, type: .workflowCompleted,
                message: "done", timestamp: Fixtures.at(30))])
        try await store.commit([second, done])
        #expect(try await snapshot(store, "exec-1").events.map(\.seq) == [1, 2, 3, 4])
        #expect(try await store.execution(id: "exec-1")?.normalized == state.normalized)
    }

    /// Changes that are inconsistent in themselves are `sequence_conflict`s and write nothing.
    public func testMalformedChangesAreSequenceConflicts() async throws {
        let store = try await freshStore()
        let creation = Fixtures.newExecution(id: "exec-1")
        try await store.commit([creation])
        let before = try await snapshot(store, "exec-1")
        let state = Fixtures.state(after: creation)

        func event(_ seq: Int64, _ executionID: String = "exec-1") -> ExecutionEvent {
            ExecutionEvent(executionID: executionID, seq: seq, type: .stateChanged, message: "", timestamp: Fixtures.at(1))
        }
        var record = state.record
        record.lastSeq = 4
        // Events 2 and 4: a gap inside the change.
        let holey = ExecutionChange(record: record, tasks: [], events: [event(2), event(4)])
        await expectError(.sequenceConflict, "gap inside a change") { try await store.commit([holey]) }
        // Events 2 and 3, but the record claims 4.
        let overclaim = ExecutionChange(record: record, tasks: [], events: [event(2), event(3)])
        await expectError(.sequenceConflict, "record last_seq beyond its events") { try await store.commit([overclaim]) }
        // No events, but the record moves its last_seq.
        let silent = ExecutionChange(record: record, tasks: [], events: [])
        await expectError(.sequenceConflict, "last_seq moved without events") { try await store.commit([silent]) }
        // An event of another execution.
        record.lastSeq = 2
        let foreign = ExecutionChange(record: record, tasks: [], events: [event(2, "exec-other")])
        await expectError(.sequenceConflict, "event of another execution") { try await store.commit([foreign]) }
        // A new execution whose log does not start at 1.
        var late = Fixtures.newExecution(id: "exec-2")
        late.events[0].seq = 2
        late.record.lastSeq = 2
        await expectError(.sequenceConflict, "new log starting at 2") { try await store.commit([late]) }

        #expect(try await snapshot(store, "exec-1") == before)
        #expect(try await store.execution(id: "exec-2") == nil)
    }

    /// Creating an execution whose id exists fails with `conflict`; the batch is rolled back.
    public func testDuplicateExecutionIDRollsBackBatch() async throws {
        let store = try await freshStore()
        try await store.commit([Fixtures.newExecution(id: "exec-1")])
        let before = try await snapshot(store, "exec-1")
        var duplicate = Fixtures.newExecution(id: "exec-1", status: .pending, taskIDs: ["z"])
        duplicate.record.workflowName = "impostor"
        await expectError(.conflict) {
            try await store.commit([Fixtures.newExecution(id: "exec-2"), duplicate])
        }
        #expect(try await snapshot(store, "exec-1") == before)
        #expect(try await store.execution(id: "exec-2") == nil)
        await expectError(.conflict, "duplicate inside one batch") {
            try await store.commit([Fixtures.newExecution(id: "exec-3"), Fixtures.newExecution(id: "exec-3")])
        }
        #expect(try await store.execution(id: "exec-3") == nil)
    }

    /// Reusing an idempotency key fails with `conflict`; the batch is rolled back; the key
    /// still finds the first execution.
    public func testDuplicateIdempotencyKeyRollsBackBatch() async throws {
        let store = try await freshStore()
        try await store.commit([Fixtures.newExecution(id: "exec-1", idempotencyKey: "key-1")])
        await expectError(.conflict) {
            try await store.commit([
                Fixtures.newExecution(id: "exec-2", idempotencyKey: "key-2"),
                Fixtures.newExecution(id: "exec-3", idempotencyKey: "key-1"),
            ])
        }
        #expect(try await store.execution(id: "exec-2") == nil)
        #expect(try await store.execution(id: "exec-3") == nil)
        #expect(try await store.execution(idempotencyKey: "key-2") == nil)
        #expect(try await store.execution(idempotencyKey: "key-1")?.id == "exec-1")
        // Executions without a key never conflict with each other.
        try await store.commit([Fixtures.newExecution(id: "exec-4"), Fixtures.newExecution(id: "exec-5")])
        #expect(try await store.execution(id: "exec-5") != nil)
    }

    /// A key is released only from an execution created before the cutoff; the execution
    /// stays, and the key can then start a new one.
    public func testReleaseIdempotencyKey() async throws {
        let store = try await freshStore()
        try await store.commit([Fixtures.newExecution(id: "exec-1", createdAt: Fixtures.at(10), idempotencyKey: "key-1")])
        #expect(try await store.releaseIdempotencyKey("key-1", createdBefore: Fixtures.at(10)) == false, "not older than the cutoff")
        #expect(try await store.releaseIdempotencyKey("unknown", createdBefore: Fixtures.at(99)) == false)
        #expect(try await store.execution(idempotencyKey: "key-1")?.id == "exec-1")

        #expect(try await store.releaseIdempotencyKey("key-1", createdBefore: Fixtures.at(11)))
        #expect(try await store.execution(idempotencyKey: "key-1") == nil)
        let kept = try #require(try await store.execution(id: "exec-1"))
        #expect(kept.record.idempotencyKey == nil)
        #expect(kept.tasks.count == 2)
        try await store.commit([Fixtures.newExecution(id: "exec-2", createdAt: Fixtures.at(20), idempotencyKey: "key-1")])
        #expect(try await store.execution(idempotencyKey: "key-1")?.id == "exec-2")
    }

    /// Updating an execution that does not exist fails with `not_found` and writes nothing.
    public func testUpdateOfMissingExecutionIsNotFound() async throws {
        let store = try await freshStore()
        var ghost = Fixtures.state(after: Fixtures.newExecution(id: "ghost"))
        let update = Fixtures.completeTask("a", of: &ghost, at: Fixtures.at(1))
        await expectError(.notFound) {
            try await store.commit([Fixtures.newExecution(id: "exec-1"), update])
        }
        #expect(try await store.execution(id: "exec-1") == nil)
        #expect(try await store.events(executionID: "ghost", afterSeq: 0, limit: 10).isEmpty)
        try await store.commit([])  // an empty batch is a no-op
    }

    /// One call commits the changes of many executions.
    public func testCommitManyExecutionsInOneCall() async throws {
        let store = try await freshStore()
        let creations = (0..<200).map { Fixtures.newExecution(id: "exec-\($0)", createdAt: Fixtures.at($0)) }
        try await store.commit(creations)
        var states = creations.map(Fixtures.state(after:))
        var steps: [ExecutionChange] = []
        for index in states.indices {
            steps.append(Fixtures.completeTask("a", of: &states[index], at: Fixtures.at(1000)))
        }
        try await store.commit(steps)
        for state in states {
            #expect(try await store.execution(id: state.id)?.normalized == state.normalized)
        }
        #expect(try await store.events(executionID: "exec-199", afterSeq: 0, limit: 10).map(\.seq) == [1, 2])
        #expect(try await store.executionCounts()[.running] == 200)
    }

    /// A change with more tasks and events than an implementation writes per statement
    /// (SQLite writes rows in chunks) lands whole and reads back exactly, in order.
    public func testLargeChangeReadsBackExactly() async throws {
        let store = try await freshStore()
        let taskIDs = (0..<37).map { "t\($0)" }
        let creation = Fixtures.newExecution(id: "big", taskIDs: taskIDs)
        try await store.commit([creation])
        var state = Fixtures.state(after: creation)
        var tasks: [TaskState] = []
        var events: [ExecutionEvent] = []
        for (index, taskID) in taskIDs.prefix(35).enumerated() {
            let step = Fixtures.completeTask(taskID, of: &state, at: Fixtures.at(index))
            tasks += step.tasks
            events += step.events
        }
        try await store.commit([ExecutionChange(record: state.record, tasks: tasks, events: events)])
        #expect(try await store.execution(id: "big")?.normalized == state.normalized)
        let stored = try await store.events(executionID: "big", afterSeq: 0, limit: 100)
        #expect(stored.map(\.seq) == Array(1...36))
        #expect(stored.dropFirst().map(\.taskID) == taskIDs.prefix(35).map { Optional($0) })
        #expect(Array(stored.dropFirst()).normalized == events.normalized)
    }

    /// Many tasks committing different executions at once all land, each log gap-free.
    public func testConcurrentCommitsKeepLogsGapFree() async throws {
        let store = try await freshStore()
        let executions = 16
        let steps = 25
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<executions {
                group.addTask {
                    let creation = Fixtures.newExecution(
                        id: "exec-\(index)", taskIDs: (0..<steps).map { "t\($0)" })
                    try await store.commit([creation])
                    var state = Fixtures.state(after: creation)
                    for step in 0..<steps {
                        try await store.commit([Fixtures.completeTask("t\(step)", of: &state, at: Fixtures.at(step))])
                    }
                }
            }
            try await group.waitForAll()
        }
        for index in 0..<executions {
            let state = try #require(try await store.execution(id: "exec-\(index)"))
            #expect(state.record.lastSeq == Int64(steps + 1))
            #expect(state.tasks.values.allSatisfy { $0.status == .completed })
            let seqs = try await store.events(executionID: "exec-\(index)", afterSeq: 0, limit: 1000).map(\.seq)
            #expect(seqs == Array(1...Int64(steps + 1)))
        }
    }

    /// Everything stored about one execution, for before/after comparisons.
    struct Snapshot: Equatable {
        var state: ExecutionState?
        var events: [ExecutionEvent]
    }

    func snapshot(_ store: any Store, _ id: String) async throws -> Snapshot {
        Snapshot(
            state: try await store.execution(id: id)?.normalized,
            events: try await store.events(executionID: id, afterSeq: 0, limit: 10_000).normalized)
    }
}
