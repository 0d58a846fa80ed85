import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import Testing

/// A real engine on a real SQLite file in a temporary directory, dispatching to `registry`.
struct TektonEngine {
    let directory: URL
    let store: SQLiteStore
    let engine: Engine

    init(registry: AdapterRegistry) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-tekton-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("harmonia.sqlite").path)
        try await store.migrate()
        engine = Engine(store: store, adapters: registry)
    }

    /// Runs `body` while the engine loop runs, then stops the loop and removes the files.
    func run<T: Sendable>(_ body: (TektonEngine) async throws -> T) async throws -> T {
        defer { try? FileManager.default.removeItem(at: directory) }
        try await engine.prepare()
        let loop = Task { try await engine.run() }
        do {
            let result = try await body(self)
            loop.cancel()
            _ = await loop.result
            return result
        } catch {
            loop.cancel()
            _ = await loop.result
            throw error
        }
    }

    /// Validates and starts `workflow`; returns the execution id.
    func start(_ workflow: WorkflowDefinition, input: JSONValue = .emptyObject) async throws -> String {
        let validated = try DefinitionValidator.validate(workflow)
        try await store.saveWorkflow(validated)
        return try await engine.startExecution(workflow: validated, input: input).state.id
    }

    /// Polls the store until the execution has finished, or throws after `timeout` seconds
    /// (generous: a loaded machine running the suite in parallel is slow, and waiting costs
    /// nothing when the execution finishes).
    func finished(_ id: String, timeout: Double = 90) async throws -> ExecutionState {
        let deadline = ContinuousClock.now.advanced(by: .seconds(timeout))
        while ContinuousClock.now < deadline {
            if let state = try await store.execution(id: id), state.record.status.isTerminal { return state }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw DoubleError("execution \(id) did not finish within \(timeout) s")
    }

    func events(_ id: String) async throws -> [ExecutionEvent] {
        try await store.events(executionID: id, afterSeq: 0, limit: 10_000)
    }
}
