import Foundation
import HarmoniaCore
import HarmoniaStorageSQLite
import Synchronization

/// A real SQLite store whose commits can be made to fail on purpose, to prove the engine's
/// rollback: what is in memory after a failed commit must match what is stored.
///
/// Every method forwards to the SQLite store; `commit` first asks `rule` whether this batch
/// fails. `SynchronousFaultInjectingStore` adds the in-place commit the engine prefers, so
/// both engine paths are exercised. The asynchronous `commit` can also be held
/// (`holdNextCommit`), to look at the engine while a change is not yet durable.
class FaultInjectingStore: Store, @unchecked Sendable {
    let base: SQLiteStore
    private let rule = Mutex<(@Sendable ([ExecutionChange]) -> Bool)?>(nil)
    private let failures = Atomic<Int>(0)
    private let gate = Mutex<Gate>(Gate())

    private struct Gate {
        var predicate: (@Sendable ([ExecutionChange]) -> Bool)?
        var held: CheckedContinuation<Void, Never>?
        var released = false
    }

    init(_ base: SQLiteStore) { self.base = base }

    /// Makes commits for which `predicate` is true fail, at most `times` times in all.
    func failCommits(times: Int, when predicate: @escaping @Sendable ([ExecutionChange]) -> Bool) {
        let remaining = Atomic<Int>(times)
        rule.withLock {
            $0 = { changes in
                guard predicate(changes) else { return false }
                return remaining.subtract(1, ordering: .relaxed).newValue >= 0
            }
        }
    }

    /// Commits failed on purpose so far.
    var injectedFailures: Int { failures.load(ordering: .relaxed) }

    func check(_ changes: [ExecutionChange]) throws {
        guard let rule = rule.withLock({ $0 }), rule(changes) else { return }
        failures.add(1, ordering: .relaxed)
        throw HarmoniaError(.storageFailure, "injected commit failure")
    }

    /// Holds the first asynchronous commit for which `predicate` is true until
    /// `releaseHeldCommit()`.
    func holdNextCommit(when predicate: @escaping @Sendable ([ExecutionChange]) -> Bool) {
        gate.withLock { $0 = Gate(predicate: predicate) }
    }

    /// Whether a commit is waiting for `releaseHeldCommit()`.
    var isHoldingCommit: Bool { gate.withLock { $0.held != nil } }

    func releaseHeldCommit() {
        let held = gate.withLock { gate -> CheckedContinuation<Void, Never>? in
            gate.released = true
            gate.predicate = nil
            defer { gate.held = nil }
            return gate.held
        }
        held?.resume()
    }

    func commit(_ changes: [ExecutionChange]) async throws {
        try check(changes)
        await withCheckedContinuation { continuation in
            let hold = gate.withLock { gate -> Bool in
                guard let predicate = gate.predicate, !gate.released, predicate(changes) else { return false }
                gate.predicate = nil
                gate.held = continuation
                return true
            }
            if !hold { continuation.resume() }
        }
        try await base.commit(changes)
    }

    /// Whether `probeWrite` fails (as a full disk would), and how many probes were tried.
    let probesFail = Atomic<Bool>(false)
    private let probes = Atomic<Int>(0)
    var probeAttempts: Int { probes.load(ordering: .relaxed) }

    func probeWrite() async throws {
        probes.add(1, ordering: .relaxed)
        if probesFail.load(ordering: .relaxed) { throw HarmoniaError(.storageUnavailable, "injected probe failure") }
        try await base.probeWrite()
    }

    func migrate() async throws { try await base.migrate() }
    func saveWorkflow(_ definition: WorkflowDefinition) async throws { try await base.saveWorkflow(definition) }
    func workflow(id: String, version: Int?) async throws -> WorkflowDefinition? { try await base.workflow(id: id, version: version) }
    func listWorkflows(name: String?, limit: Int, offset: Int) async throws -> [WorkflowDefinition] {
        try await base.listWorkflows(name: name, limit: limit, offset: offset)
    }
    func deleteWorkflow(id: String) async throws -> Bool { try await base.deleteWorkflow(id: id) }
    func execution(id: String) async throws -> ExecutionState? { try await base.execution(id: id) }
    func execution(idempotencyKey: String) async throws -> ExecutionState? { try await base.execution(idempotencyKey: idempotencyKey) }
    func releaseIdempotencyKey(_ key: String, createdBefore: Date) async throws -> Bool {
        try await base.releaseIdempotencyKey(key, createdBefore: createdBefore)
    }
    func listExecutions(_ query: ExecutionQuery) async throws -> [ExecutionRecord] {
        try await base.listExecutions(query)
    }
    func unfinishedExecutions() async throws -> [ExecutionState] { try await base.unfinishedExecutions() }
    func events(executionID: String, afterSeq: Int64, limit: Int) async throws -> [ExecutionEvent] {
        try await base.events(executionID: executionID, afterSeq: afterSeq, limit: limit)
    }
    func executionCounts() async throws -> [WorkflowStatus: Int] { try await base.executionCounts() }
    func checkpoint(id: String) async throws -> Checkpoint? { try await base.checkpoint(id: id) }
    func checkpoints(executionID: String) async throws -> [Checkpoint] { try await base.checkpoints(executionID: executionID) }
    func saveTemplate(_ template: WorkflowTemplate) async throws { try await base.saveTemplate(template) }
    func template(id: String, version: Int?) async throws -> WorkflowTemplate? { try await base.template(id: id, version: version) }
    func listTemplates(tag: String?, name: String?, limit: Int, offset: Int) async throws -> [WorkflowTemplate] {
        try await base.listTemplates(tag: tag, name: name, limit: limit, offset: offset)
    }
    func deleteTemplate(id: String) async throws -> Bool { try await base.deleteTemplate(id: id) }
}

/// The same, committing in place like the SQLite store itself.
final class SynchronousFaultInjectingStore: FaultInjectingStore, SynchronousCommitting, @unchecked Sendable {
    func commitSynchronously(_ changes: [ExecutionChange]) throws {
        try check(changes)
        try base.commitSynchronously(changes)
    }
}
