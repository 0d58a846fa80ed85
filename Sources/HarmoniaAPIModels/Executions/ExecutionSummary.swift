import HarmoniaCore

/// Task counts of one execution, for progress bars.
///
/// Seven task statuses fold into the five counted ones: `retrying` counts as running (the
/// task is still being worked on) and `waiting` as pending (it has not started).
public struct ExecutionSummary: Codable, Sendable, Hashable {
    public var total: Int
    public var completed: Int
    public var failed: Int
    public var skipped: Int
    public var running: Int
    public var pending: Int
    public var canceled: Int
    /// Finished tasks (completed, failed, skipped, canceled) over all tasks, 0...1.
    public var progress: Double

    public init(
        total: Int, completed: Int, failed: Int, skipped: Int, running: Int, pending: Int,
        canceled: Int, progress: Double
    ) {
        self.total = total
        self.completed = completed
        self.failed = failed
        self.skipped = skipped
        self.running = running
        self.pending = pending
        self.canceled = canceled
        self.progress = progress
    }

    /// Counts `tasks` by status.
    public init(tasks: some Collection<TaskState>) {
        var completed = 0, failed = 0, skipped = 0, running = 0, pending = 0, canceled = 0
        for task in tasks {
            switch task.status {
            case .completed: completed += 1
            case .failed: failed += 1
            case .skipped: skipped += 1
            case .canceled: canceled += 1
            case .running, .retrying: running += 1
            case .pending, .waiting: pending += 1
            }
        }
        let finished = completed + failed + skipped + canceled
        self.init(
            total: tasks.count, completed: completed, failed: failed, skipped: skipped,
            running: running, pending: pending, canceled: canceled,
            progress: tasks.isEmpty ? 0 : Double(finished) / Double(tasks.count))
    }
}
