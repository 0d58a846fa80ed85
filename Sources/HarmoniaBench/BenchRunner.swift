import AsyncHTTPClient
import Foundation
import HarmoniaClient
import NIOCore

/// Runs the selected scenarios one after another and hands each result over as soon as it
/// is known (so `--json` lines stream out while later scenarios run).
///
/// Embedded mode: every scenario gets a fresh `harmonia serve` child on its own data
/// directory, so each peak RSS and each database belongs to one scenario, and a warm-up
/// execution runs before measuring. A failing scenario is reported and the next one runs;
/// the run throws at the end if any failed.
public enum BenchRunner {
    /// - Parameters:
    ///   - progress: lines for people (stderr).
    ///   - emit: each result, in run order.
    public static func run(
        _ configuration: BenchConfiguration, progress: @escaping @Sendable (String) -> Void,
        emit: (ScenarioResult, _ json: JSONValue) -> Void
    ) async throws -> [ScenarioResult] {
        try configuration.sizes.validate()
        let root = try BenchDirectory(configuration.dataDirectory)
        defer { root.removeIfTemporary() }
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration())
        do {
            let results = try await run(configuration, root: root, http: http, progress: progress, emit: emit)
            try await http.shutdown()
            return results
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private static func run(
        _ configuration: BenchConfiguration, root: BenchDirectory, http: HTTPClient,
        progress: @escaping @Sendable (String) -> Void, emit: (ScenarioResult, JSONValue) -> Void
    ) async throws -> [ScenarioResult] {
        let machine = MachineInfo.current()
        var results: [ScenarioResult] = []
        var failures: [String] = []
        var ratios: SQLiteRatios?
        for name in configuration.orderedScenarios {
            if name.killsServer, case .url = configuration.target {
                progress("skipping \(name.rawValue): it kills and restarts the server, which only the embedded server allows (run without --url)")
                continue
            }
            let load = LoadAverage.read()
            do {
                var result = try await runOne(name, configuration: configuration, root: root, http: http, progress: progress)
                if let ratios { ratios.annotate(&result) }
                if name == .sqliteLimit { ratios = SQLiteRatios(result) }
                let context = RunContext(
                    machine: machine, mode: configuration.target.modeName, synchronous: configuration.synchronous,
                    smoke: configuration.smoke, load: load)
                emit(result, result.json(context: context))
                results.append(result)
                if let failure = result.failure { failures.append("\(name.rawValue): \(failure)") }
            } catch {
                progress("error: \(name.rawValue) failed: \(error)")
                failures.append("\(name.rawValue): \(error)")
            }
        }
        if !failures.isEmpty {
            throw HarmoniaError(.benchFailed, "\(failures.count) scenario(s) failed: \(failures.joined(separator: " | "))")
        }
        return results
    }

    /// One scenario with its own server (embedded) or the given one (`--url`).
    private static func runOne(
        _ name: ScenarioName, configuration: BenchConfiguration, root: BenchDirectory, http: HTTPClient,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> ScenarioResult {
        let scenario = scenario(name)
        let scratch = try root.subdirectory(name.rawValue)
        guard name.needsServer else {
            // sqlite-limit talks to no server: its context's client points nowhere and is never used.
            let context = BenchContext(
                baseURL: "", apiKey: nil, http: http, client: HarmoniaClient(baseURL: "http://127.0.0.1:0", httpClient: http),
                sizes: configuration.sizes, scratchDirectory: scratch, synchronous: configuration.synchronous,
                startsClient: configuration.startsClient, progress: progress)
            return try await scenario.run(context, server: nil)
        }
        switch configuration.target {
        case .url(let url, let apiKey):
            let context = makeContext(url: url, apiKey: apiKey, http: http, scratch: scratch, configuration: configuration, progress: progress)
            try await warmUp(context.client)
            return try await scenario.run(context, server: nil)
        case .embedded(let executable):
            let server = EmbeddedServer(executable: executable, dataDirectory: scratch, synchronous: configuration.synchronous)
            defer { server.forceKill() }
            try await server.start()
            let context = makeContext(
                url: server.baseURL!, apiKey: nil, http: http, scratch: scratch, configuration: configuration, progress: progress)
            try await warmUp(context.client)
            var result = try await scenario.run(context, server: server)
            await server.stop()
            result.peakRSSMegabytes = server.peakResidentBytes.map { Double($0) / (1024 * 1024) }
            return result
        }
    }

    private static func makeContext(
        url: String, apiKey: String?, http: HTTPClient, scratch: String, configuration: BenchConfiguration,
        progress: @escaping @Sendable (String) -> Void
    ) -> BenchContext {
        BenchContext(
            baseURL: url.hasSuffix("/") ? String(url.dropLast()) : url, apiKey: apiKey, http: http,
            client: HarmoniaClient(baseURL: url, apiKey: apiKey, httpClient: http, requestTimeout: .seconds(120)),
            sizes: configuration.sizes, scratchDirectory: scratch, synchronous: configuration.synchronous,
            startsClient: configuration.startsClient, progress: progress)
    }

    static func scenario(_ name: ScenarioName) -> any BenchScenario {
        switch name {
        case .sqliteLimit: SQLiteLimitScenario()
        case .chain40: Chain40Scenario()
        case .fanout: FanoutScenario()
        case .fanin: FaninScenario()
        case .layers: LayersScenario()
        case .starts: StartsScenario()
        case .concurrent: ConcurrentScenario()
        case .map: MapScenario()
        case .recovery: RecoveryScenario()
        }
    }

    /// One execution of a one-task workflow, to completion: the server's first request,
    /// first commit and first dispatch are not part of any measurement.
    private static func warmUp(_ client: HarmoniaClient) async throws {
        let workflow = try await client.createWorkflow(WorkflowShapes.warmUp())
        let started = try await client.executeWorkflow(workflowID: workflow.workflowID)
        let detail = try await client.waitForCompletion(
            executionID: started.executionID, timeout: .seconds(60), pollInterval: .milliseconds(5))
        guard detail.execution.status == .completed else {
            throw HarmoniaError(
                .benchFailed,
                "the warm-up execution \(started.executionID) ended \(detail.execution.status.rawValue): \(detail.execution.record.error.map { "\($0.code): \($0.message)" } ?? "no error recorded")")
        }
    }

    /// Enough connections that a burst is not serialized by the client, few enough that the
    /// client's connections do not dominate the server's memory.
    private static func httpConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        configuration.timeout.connect = .seconds(10)
        return configuration
    }
}

extension BenchConfiguration.Target {
    var modeName: String {
        switch self {
        case .embedded: "embedded"
        case .url: "url"
        }
    }
}
