import Foundation
import HarmoniaCore
import HarmoniaStorageSQLite
import HarmoniaStoreConformance
import Testing

/// The shared Store conformance suite against SQLite, one test per behaviour so a failure
/// names what broke. Each store is a fresh temporary file, deleted when the store is released.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteConformanceTests {
    let suite = StoreConformanceSuite { try SQLiteStore.inMemory() }

    @Test func checkpointsRoundTrip() async throws { try await suite.testCheckpointsRoundTrip() }
    @Test func templateSaveReadAndVersions() async throws { try await suite.testTemplateSaveReadAndVersions() }
    @Test func templateListTagsAndPaging() async throws { try await suite.testTemplateListTagsAndPaging() }
    @Test func templateDelete() async throws { try await suite.testTemplateDelete() }
    @Test func scheduleRoundTrip() async throws { try await suite.testScheduleRoundTrip() }
    @Test func scheduleListPaging() async throws { try await suite.testScheduleListPaging() }
    @Test func scheduleRunsAndCursor() async throws { try await suite.testScheduleRunsAndCursor() }
    @Test func scheduleKeepsItsNewestRuns() async throws { try await suite.testScheduleKeepsItsNewestRuns() }
    @Test func migrateIsIdempotent() async throws { try await suite.testMigrateIsIdempotent() }
    @Test func workflowSaveAndRead() async throws { try await suite.testWorkflowSaveAndRead() }
    @Test func workflowVersions() async throws { try await suite.testWorkflowVersions() }
    @Test func workflowListFilterAndPaging() async throws { try await suite.testWorkflowListFilterAndPaging() }
    @Test func workflowDelete() async throws { try await suite.testWorkflowDelete() }
    @Test func latestVersionFollowsEveryWrite() async throws { try await suite.testLatestVersionFollowsEveryWrite() }
    @Test func newExecutionRoundTrip() async throws { try await suite.testNewExecutionRoundTrip() }
    @Test func minimalExecutionRoundTrip() async throws { try await suite.testMinimalExecutionRoundTrip() }
    @Test func updateWithChangedTasksOnly() async throws { try await suite.testUpdateWithChangedTasksOnly() }
    @Test func eventsAfterSeqAndLimit() async throws { try await suite.testEventsAfterSeqAndLimit() }
    @Test func sequenceGapRejectsWholeBatch() async throws { try await suite.testSequenceGapRejectsWholeBatch() }
    @Test func malformedChangesAreSequenceConflicts() async throws {
        try await suite.testMalformedChangesAreSequenceConflicts()
    }
    @Test func duplicateExecutionIDRollsBackBatch() async throws { try await suite.testDuplicateExecutionIDRollsBackBatch() }
    @Test func duplicateIdempotencyKeyRollsBackBatch() async throws {
        try await suite.testDuplicateIdempotencyKeyRollsBackBatch()
    }
    @Test func releaseIdempotencyKey() async throws { try await suite.testReleaseIdempotencyKey() }
    @Test func updateOfMissingExecutionIsNotFound() async throws { try await suite.testUpdateOfMissingExecutionIsNotFound() }
    @Test func commitManyExecutionsInOneCall() async throws { try await suite.testCommitManyExecutionsInOneCall() }
    @Test func largeChangeReadsBackExactly() async throws { try await suite.testLargeChangeReadsBackExactly() }
    @Test func unfinishedExecutions() async throws { try await suite.testUnfinishedExecutions() }
    @Test func listExecutionsFiltersOrderingAndPaging() async throws {
        try await suite.testListExecutionsFiltersOrderingAndPaging()
    }
    @Test func executionCounts() async throws { try await suite.testExecutionCounts() }
    @Test func probeWriteLeavesNoTrace() async throws { try await suite.testProbeWriteLeavesNoTrace() }
    @Test func concurrentCommitsKeepLogsGapFree() async throws { try await suite.testConcurrentCommitsKeepLogsGapFree() }
    @Test func signalsPendingUntilConsumed() async throws { try await suite.testSignalsPendingUntilConsumed() }
    @Test func parentLinkRoundTripAndFilter() async throws { try await suite.testParentLinkRoundTripAndFilter() }

    /// `runAll` is what other stores' test targets may call; it must cover the same ground.
    @Test func runAllOnFileStores() async throws {
        try await TemporaryDatabase.with { database in
            let suite = StoreConformanceSuite {
                let path = database.directory.appendingPathComponent("store-\(UUID().uuidString).sqlite").path
                return try SQLiteStore(path: path, configuration: .init(synchronous: .normal))
            }
            try await suite.runAll()
        }
    }
}
