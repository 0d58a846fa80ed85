import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import Testing

/// A plugin directory, a registry and a manager loading from it, with captured logs.
struct PluginTestBed {
    let directory: URL
    let registry: AdapterRegistry
    let manager: PluginManager
    let logs = LogCapture()

    init(
        components: [String: ComponentConfiguration] = [:], activateUnconfigured: Bool = true, loadOnDemand: Bool = false,
        cancelGrace: Duration = .milliseconds(300), registry: AdapterRegistry = AdapterRegistry(),
        isolation: PluginIsolationDefault = .inProcess, isolationSettings: IsolationSettings = IsolationSettings()
    ) throws {
        var isolationSettings = isolationSettings
        if isolation != .inProcess, isolationSettings.hostExecutable == nil {
            isolationSettings.hostExecutable = try PluginFixtures.harmoniaBinary().path
        }
        directory = try PluginFixtures.makeDirectory()
        self.registry = registry
        manager = PluginManager(
            configuration: PluginsConfiguration(
                directories: [directory.path], components: components, activateUnconfigured: activateUnconfigured,
                // A request timeout no test is about: long, so a loaded machine cannot turn an
                // answer (or a refused connection) into a `timeout`.
                loadOnDemand: loadOnDemand, cancelGracePeriod: cancelGrace, defaultHTTPTimeout: .seconds(60),
                defaultIsolation: isolation, isolationSettings: isolationSettings),
            registry: registry, logger: logs.logger)
    }

    /// The adapter registered for `component`, or a test failure.
    func adapter(_ component: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> any ComponentAdapter {
        try #require(registry.adapter(for: component), "no adapter for \(component)", sourceLocation: sourceLocation)
    }

    func record(named name: String) -> PluginRecord? {
        manager.records.first { $0.path.hasSuffix("/" + name) && $0.status != .superseded }
    }

    func cleanUp() {
        // Stops plugin host children (isolation: process); nothing for in-process plugins.
        manager.unregisterAll()
        try? FileManager.default.removeItem(at: directory.deletingLastPathComponent())
    }
}

/// An invocation as the engine would make it.
func call(
    _ action: String, _ input: JSONValue = .emptyObject, deadline: Date? = nil,
    progress: @escaping @Sendable (String) -> Void = { _ in }
) -> Invocation {
    Invocation(
        executionID: "exec-1", taskID: "task-1", attempt: 1, action: action, input: input, deadline: deadline,
        progress: progress)
}

extension InvocationResult {
    var output: JSONValue? {
        if case .success(let value) = self { return value }
        return nil
    }

    var failure: TaskFailure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
