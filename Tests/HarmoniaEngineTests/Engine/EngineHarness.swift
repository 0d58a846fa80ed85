import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import Testing

/// A real engine on a real SQLite file in a temporary directory.
struct EngineHarness {
    let directory: URL
    let store: SQLiteStore
    let engine: Engine

    init(
        directory: URL? = nil, adapters: [any ComponentAdapter] = [BuiltinAdapter()], configuration: EngineConfiguration = .init(),
        clock: any EngineClock = SystemEngineClock()
    ) async throws {
        let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        store = try SQLiteStore(path: directory.appendingPathComponent("harmonia.sqlite").path)
        try await store.migrate()
        engine = Engine(store: store, adapters: AdapterRegistry(adapters), configuration: configuration, clock: clock)
    }

    /// Runs `body` while the engine loop runs, then stops the loop (as a crash would: no
    /// drain) and returns what `body` returned.
    func run<T: Sendable>(_ body: (EngineHarness) async throws -> T) async throws -> T {
        try await engine.prepare()
        let loop = Task { try await engine.run() }
        defer { loop.cancel() }
        let result = try await body(self)
        loop.cancel()
        _ = await loop.result
        return result
    }

    func save(_ definition: WorkflowDefinition) async throws -> WorkflowDefinition {
        let validated = try DefinitionValidator.validate(definition)
        try await store.saveWorkflow(validated)
        return validated
    }

    func start(_ definition: WorkflowDefinition, input: JSONValue = .emptyObject, key: String? = nil) async throws -> String {
        try await engine.startExecution(workflow: definition, input: input, idempotencyKey: key).state.id
    }

    /// Polls the store until the execution satisfies `condition`, or fails the test after
    /// `timeout` seconds.
    @discardableResult
    func waitFor(
        _ id: String, timeout: Double = 40, sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: (ExecutionState) -> Bool = { $0.record.status.isTerminal }
    ) async throws -> ExecutionState {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let state = try await store.execution(id: id), condition(state) { return state }
            try await Task.sleep(for: .milliseconds(10))
        }
        let state = try await store.execution(id: id)
        Issue.record("execution \(id) did not reach the expected state in \(timeout) s; it is \(state?.record.status.rawValue ?? "missing")", sourceLocation: sourceLocation)
        throw HarmoniaError(.timeout, "wait timed out")
    }

    func events(_ id: String) async throws -> [ExecutionEvent] {
        try await store.events(executionID: id, afterSeq: 0, limit: 100_000)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }
}

func noop(_ id: String, after deps: [String] = []) -> TaskDefinition {
    TaskDefinition(id: id, component: "harmonia", action: "noop", dependsOn: deps)
}

/// Checks the log invariants every execution must keep: seq 1, 2, 3... without gaps, and
/// exactly one terminal workflow event, last.
func expectWellFormedLog(_ events: [ExecutionEvent], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(events.map(\.seq) == Array(1...Int64(max(events.count, 1))).prefix(events.count).map { $0 }, sourceLocation: sourceLocation)
    #expect(events.filter(\.type.isTerminal).count == 1, sourceLocation: sourceLocation)
    #expect(events.last?.type.isTerminal == true, sourceLocation: sourceLocation)
}
