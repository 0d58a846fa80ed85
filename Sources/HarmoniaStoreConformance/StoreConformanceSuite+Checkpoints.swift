import HarmoniaCore
import Testing

/// Checkpoints ride in `commit` with their event and read back whole.
extension StoreConformanceSuite {
    /// A checkpoint committed with its `checkpoint_created` event reads back equal, by id and
    /// by execution in log order; a failed batch stores no checkpoint.
    public func testCheckpointsRoundTrip() async throws {
        let store = try await freshStore()
        let creation = Fixtures.newExecution(id: "exec-1")
        try await store.commit([creation])
        var state = Fixtures.state(after: creation)
        var completion = Fixtures.completeTask("a", of: &state, at: Fixtures.at(10))
        completion.checkpoints = []
        try await store.commit([completion])

        func checkpointChange(_ id: String, at time: Int) -> ExecutionChange {
            state.record.lastSeq += 1
            let event = ExecutionEvent(
                executionID: "exec-1", seq: state.record.lastSeq, type: .checkpointCreated,
                details: ["checkpoint_id": .string(id)], message: "checkpoint", timestamp: Fixtures.at(time))
            let checkpoint = Checkpoint(
                id: id, executionID: "exec-1", seq: state.record.lastSeq, reason: "manual", createdAt: Fixtures.at(time),
                record: state.record, tasks: state.tasks.values.sorted { $0.taskID < $1.taskID })
            return ExecutionChange(record: state.record, tasks: [], events: [event], checkpoints: [checkpoint])
        }
        let first = checkpointChange("cp-1", at: 20)
        try await store.commit([first])
        let second = checkpointChange("cp-2", at: 30)
        try await store.commit([second])

        let read = try #require(try await store.checkpoint(id: "cp-1"))
        #expect(read.executionID == "exec-1")
        #expect(read.seq == first.checkpoints[0].seq)
        #expect(read.reason == "manual")
        #expect(read.record.id == "exec-1")
        #expect(read.tasks.map(\.taskID) == ["a", "b"])
        #expect(read.tasks.first?.status == .completed)
        #expect(read.tasks.first?.output == ["done": "a"])
        #expect(read.completedTasks.map(\.taskID) == ["a"])
        #expect(try await store.checkpoints(executionID: "exec-1").map(\.id) == ["cp-1", "cp-2"])
        #expect(try await store.checkpoint(id: "nope") == nil)
        #expect(try await store.checkpoints(executionID: "exec-9").isEmpty)

        // A checkpoint in a batch that fails is not stored.
        var gapped = checkpointChange("cp-3", at: 40)
        gapped.events[0].seq += 5
        gapped.record.lastSeq += 5
        gapped.checkpoints[0].seq += 5
        await expectError(.sequenceConflict) { try await store.commit([gapped]) }
        #expect(try await store.checkpoint(id: "cp-3") == nil)
    }
}
