import HarmoniaCore
import Testing

/// Executions as rows: creation, updates and event logs.
extension StoreConformanceSuite {
    /// Every field of a new execution, its task rows and its events reads back unchanged, by
    /// id and by idempotency key; JSON keeps each value's type.
    public func testNewExecutionRoundTrip() async throws {
        let store = try await freshStore()
        let failure = TaskFailure(code: "timeout", message: "took too long", retryable: true, details: Fixtures.everyJSONType)
        let record = ExecutionRecord(
            id: "exec-full", workflowID: "wf-1", workflowVersion: 3, workflowName: "build \"nightly\" ☃",
            status: .failed, input: Fixtures.everyJSONType, metadata: ["json": Fixtures.everyJSONType, "n": 1],
            idempotencyKey: "client-key-1", error: failure, createdAt: Fixtures.at(0), startedAt: Fixtures.at(1),
            finishedAt: Fixtures.at(2), updatedAt: Fixtures.at(3), deadline: Fixtures.at(4), lastSeq: 3,
            restoredFrom: "exec-original")
        var tasks = TaskStatus.allCases.enumerated().map { index, status in
            TaskState(taskID: "task-\(status.rawValue)", status: status, attempt: index, retries: index / 2)
        }
        tasks.append(TaskState(
            taskID: "everything", status: .retrying, attempt: 3, retries: 2, input: Fixtures.everyJSONType,
            output: ["partial": [1, 2.5]], error: TaskFailure(code: "x", message: "no details", retryable: false),
            reason: "backing off", startedAt: Fixtures.at(10), finishedAt: Fixtures.at(11),
            nextAttemptAt: Fixtures.at(12), timeoutAt: Fixtures.at(13)))
        tasks[1].output = .null  // JSON null is a value, distinct from no output
        tasks[2].input = .string("only input")
        tasks[2].reason = ""  // empty, not absent
        let events = [
            ExecutionEvent(executionID: "exec-full", seq: 1, type: .workflowStarted, message: "", timestamp: Fixtures.at(20)),
            ExecutionEvent(
                executionID: "exec-full", seq: 2, type: .taskFailed, taskID: "everything",
                details: Fixtures.everyJSONType, message: "failed: \"quoted\"\n", timestamp: Fixtures.at(21)),
            ExecutionEvent(
                executionID: "exec-full", seq: 3, type: .custom, details: .array([]), message: "custom",
                timestamp: Fixtures.at(22)),
        ]
        try await store.commit([ExecutionChange(record: record, tasks: tasks, events: events, isNew: true)])

        let expected = ExecutionState(
            record: record, tasks: Dictionary(uniqueKeysWithValues: tasks.map { ($0.taskID, $0) })
        ).normalized
        #expect(try await store.execution(id: "exec-full")?.normalized == expected)
        #expect(try await store.execution(idempotencyKey: "client-key-1")?.normalized == expected)
        #expect(try await store.execution(idempotencyKey: "other-key") == nil)
        #expect(try await store.execution(id: "unknown") == nil)
        #expect(try await store.events(executionID: "exec-full", afterSeq: 0, limit: 100).normalized == events.normalized)
        let storedJSON = try await store.execution(id: "exec-full")?.record.input
        #expect(storedJSON?["whole_double"] == .double(-2.0), "a whole double stays a double")
        #expect(storedJSON?["integer"] == .integer(42), "an integer stays an integer")
    }

    /// An execution with every optional field absent reads back with them absent.
    public func testMinimalExecutionRoundTrip() async throws {
        let store = try await freshStore()
        let record = ExecutionRecord(
            id: "exec-min", workflowID: "wf-1", workflowVersion: 1, workflowName: "w", status: .pending,
            input: .emptyObject, metadata: [:], createdAt: Fixtures.at(0), updatedAt: Fixtures.at(0), lastSeq: 0)
        let task = TaskState(taskID: "a")
        try await store.commit([ExecutionChange(record: record, tasks: [task], events: [], isNew: true)])
        let stored = try #require(try await store.execution(id: "exec-min"))
        #expect(stored.normalized == ExecutionState(record: record, tasks: ["a": task]).normalized)
        #expect(stored.record.idempotencyKey == nil && stored.record.error == nil && stored.record.startedAt == nil)
        #expect(stored.tasks["a"]?.input == nil && stored.tasks["a"]?.output == nil && stored.tasks["a"]?.error == nil)
        #expect(try await store.events(executionID: "exec-min", afterSeq: 0, limit: 10).isEmpty)
    }

    /// An update rewrites the record and the task rows it carries; other task rows keep
    /// their stored state.
    public func testUpdateWithChangedTasksOnly() async throws {
        let store = try await freshStore()
        let creation = Fixtures.newExecution(id: "exec-1", taskIDs: ["a", "b", "c"])
        try await store.commit([creation])
        var state = Fixtures.state(after: creation)

        let step = Fixtures.completeTask("b", of: &state, at: Fixtures.at(100))
        try await store.commit([step])
        #expect(try await store.execution(id: "exec-1")?.normalized == state.normalized)

        // The record changes on its own: status, error, dates and metadata.
        state.record.status = .failed
        state.record.error = TaskFailure(code: "task_failed", message: "c failed", retryable: false)
        state.record.finishedAt = Fixtures.at(200)
        state.record.deadline = Fixtures.at(300)
        state.record.updatedAt = Fixtures.at(200)
        state.record.metadata["note"] = "finished"
        state.record.lastSeq += 1
        var c = try #require(state.tasks["c"])
        c.status = .failed
        c.error = TaskFailure(code: "task_failed", message: "boom", retryable: false, details: ["exit": 2])
        c.reason = nil
        state.tasks["c"] = c
        let failed = ExecutionEvent(
            executionID: "exec-1", seq: state.record.lastSeq, type: .workflowFailed, message: "failed",
            timestamp: Fixtures.at(200))
        try await store.commit([ExecutionChange(record: state.record, tasks: [c], events: [failed])])
        #expect(try await store.execution(id: "exec-1")?.normalized == state.normalized)

        // A change with no events leaves the log alone but still updates the rows.
        var a = try #require(state.tasks["a"])
        a.reason = "annotated"
        state.tasks["a"] = a
        state.record.updatedAt = Fixtures.at(250)
        try await store.commit([ExecutionChange(record: state.record, tasks: [a], events: [])])
        #expect(try await store.execution(id: "exec-1")?.normalized == state.normalized)
        #expect(try await store.events(executionID: "exec-1", afterSeq: 0, limit: 100).map(\.seq) == [1, 2, 3])
    }

    /// Events read back in seq order, after a given seq, at most `limit` of them.
    public func testEventsAfterSeqAndLimit() async throws {
        let store = try await freshStore()
        let creation = Fixtures.newExecution(id: "exec-1", taskIDs: (1...9).map { "t\($0)" })
        try await store.commit([creation])
        var state = Fixtures.state(after: creation)
        for index in 1...9 {
            try await store.commit([Fixtures.completeTask("t\(index)", of: &state, at: Fixtures.at(index))])
        }
        try await store.commit([Fixtures.newExecution(id: "exec-2")])

        let all = try await store.events(executionID: "exec-1", afterSeq: 0, limit: 100)
        #expect(all.map(\.seq) == Array(1...10))
        #expect(all.allSatisfy { $0.executionID == "exec-1" })
        #expect(all.dropFirst().map(\.taskID) == (1...9).map { "t\($0)" })
        #expect(try await store.events(executionID: "exec-1", afterSeq: 3, limit: 4).map(\.seq) == [4, 5, 6, 7])
        #expect(try await store.events(executionID: "exec-1", afterSeq: 8, limit: 100).map(\.seq) == [9, 10])
        #expect(try await store.events(executionID: "exec-1", afterSeq: 10, limit: 100).isEmpty)
        #expect(try await store.events(executionID: "exec-1", afterSeq: 0, limit: 0).isEmpty)
        #expect(try await store.events(executionID: "exec-2", afterSeq: 0, limit: 100).map(\.seq) == [1])
        #expect(try await store.events(executionID: "unknown", afterSeq: 0, limit: 100).isEmpty)
        #expect(try await store.execution(id: "exec-1")?.record.lastSeq == 10)
    }
}
