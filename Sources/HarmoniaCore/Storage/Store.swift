import Foundation

/// Durable storage for workflow definitions, executions, task runs and event logs.
///
/// Implementations: SQLite (the embedded default) and, later, PostgreSQL. Every
/// implementation must pass the shared conformance suite in `HarmoniaStoreConformance`.
/// All methods are safe to call concurrently; writes are serialized by the implementation.
public protocol Store: Sendable {
    /// Creates or upgrades the schema. Idempotent.
    func migrate() async throws

    // MARK: Workflows

    /// Stores a new workflow (version 1) or a new version of an existing one.
    /// Throws `conflict` if that id and version already exist.
    func saveWorkflow(_ definition: WorkflowDefinition) async throws
    /// The newest version (or the given version) of a workflow, nil if unknown or deleted.
    /// A deleted workflow's versions stay readable by explicit version for its executions.
    func workflow(id: String, version: Int?) async throws -> WorkflowDefinition?
    /// Newest versions of live workflows, newest first, optionally filtered by exact name.
    func listWorkflows(name: String?, limit: Int, offset: Int) async throws -> [WorkflowDefinition]
    /// Marks a workflow deleted; false if it did not exist.
    func deleteWorkflow(id: String) async throws -> Bool

    // MARK: Executions

    /// Applies the changes of one or more executions in a single transaction: all or none.
    /// Throws `sequence_conflict` if an event's seq does not continue the stored log, and
    /// `conflict` if a new execution reuses an id or idempotency key.
    func commit(_ changes: [ExecutionChange]) async throws
    /// The execution row and all its task rows.
    func execution(id: String) async throws -> ExecutionState?
    /// The execution created with this idempotency key, if any.
    func execution(idempotencyKey: String) async throws -> ExecutionState?
    /// Forgets `key` on the execution that was created with it before `createdBefore` (the
    /// execution itself stays), so that after its retention window the key starts a new
    /// execution. False when no such execution holds the key.
    func releaseIdempotencyKey(_ key: String, createdBefore: Date) async throws -> Bool
    /// Execution rows, newest first (ties by id), filtered by status, workflow and creation time.
    func listExecutions(_ query: ExecutionQuery) async throws -> [ExecutionRecord]
    /// Executions that are pending, running or paused (what recovery must resume).
    func unfinishedExecutions() async throws -> [ExecutionState]
    /// Events with seq greater than `afterSeq`, in order, at most `limit`.
    func events(executionID: String, afterSeq: Int64, limit: Int) async throws -> [ExecutionEvent]
    /// Counts of executions by status.
    func executionCounts() async throws -> [WorkflowStatus: Int]
    /// Writes and removes a page's worth of data in one durable transaction, changing no
    /// visible state. It fails when the store refuses new data (disk full, read-only, I/O
    /// error), so the engine uses it to notice that writes work again while nothing else is
    /// being written, and `/ready` does not stay "not ready" after space comes back.
    func probeWrite() async throws

    // MARK: Checkpoints (written through `commit`, with their event)

    /// One checkpoint with its snapshot.
    func checkpoint(id: String) async throws -> Checkpoint?
    /// An execution's checkpoints, oldest first.
    func checkpoints(executionID: String) async throws -> [Checkpoint]

    // MARK: Templates

    /// Stores a new template (version 1) or a new version of an existing one; the newest
    /// version's tags become the template's tags for `listTemplates(tag:)`.
    /// Throws `conflict` if that id and version already exist.
    func saveTemplate(_ template: WorkflowTemplate) async throws
    /// The newest version (or the given version) of a template, nil if unknown or deleted.
    /// A deleted template's versions stay readable by explicit version.
    func template(id: String, version: Int?) async throws -> WorkflowTemplate?
    /// Newest versions of live templates, most recently updated first, optionally only those
    /// whose newest version carries `tag` or has exactly `name`.
    func listTemplates(tag: String?, name: String?, limit: Int, offset: Int) async throws -> [WorkflowTemplate]
    /// Marks a template deleted; false if it did not exist.
    func deleteTemplate(id: String) async throws -> Bool

    // MARK: Schedules

    /// Stores a new schedule. Throws `conflict` if the id is taken.
    func createSchedule(_ schedule: Schedule) async throws
    /// Replaces a stored schedule (every field, the cursor `nextDueAt` included). Throws
    /// `not_found` if it does not exist.
    func updateSchedule(_ schedule: Schedule) async throws
    /// One schedule, nil if unknown or deleted.
    func schedule(id: String) async throws -> Schedule?
    /// Schedules, oldest first (ties by id).
    func listSchedules(limit: Int, offset: Int) async throws -> [Schedule]
    /// Deletes a schedule and its run records; false if it did not exist. The executions it
    /// started stay.
    func deleteSchedule(id: String) async throws -> Bool
    /// Records what was done at a due time and moves the schedule's cursor to `nextDueAt`, in
    /// one transaction. A second record of the same due time and outcome is ignored. At least
    /// the newest 1,000 records per schedule are kept; older ones may be dropped. Throws
    /// `not_found` if the schedule does not exist (it was deleted meanwhile).
    func recordScheduleRun(_ run: ScheduleRun, nextDueAt: Date?) async throws
    /// A schedule's run records, newest due time first, at most `limit`.
    func scheduleRuns(scheduleID: String, limit: Int) async throws -> [ScheduleRun]
}

extension Store {
    /// Execution rows, newest first, filtered by status and workflow.
    public func listExecutions(
        status: WorkflowStatus?, workflowID: String?, limit: Int, offset: Int
    ) async throws -> [ExecutionRecord] {
        try await listExecutions(ExecutionQuery(status: status, workflowID: workflowID, limit: limit, offset: offset))
    }
}
