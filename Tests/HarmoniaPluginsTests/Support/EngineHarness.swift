import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import Testing

/// A real engine on a real SQLite file in a temporary directory (the pattern of
/// HarmoniaEngineTests' harness, copied: test targets do not import each other).
struct EngineHarness {
    let directory: URL
    let store: SQLiteStore
    let engine: Engine

    init(registry: AdapterRegistry) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-plugin-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("harmonia.sqlite").path)
        try await store.migrate()
        engine = Engine(store: store, adapters: registry, configuration: .init())
    }

    /// Runs `body` while the engine loop runs, then stops the loop.
    func run<T: Sendable>(_ body: (EngineHarness) async throws -> T) async throws -> T {
        try await engine.prepare()
        let loop = Task { try await engine.run() }
        defer { loop.cancel() }
        let result = try await body(self)
        loop.cancel()
        _ = await loop.result
        return result
    }

    func start(_ definition: WorkflowDefinition, input: JSONValue = .emptyObject) async throws -> String {
        let validated = try DefinitionValidator.validate(definition)
        try await store.saveWorkflow(validated)
        return try await engine.startExecution(workflow: validated, input: input, idempotencyKey: nil).state.id
    }

    /// Polls the store until the execution is terminal, or fails the test after `timeout` s.
    func finished(_ id: String, timeout: Double = 40, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ExecutionState {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let state = try await store.execution(id: id), state.record.status.isTerminal { return state }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("execution \(id) did not finish in \(timeout) s", sourceLocation: sourceLocation)
        throw HarmoniaError(.timeout, "wait timed out")
    }

    func events(_ id: String) async throws -> [ExecutionEvent] {
        try await store.events(executionID: id, afterSeq: 0, limit: 100_000)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }
}
