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
    let execution: [SQLValue]
    /// Arguments for `CommitSQL.upsertTask`, one array per task row.
    let tasks: [[SQLValue]]
    /// Arguments for `CommitSQL.insertEvent`, one array per event.
    let events: [[SQLValue]]
    /// Checkpoint rows: id, execution_id, seq, reason, created_at, snapshot.
    let checkpoints: [[SQLValue]]
    /// Arguments for `CommitSQL.upsertSignal`, one array per signal.
    let signals: [[SQLValue]]
    /// Arguments for `InstanceSQL.upsert`, one array per changed map instance.
    let instances: [[SQLValue]]

    init(_ change: ExecutionChange) throws {
        let record = change.record
        executionID = record.id
        isNew = change.isNew
        lastSeq = record.lastSeq
        priorSeq = try Self.validatedPriorSeq(change)
        if change.isNew {
            execution = [
                SQLValue(record.id), SQLValue(record.workflowID), SQLValue(record.workflowVersion),
                SQLValue(record.workflowName), SQLValue(record.status.rawValue),
                SQLValue(json: record.input), SQLValue(json: record.metadata),
                SQLValue(record.idempotencyKey), SQLValue(json: record.error),
                SQLValue(try StoredDate.milliseconds(record.createdAt)),
                SQLValue(try StoredDate.milliseconds(record.startedAt)),
                SQLValue(try StoredDate.milliseconds(record.finishedAt)),
                SQLValue(try StoredDate.milliseconds(record.updatedAt)),
                SQLValue(try StoredDate.milliseconds(record.deadline)),
                SQLValue(record.lastSeq), SQLValue(record.restoredFrom),
                SQLValue(record.parent?.executionID), SQLValue(record.parent?.taskID), SQLValue(record.parent.map { Int64($0.depth) }),
            ]
        } else {
            execution = [
                SQLValue(record.status.rawValue), SQLValue(json: record.metadata),
                SQLValue(json: record.error),
                SQLValue(try StoredDate.milliseconds(record.startedAt)),
                SQLValue(try StoredDate.milliseconds(record.finishedAt)),
                SQLValue(try StoredDate.milliseconds(record.updatedAt)),
                SQLValue(try StoredDate.milliseconds(record.deadline)),
                SQLValue(record.lastSeq), SQLValue(record.id), SQLValue(priorSeq),
            ]
        }
        let id = SQLValue(record.id)
        tasks = try change.tasks.map { task in
            [
                id, SQLValue(task.taskID), SQLValue(task.status.rawValue),
                SQLValue(task.attempt), SQLValue(task.retries),
                SQLValue(json: task.input), SQLValue(json: task.output),
                SQLValue(json: task.error), SQLValue(task.reason),
                SQLValue(try StoredDate.milliseconds(task.startedAt)),
                SQLValue(try StoredDate.milliseconds(task.finishedAt)),
                SQLValue(try StoredDate.milliseconds(task.nextAttemptAt)),
                SQLValue(try StoredDate.milliseconds(task.timeoutAt)),
            ]
        }
        events = try change.events.map { event in
            [
                id, SQLValue(event.seq), SQLValue(event.type.rawValue), SQLValue(event.taskID),
                SQLValue(json: event.details), SQLValue(event.message),
                SQLValue(try StoredDate.milliseconds(event.timestamp)),
            ]
        }
        instances = try change.instances.map { try SQLiteStore.encodeInstance($0, executionID: id) }
        checkpoints = try change.checkpoints.map { checkpoint in
            [
                SQLValue(checkpoint.id), id, SQLValue(checkpoint.seq), SQLValue(checkpoint.reason),
                SQLValue(try StoredDate.milliseconds(checkpoint.createdAt)),
                SQLValue.utf8(try StoredCheckpoint.encode(checkpoint)),
            ]
        }
        signals = try change.signals.map { signal in
            [
                SQLValue(signal.id), id, SQLValue(signal.name), SQLValue(json: signal.payload),
                SQLValue(try StoredDate.milliseconds(signal.receivedAt)), SQLValue(signal.consumedBy),
                SQLValue(signal.consumedAttempt.map(Int64.init)), SQLValue(try StoredDate.milliseconds(signal.consumedAt)),
            ]
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
}
