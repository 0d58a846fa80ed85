import AsyncHTTPClient
import Foundation
import HarmoniaClient
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import HarmoniaServer

/// A real Harmonia server on a real socket (port 0) for a test: SQLite in a fresh
/// directory, the engine with the built-in adapter, the application's own service group.
/// Streams are tested with real clients (AsyncHTTPClient, WebSocketClient), never mocks.
struct LiveServer: Sendable {
    let port: Int
    let store: SQLiteStore
    let engine: Engine
    let apiKey: String?

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var wsURL: String { "ws://127.0.0.1:\(port)" }
    var client: HarmoniaClient { HarmoniaClient(baseURL: baseURL, apiKey: apiKey, requestTimeout: .seconds(20)) }

    static func with<Value: Sendable>(
        streaming: StreamingConfiguration = StreamingConfiguration(),
        apiKeys: [String] = [],
        corsOrigins: [String] = HarmoniaConfiguration.defaultCORSOrigins,
        _ body: @Sendable (LiveServer) async throws -> Value
    ) async throws -> Value {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-stream-test-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = HarmoniaConfiguration(
            host: "127.0.0.1", port: 0, dataDirectory: directory.path, apiKeys: apiKeys,
            logLevel: .warning, synchronous: .normal, engine: EngineConfiguration(shutdownGracePeriod: 1))
        configuration.corsOrigins = corsOrigins
        let store = try SQLiteStore(
            path: configuration.databasePath, configuration: SQLiteStoreConfiguration(synchronous: .normal))
        try await store.migrate()
        var logger = Logger(label: "harmonia.stream-test")
        logger.logLevel = .warning
        let engine = Engine(
            store: store, adapters: AdapterRegistry([BuiltinAdapter()]), configuration: configuration.engine, logger: logger)
        try await engine.prepare()
        let app = buildApplication(
            configuration: configuration, store: store, engine: engine, logger: logger, streaming: streaming)
        return try await app.test(.live) { testClient in
            let port = try #require(testClient.port)
            return try await body(LiveServer(port: port, store: store, engine: engine, apiKey: apiKeys.first))
        }
    }

    /// Creates `definition` and starts one execution of it; returns the execution id.
    func start(_ definition: JSONValue, input: JSONValue = .emptyObject) async throws -> String {
        let workflow = try await client.createWorkflow(definition)
        return try await client.executeWorkflow(workflowID: workflow.workflowID, input: input).executionID
    }

    /// Polls the store until `condition` holds, failing after `timeout` (no fixed sleeps).
    func eventually(
        _ what: String, timeout: Duration = .seconds(40), _ condition: @Sendable () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting for \(what)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The whole stored log of an execution.
    func log(_ executionID: String) async throws -> [ExecutionEvent] {
        try await store.events(executionID: executionID, afterSeq: 0, limit: 100_000)
    }

    /// Waits until the execution is finished and returns its log.
    func finishedLog(_ executionID: String, timeout: Duration = .seconds(90)) async throws -> [ExecutionEvent] {
        try await eventually("execution \(executionID) to finish", timeout: timeout) {
            try await store.execution(id: executionID)?.status.isTerminal == true
        }
        return try await log(executionID)
    }
}

/// Workflows the streaming tests run.
enum StreamFixtures {
    /// `count` tasks in a chain, each sleeping `seconds`: a run long enough to join midway.
    static func chain(_ count: Int, sleep seconds: Double = 0.05, name: String = "chain") -> JSONValue {
        var tasks: [JSONValue] = []
        for index in 0..<count {
            var task: [String: JSONValue] = [
                "name": .string("t\(index)"), "component": "harmonia", "action": "sleep",
                "input": ["seconds": .double(seconds)],
            ]
            if index > 0 { task["depends_on"] = [.string("t\(index - 1)")] }
            tasks.append(.object(task))
        }
        return ["name": .string(name), "tasks": .array(tasks)]
    }

    /// One task that sleeps long (the stream stays open), for keepalive and control frames.
    static let long: JSONValue = [
        "name": "long",
        "tasks": [["name": "nap", "component": "harmonia", "action": "sleep", "input": ["seconds": 60]]],
    ]

    /// `count` independent echo tasks that each return the input's `blob`: with a large
    /// blob, events big enough to fill socket buffers, so a client that does not read
    /// really blocks the server's writes.
    static func heavy(_ count: Int) -> JSONValue {
        let tasks = (0..<count).map { index -> JSONValue in
            ["name": .string("e\(index)"), "component": "harmonia", "action": "echo", "input": ["message": "${input.blob}"]]
        }
        return ["name": "heavy", "tasks": .array(tasks)]
    }

    /// A diamond of no-ops: start → (left, right) → join.
    static let diamond: JSONValue = [
        "name": "diamond",
        "tasks": [
            ["name": "start", "component": "harmonia", "action": "noop"],
            ["name": "left", "component": "harmonia", "action": "sleep", "input": ["seconds": 0.2], "depends_on": ["start"]],
            ["name": "right", "component": "harmonia", "action": "sleep", "input": ["seconds": 0.3], "depends_on": ["start"]],
            ["name": "join", "component": "harmonia", "action": "noop", "depends_on": ["left", "right"]],
        ],
    ]
}
