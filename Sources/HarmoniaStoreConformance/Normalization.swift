import Foundation
import HarmoniaCore

/// Values with every date rounded to whole milliseconds: the precision a store must keep.
/// Expected and stored values are both normalized before they are compared, so a store that
/// keeps more precision (or converts through another epoch) still compares equal.
protocol Normalizable {
    var normalized: Self { get }
}

extension Date: Normalizable {
    var normalized: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}

extension Optional: Normalizable where Wrapped: Normalizable {
    var normalized: Wrapped? { map(\.normalized) }
}

extension Array: Normalizable where Element: Normalizable {
    var normalized: [Element] { map(\.normalized) }
}

extension ExecutionRecord: Normalizable {
    var normalized: ExecutionRecord {
        var copy = self
        copy.createdAt = createdAt.normalized
        copy.startedAt = startedAt.normalized
        copy.finishedAt = finishedAt.normalized
        copy.updatedAt = updatedAt.normalized
        copy.deadline = deadline.normalized
        return copy
    }
}

extension TaskState: Normalizable {
    var normalized: TaskState {
        var copy = self
        copy.startedAt = startedAt.normalized
        copy.finishedAt = finishedAt.normalized
        copy.nextAttemptAt = nextAttemptAt.normalized
        copy.timeoutAt = timeoutAt.normalized
        return copy
    }
}

extension ExecutionState: Normalizable {
    var normalized: ExecutionState {
        ExecutionState(record: record.normalized, tasks: tasks.mapValues(\.normalized))
    }
}

extension ExecutionEvent: Normalizable {
    var normalized: ExecutionEvent {
        var copy = self
        copy.timestamp = timestamp.normalized
        return copy
    }
}

extension WorkflowDefinition: Normalizable {
    var normalized: WorkflowDefinition {
        var copy = self
        copy.createdAt = createdAt.normalized
        copy.updatedAt = updatedAt.normalized
        return copy
    }
}
