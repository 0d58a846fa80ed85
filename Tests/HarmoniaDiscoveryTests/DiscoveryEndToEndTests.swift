import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import HarmoniaStorageSQLite
import HarmoniaTestSupport
import Testing

@testable import HarmoniaDiscovery

/// Hermes choosing the adapters of a running engine: Harmonia starts with no components;
/// engram registers, its plugin loads and a workflow using it completes; engram leaves and
/// the next engram task waits with the reason; engram returns and that execution completes.
@Suite(.timeLimit(.minutes(1)))
struct DiscoveryEndToEndTests {
    static let poll = Duration.milliseconds(50)

    /// A plugin directory holding only the Engram adapter, an engine over a fresh store
    /// (built-in component only), and a running Engram double.
    static func engineWithEngramPlugin() async throws -> (PluginDirectory, SQLiteStore, AdapterRegistry, Engine, EngramDouble) {
        let plugins = try PluginDirectory(libraries: ["libHarmoniaEngram.so"])
        let database = plugins.url.deletingLastPathComponent().appendingPathComponent("harmonia.sqlite")
        let store = try SQLiteStore(path: database.path)
        try await store.migrate()
        let registry = AdapterRegistry([BuiltinAdapter()])
        let engine = Engine(store: store, adapters: registry)
        try await engine.prepare()
        let engram = EngramDouble(name: "engram")
        try await engram.start()
        return (plugins, store, registry, engine, engram)
    }

    /// One task that stores a memory in engram.
    static func rememberWorkflow() throws -> WorkflowDefinition {
        try DefinitionValidator.validate(
            WorkflowDefinition(
                name: "remember",
                tasks: [TaskDefinition(id: "store", component: "engram", action: "store_memory", input: ["content": "hello"])]))
    }

    @Test func engramComesGoesAndComesBackUnderARunningEngine() async throws {
        let (plugins, store, registry, engine, engram) = try await Self.engineWithEngramPlugin()
        defer { plugins.remove() }

        try await withHermes { hermes in
            let manager = PluginManager(
                configuration: PluginsConfiguration(directories: [plugins.path], activateUnconfigured: false),
                registry: registry, logger: quietLogger)
            let provisioner = TimingProvisioner(PluginAdapterProvisioner(manager: manager))
            let discovery = DiscoveryReconciler(
                client: HermesClient(url: hermes.url), registry: registry, provisioner: provisioner,
                pollInterval: Self.poll, environment: [:], logger: quietLogger)
            let workflow = try Self.rememberWorkflow()
            try await store.saveWorkflow(workflow)

            try await withServices([engine, discovery]) { _ in
                await eventually("a first poll") { discovery.status.passes >= 1 }
                #expect(registry.adapter(for: "engram") == nil)
                #expect(manager.records.isEmpty)

                // engram registers: within one poll interval its plugin is loaded.
                let id = hermes.registerComponent(name: "engram", endpoint: engram.url)
                let appeared = ContinuousClock.now
                await eventually("engram's adapter is loaded") { registry.adapter(for: "engram") is PluginAdapter }
                expectLoadedByFirstPoll("engram", registered: appeared, hermes: hermes, provisioner: provisioner)
                let first = try await engine.startExecution(workflow: workflow, input: .emptyObject).state.id
                let completed = try await finished(store, first)
                #expect(completed.record.status == .completed)
                #expect(completed.tasks["store"]?.output?["result"] == "engram-1")

                // engram leaves: the next engram task waits, saying why.
                hermes.unregisterComponent(id: id)
                await eventually("engram is unavailable") { registry.unavailableComponents["engram"] != nil }
                let second = try await engine.startExecution(workflow: workflow, input: .emptyObject).state.id
                let waiting = try await state(store, second) { $0.tasks["store"]?.status == .waiting }
                #expect(waiting.tasks["store"]?.reason == "engram is no longer registered with Hermes")
                #expect(waiting.record.status == .running)
                let events = try await store.events(executionID: second, afterSeq: 0, limit: 1000)
                #expect(events.contains { $0.details.jsonString().contains("no longer registered with Hermes") })

                // engram returns: the waiting execution continues and completes.
                hermes.registerComponent(name: "engram", endpoint: engram.url)
                let resumed = try await finished(store, second)
                #expect(resumed.record.status == .completed)
                #expect(resumed.tasks["store"]?.output?["result"] == "engram-2")
            }
        }
        await engram.stop()
    }

    /// Real Tekton components heartbeat without Hermes' token (422), so one that dies stays
    /// listed: only its own `/health` tells. While it does not answer, its tasks wait with
    /// that reason; when it answers again they run.
    @Test func aListedComponentThatStopsAnsweringHealthMakesItsTasksWait() async throws {
        let (plugins, store, registry, engine, engram) = try await Self.engineWithEngramPlugin()
        defer { plugins.remove() }

        try await withHermes { hermes in
            let manager = PluginManager(
                configuration: PluginsConfiguration(directories: [plugins.path], activateUnconfigured: false),
                registry: registry, logger: quietLogger)
            let discovery = DiscoveryReconciler(
                client: HermesClient(url: hermes.url), registry: registry,
                provisioner: PluginAdapterProvisioner(manager: manager), pollInterval: Self.poll, environment: [:],
                probe: HTTPHealthProbe(timeout: .seconds(5)), logger: quietLogger)
            let workflow = try Self.rememberWorkflow()
            try await store.saveWorkflow(workflow)
            hermes.registerComponent(name: "engram", endpoint: engram.url)

            try await withServices([engine, discovery]) { _ in
                await eventually("engram's adapter is loaded") { registry.adapter(for: "engram") is PluginAdapter }
                #expect(discovery.component(named: "engram")?.available == true)

                // engram dies; Hermes still lists it.
                await engram.stop()
                await eventually("engram is unavailable") { registry.unavailableComponents["engram"] != nil }
                #expect(hermes.entries.contains { $0.name == "engram" })
                let status = try #require(discovery.component(named: "engram"))
                #expect(!status.available)
                #expect(status.reason?.contains("does not answer") == true)

                let execution = try await engine.startExecution(workflow: workflow, input: .emptyObject).state.id
                let waiting = try await state(store, execution) { $0.tasks["store"]?.status == .waiting }
                let reason = try #require(waiting.tasks["store"]?.reason)
                #expect(reason.hasPrefix("engram is listed in Hermes but does not answer: GET \(engram.url)/health failed"))
                #expect(waiting.record.status == .running)

                // engram is started again at the same endpoint: the task runs, once.
                try await engram.start()
                let resumed = try await finished(store, execution)
                #expect(resumed.record.status == .completed)
                #expect(resumed.tasks["store"]?.attempt == 1)
                #expect(resumed.tasks["store"]?.output?["result"] == "engram-1")
                #expect(engram.memories.count == 1)
            }
        }
        await engram.stop()
    }

    func finished(_ store: SQLiteStore, _ id: String) async throws -> ExecutionState {
        try await state(store, id) { $0.record.status.isTerminal }
    }

    /// Polls the store until the execution satisfies `condition` (10 s at most).
    func state(_ store: SQLiteStore, _ id: String, _ condition: (ExecutionState) -> Bool) async throws -> ExecutionState {
        var latest: ExecutionState?
        await eventually("execution \(id) reached the expected state") {
            latest = try? await store.execution(id: id)
            return latest.map(condition) ?? false
        }
        return try #require(latest)
    }
}
