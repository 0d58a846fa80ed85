import HarmoniaCore
import Testing

/// Queries over many executions: recovery, listing and counts.
extension StoreConformanceSuite {
    /// Recovery sees exactly the pending, running and paused executions, with all task rows.
    public func testUnfinishedExecutions() async throws {
        let store = try await freshStore()
        var expected: [String: ExecutionState] = [:]
        for (index, status) in WorkflowStatus.allCases.enumerated() {
            var change = Fixtures.newExecution(
                id: "exec-\(status.rawValue)", status: status, createdAt: Fixtures.at(index), taskIDs: ["a", "b", "c"])
            change.tasks[1].status = .running
            change.tasks[1].timeoutAt = Fixtures.at(60_000)
            try await store.commit([change])
            if !status.isTerminal { expected[change.record.id] = Fixtures.state(after: change).normalized }
        }
        let unfinished = try await store.unfinishedExecutions()
        #expect(unfinished.count == 3)
        #expect(Dictionary(uniqueKeysWithValues: unfinished.map { ($0.id, $0.normalized) }) == expected)

        // Finishing one removes it.
        var state = try #require(try await store.execution(id: "exec-running"))
        state.record.status = .completed
        state.record.lastSeq += 1
        try await store.commit([
            ExecutionChange(
                record: state.record, tasks: [],
                events: [ExecutionEvent(executionID: state.id, seq: state.record.lastSeq, type: .workflowCompleted,
                    message: "done", timestamp: Fixtures.at(100))])
        ])
        #expect(Set(try await store.unfinishedExecutions().map(\.id)) == ["exec-pending", "exec-paused"])
    }

    /// Listing is newest first, filters by status and workflow (together too), and pages.
    public func testListExecutionsFiltersOrderingAndPaging() async throws {
        let store = try await freshStore()
        var records: [ExecutionRecord] = []
        let statuses: [WorkflowStatus] = [.running, .completed, .failed, .running, .completed, .running]
        for (index, status) in statuses.enumerated() {
            let change = Fixtures.newExecution(
                id: "exec-\(index)", workflowID: index % 2 == 0 ? "wf-even" : "wf-odd", status: status,
                createdAt: Fixtures.at(index * 1000))
            records.append(change.record)
        }
        // Committed out of creation order: listing sorts by creation time, not insertion.
        try await store.commit(Array(records.indices.reversed().map { index in
            Fixtures.newExecution(
                id: records[index].id, workflowID: records[index].workflowID, status: records[index].status,
                createdAt: records[index].createdAt)
        }))
        let newestFirst = records.reversed().normalized

        func list(_ status: WorkflowStatus? = nil, _ workflowID: String? = nil, limit: Int = 100, offset: Int = 0)
            async throws -> [ExecutionRecord]
        {
            try await store.listExecutions(status: status, workflowID: workflowID, limit: limit, offset: offset).normalized
        }
        #expect(try await list() == newestFirst)
        #expect(try await list(.running).map(\.id) == ["exec-5", "exec-3", "exec-0"])
        #expect(try await list(nil, "wf-even").map(\.id) == ["exec-4", "exec-2", "exec-0"])
        #expect(try await list(.running, "wf-odd").map(\.id) == ["exec-5", "exec-3"])
        #expect(try await list(.paused).isEmpty)
        #expect(try await list(nil, "unknown").isEmpty)
        #expect(try await list(limit: 4, offset: 0) == Array(newestFirst[0..<4]))
        #expect(try await list(limit: 4, offset: 4) == Array(newestFirst[4...]))
        #expect(try await list(limit: 4, offset: 8).isEmpty)
        #expect(try await list(limit: 0).isEmpty)
        #expect(try await list(.running, limit: 1, offset: 1).map(\.id) == ["exec-3"])

        // Creation time: from `createdAfter` (inclusive) to `createdBefore` (exclusive).
        func created(after: Int?, before: Int?, _ status: WorkflowStatus? = nil) async throws -> [String] {
            try await store.listExecutions(
                ExecutionQuery(
                    status: status, createdAfter: after.map(Fixtures.at), createdBefore: before.map(Fixtures.at), limit: 100)
            ).map(\.id)
        }
        #expect(try await created(after: 2000, before: nil) == ["exec-5", "exec-4", "exec-3", "exec-2"])
        #expect(try await created(after: nil, before: 2000) == ["exec-1", "exec-0"])
        #expect(try await created(after: 1000, before: 4000) == ["exec-3", "exec-2", "exec-1"])
        #expect(try await created(after: 1000, before: 4000, .running) == ["exec-3"])
        #expect(try await created(after: 9000, before: nil).isEmpty)
    }

    /// Counts per status follow commits; a status with no executions counts as zero
    /// whether or not the store reports it.
    public func testExecutionCounts() async throws {
        let store = try await freshStore()
        let empty = try await store.executionCounts()
        #expect(WorkflowStatus.allCases.allSatisfy { empty[$0, default: 0] == 0 })

        let statuses: [WorkflowStatus] = [.running, .running, .running, .failed, .pending, .completed, .completed]
        try await store.commit(statuses.enumerated().map { index, status in
            Fixtures.newExecution(id: "exec-\(index)", status: status)
        })
        var counts = try await store.executionCounts()
        #expect(counts[.running, default: 0] == 3)
        #expect(counts[.completed, default: 0] == 2)
        #expect(counts[.failed, default: 0] == 1)
        #expect(counts[.pending, default: 0] == 1)
        #expect(counts[.paused, default: 0] == 0)
        #expect(counts[.canceled, default: 0] == 0)

        var state = try #require(try await store.execution(id: "exec-0"))
        state.record.status = .paused
        try await store.commit([ExecutionChange(record: state.record, tasks: [], events: [])])
        counts = try await store.executionCounts()
        #expect(counts[.running, default: 0] == 2)
        #expect(counts[.paused, default: 0] == 1)
    }

    /// A probe write succeeds on a healthy store, can be repeated, and changes nothing a
    /// caller can see: the same executions, counts and events before and after.
    public func testProbeWriteLeavesNoTrace() async throws {
        let store = try await freshStore()
        try await store.probeWrite()
        try await store.commit([Fixtures.newExecution(id: "exec-probe", status: .running)])
        let before = try await store.execution(id: "exec-probe")
        let eventsBefore = try await store.events(executionID: "exec-probe", afterSeq: 0, limit: 100)
        for _ in 0..<3 { try await store.probeWrite() }
        #expect(try await store.execution(id: "exec-probe") == before)
        #expect(try await store.events(executionID: "exec-probe", afterSeq: 0, limit: 100) == eventsBefore)
        let counts = try await store.executionCounts()
        #expect(counts.values.reduce(0, +) == 1)
        #expect(try await store.listWorkflows(name: nil, limit: 10, offset: 0).isEmpty)
    }
}
