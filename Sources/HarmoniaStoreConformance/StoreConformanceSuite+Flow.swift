import Foundation
import HarmoniaCore
import Testing

/// Signals and parent links (`harmonia.wait_for_signal`, `harmonia.run_workflow`).
extension StoreConformanceSuite {
    /// A signal stored pending comes back with its execution (by id and among the unfinished
    /// ones), oldest first; once a later change marks it consumed it is pending no more.
    public func testSignalsPendingUntilConsumed() async throws {
        let store = try await freshStore()
        var change = Fixtures.newExecution(id: "exec-s")
        let first = ExecutionSignal(
            id: "sig-1", executionID: "exec-s", name: "go", payload: ["n": 1], receivedAt: Fixtures.at(10))
        let second = ExecutionSignal(
            id: "sig-2", executionID: "exec-s", name: "go", payload: [1, "two"], receivedAt: Fixtures.at(20))
        try await store.commit([change])
        change = ExecutionChange(
            record: with(change.record) { $0.lastSeq = 2 }, tasks: [],
            events: [ExecutionEvent(executionID: "exec-s", seq: 2, type: .signalReceived, message: "go", timestamp: Fixtures.at(20))],
            signals: [first, second])
        try await store.commit([change])
        #expect(try await store.execution(id: "exec-s")?.pendingSignals.map(\.id) == ["sig-1", "sig-2"])
        let unfinished = try await store.unfinishedExecutions().first { $0.id == "exec-s" }
        #expect(unfinished?.pendingSignals.map(\.payload) == [["n": 1], [1, "two"]])

        var consumed = first
        consumed.consumedBy = "a"
        consumed.consumedAttempt = 1
        consumed.consumedAt = Fixtures.at(30)
        try await store.commit([
            ExecutionChange(
                record: with(change.record) { $0.lastSeq = 3 }, tasks: [],
                events: [ExecutionEvent(executionID: "exec-s", seq: 3, type: .taskCompleted, taskID: "a", message: "a", timestamp: Fixtures.at(30))],
                signals: [consumed])
        ])
        #expect(try await store.execution(id: "exec-s")?.pendingSignals.map(\.id) == ["sig-2"])
    }

    /// A child's parent link is stored with it and filters the list.
    public func testParentLinkRoundTripAndFilter() async throws {
        let store = try await freshStore()
        var child = Fixtures.newExecution(id: "exec-child", createdAt: Fixtures.at(5))
        child.record.parent = ExecutionParent(executionID: "exec-parent", taskID: "sub", depth: 2)
        try await store.commit([Fixtures.newExecution(id: "exec-parent"), child, Fixtures.newExecution(id: "exec-other")])
        #expect(try await store.execution(id: "exec-child")?.record.parent == child.record.parent)
        #expect(try await store.execution(id: "exec-parent")?.record.parent == nil)
        var query = ExecutionQuery(limit: 10)
        query.parentExecutionID = "exec-parent"
        #expect(try await store.listExecutions(query).map(\.id) == ["exec-child"])
    }

    private func with(_ record: ExecutionRecord, _ body: (inout ExecutionRecord) -> Void) -> ExecutionRecord {
        var copy = record
        body(&copy)
        return copy
    }
}
