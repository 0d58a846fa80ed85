import GRDB
import HarmoniaCore

/// One `ExecutionChange`, validated and turned into statement arguments before it reaches
/// the writer.
///
/// Validation and JSON encoding happen on the caller's task, so the single writer connection
/// spends its time only on SQLite work; a change that fails validation is rejected before
/// anything of its batch is written.
struct EncodedChange: Sendable {
    let executionID: String
    let isNew: Bool
    /// The stored `last_seq` this change continues from (0 for a new execution).
    let priorSeq: Int64
    /// The change's own new `last_seq`.
    let lastSeq: Int64
    /// Arguments for `CommitSQL.insertExecution` when new, else `CommitSQL.updateExecution`.
    let execution: StatementArguments
    let tasks: [StatementArguments]
    let events: [StatementArguments]

    init(_ change: ExecutionChange) throws {
        let record = change.record
        executionID = record.id
        isNew = change.isNew
        lastSeq = record.lastSeq
        priorSeq = try Self.validatedPriorSeq(change)
        if change.isNew {
            execution = StatementArguments([
                record.id.databaseValue, record.workflowID.databaseValue, record.workflowVersion.databaseValue,
                record.workflowName.databaseValue, record.status.rawValue.databaseValue,
                StoredJSON.text(record.input).databaseValue, StoredJSON.text(record.metadata).databaseValue,
                Self.value(record.idempotencyKey), Self.value(StoredJSON.text(record.error)),
                try StoredDate.milliseconds(record.createdAt).databaseValue,
                Self.value(try StoredDate.milliseconds(record.startedAt)),
                Self.value(try StoredDate.milliseconds(record.finishedAt)),
                try StoredDate.milliseconds(record.updatedAt).databaseValue,
                Self.value(try StoredDate.milliseconds(record.deadline)),
                record.lastSeq.databaseValue, Self.value(record.restoredFrom),
            ])
        } else {
            execution = StatementArguments([
                record.status.rawValue.databaseValue, StoredJSON.text(record.metadata).databaseValue,
                Self.value(StoredJSON.text(record.error)),
                Self.value(try StoredDate.milliseconds(record.startedAt)),
                Self.value(try StoredDate.milliseconds(record.finishedAt)),
                try StoredDate.milliseconds(record.updatedAt).databaseValue,
                Self.value(try StoredDate.milliseconds(record.deadline)),
                record.lastSeq.databaseValue, record.id.databaseValue, priorSeq.databaseValue,
            ])
        }
        let id = record.id.databaseValue
        tasks = try change.tasks.map { task in
            StatementArguments([
                id, task.taskID.databaseValue, task.status.rawValue.databaseValue,
                task.attempt.databaseValue, task.retries.databaseValue,
                Self.value(StoredJSON.text(task.input)), Self.value(StoredJSON.text(task.output)),
                Self.value(StoredJSON.text(task.error)), Self.value(task.reason),
                Self.value(try StoredDate.milliseconds(task.startedAt)),
                Self.value(try StoredDate.milliseconds(task.finishedAt)),
                Self.value(try StoredDate.milliseconds(task.nextAttemptAt)),
                Self.value(try StoredDate.milliseconds(task.timeoutAt)),
            ])
        }
        events = try change.events.map { event in
            StatementArguments([
                id, event.seq.databaseValue, event.type.rawValue.databaseValue, Self.value(event.taskID),
                StoredJSON.text(event.details).databaseValue, event.message.databaseValue,
                try StoredDate.milliseconds(event.timestamp).databaseValue,
            ])
        }
    }

    /// Checks that the change's events are its own, gap-free and end at `record.lastSeq`,
    /// and returns the stored `last_seq` they must continue.
    private static func validatedPriorSeq(_ change: ExecutionChange) throws -> Int64 {
        let id = change.record.id
        guard let first = change.events.first, let last = change.events.last else {
            if change.isNew && change.record.lastSeq != 0 {
                throw HarmoniaError(
                    .sequenceConflict,
                    "new execution \(id) has last_seq \(change.record.lastSeq) but no events")
            }
            return change.record.lastSeq
        }
        var expected = first.seq
        for event in change.events {
            guard event.executionID == id else {
                throw HarmoniaError(
                    .sequenceConflict, "event seq \(event.seq) of execution \(event.executionID) is in the change of \(id)")
            }
            guard event.seq == expected else {
                throw HarmoniaError(
                    .sequenceConflict, "execution \(id): event seq \(event.seq) follows \(expected - 1), expected \(expected)")
            }
            expected += 1
        }
        guard change.record.lastSeq == last.seq else {
            throw HarmoniaError(
                .sequenceConflict,
                "execution \(id): record last_seq \(change.record.lastSeq) differs from its last event's seq \(last.seq)")
        }
        if change.isNew && first.seq != 1 {
            throw HarmoniaError(.sequenceConflict, "new execution \(id): first event seq \(first.seq), expected 1")
        }
        return first.seq - 1
    }

    private static func value(_ value: (some DatabaseValueConvertible)?) -> DatabaseValue {
        value?.databaseValue ?? .null
    }
}
