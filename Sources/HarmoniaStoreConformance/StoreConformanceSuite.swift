import HarmoniaCore
import Testing

/// The behaviour every `Store` implementation must show, as one reusable test suite.
///
/// Each implementation's test target runs it against its own store, so SQLite and the later
/// PostgreSQL store are held to exactly the same contract:
///
/// ```swift
/// @Test func conformance() async throws {
///     try await StoreConformanceSuite { try SQLiteStore.inMemory() }.runAll()
/// }
/// ```
///
/// Every `test...` method asks `makeStore` for a store of its own, which must be empty; the
/// suite calls `migrate()` itself. Failures are recorded with Swift Testing's `#expect`, so
/// call the methods from inside a `@Test`; calling each from its own `@Test` names the
/// failing behaviour in the test report.
///
/// Dates are compared at millisecond precision, the least a store must keep.
public struct StoreConformanceSuite: Sendable {
    private let makeStore: @Sendable () async throws -> any Store

    /// - Parameter makeStore: Returns a new, empty store each time it is called.
    public init(makeStore: @escaping @Sendable () async throws -> any Store) {
        self.makeStore = makeStore
    }

    /// Runs every test of the suite, one after the other.
    public func runAll() async throws {
        try await testMigrateIsIdempotent()
        try await testWorkflowSaveAndRead()
        try await testWorkflowVersions()
        try await testWorkflowListFilterAndPaging()
        try await testWorkflowDelete()
        try await testLatestVersionFollowsEveryWrite()
        try await testNewExecutionRoundTrip()
        try await testMinimalExecutionRoundTrip()
        try await testUpdateWithChangedTasksOnly()
        try await testEventsAfterSeqAndLimit()
        try await testSequenceGapRejectsWholeBatch()
        try await testMalformedChangesAreSequenceConflicts()
        try await testDuplicateExecutionIDRollsBackBatch()
        try await testDuplicateIdempotencyKeyRollsBackBatch()
        try await testReleaseIdempotencyKey()
        try await testUpdateOfMissingExecutionIsNotFound()
        try await testCommitManyExecutionsInOneCall()
        try await testUnfinishedExecutions()
        try await testListExecutionsFiltersOrderingAndPaging()
        try await testExecutionCounts()
        try await testProbeWriteLeavesNoTrace()
        try await testConcurrentCommitsKeepLogsGapFree()
        try await testCheckpointsRoundTrip()
        try await testTemplateSaveReadAndVersions()
        try await testTemplateListTagsAndPaging()
        try await testTemplateDelete()
        try await testSignalsPendingUntilConsumed()
        try await testParentLinkRoundTripAndFilter()
        try await testScheduleRoundTrip()
        try await testScheduleListPaging()
        try await testScheduleRunsAndCursor()
        try await testScheduleKeepsItsNewestRuns()
    }

    /// A new, migrated store.
    func freshStore() async throws -> any Store {
        let store = try await makeStore()
        try await store.migrate()
        return store
    }

    /// Runs `body` and expects it to throw a `HarmoniaError` with `code`.
    func expectError(
        _ code: HarmoniaError.Code, _ comment: Comment? = nil,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async {
        do {
            try await body()
            Issue.record("expected a \(code) error, but nothing was thrown. \(comment?.description ?? "")",
                sourceLocation: sourceLocation)
        } catch let error as HarmoniaError {
            #expect(error.code == code, "expected \(code), got \(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a \(code) HarmoniaError, got \(error)", sourceLocation: sourceLocation)
        }
    }
}
