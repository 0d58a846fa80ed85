import Foundation
import HarmoniaCore
import Logging

/// A component served by a loaded plugin, seen by the engine as any other adapter.
///
/// `invoke` bridges the ABI's asynchronous completion to Swift concurrency: it allocates an
/// invocation id, parks a continuation in the host's invocation table, calls the plugin's
/// `invoke` hook and waits for `complete`, which resumes it exactly once. Task cancellation
/// calls the plugin's `cancel` hook and, if the plugin does not answer within the grace
/// period, ends the call as `canceled`; the invocation's deadline ends it as `timeout`
/// (after calling `cancel`). So a plugin that never completes cannot hang the engine.
/// Either way the cancel opens the call's cleanup window (`CleanupWindow`, as long as the
/// grace period): the plugin's new host HTTP requests are served until it closes.
public struct PluginAdapter: ComponentAdapter {
    public let component: String
    public let actions: [ActionDescriptor]
    /// The plugin's name and file.
    public let pluginName: String
    public let pluginPath: String
    /// The plugin instance in this process, or the plugin host child serving the component.
    let instance: any PluginCallTarget
    let logger: Logger
    let cancelGracePeriod: Duration
    /// Whether the plugin runs in a plugin host child (`isolation: process`).
    public var isIsolated: Bool { instance is IsolatedInstance }

    init(instance: PluginInstance, actions: [ActionDescriptor], logger: Logger, cancelGracePeriod: Duration) {
        self.init(
            target: instance, component: instance.component, pluginName: instance.library.description.name,
            pluginPath: instance.library.path, actions: actions, logger: logger, cancelGracePeriod: cancelGracePeriod)
    }

    init(
        target: any PluginCallTarget, component: String, pluginName: String, pluginPath: String, actions: [ActionDescriptor],
        logger: Logger, cancelGracePeriod: Duration
    ) {
        self.component = component
        self.actions = actions
        self.pluginName = pluginName
        self.pluginPath = pluginPath
        self.instance = target
        var logger = logger
        logger[metadataKey: "plugin"] = .string(pluginName)
        logger[metadataKey: "component"] = .string(component)
        self.logger = logger
        self.cancelGracePeriod = cancelGracePeriod
    }

    /// True when both adapters are the same plugin instance.
    func isSameInstance(as other: PluginAdapter) -> Bool { instance === other.instance }

    public func invoke(_ invocation: Invocation) async -> InvocationResult {
        let what = "\(component).\(invocation.action)"
        guard actions.contains(where: { $0.name == invocation.action }) else {
            let known = actions.map(\.name).joined(separator: ", ")
            return .failure(
                TaskFailure(.unknownAction, "component '\(component)' has no action '\(invocation.action)' (actions: \(known))", retryable: false))
        }
        let table = PluginHost.shared.invocations
        let id = table.nextID()
        table.insert(
            id,
            context: .init(
                plugin: pluginName, component: component, action: invocation.action, logger: logger,
                progress: invocation.progress),
            deadline: invocation.deadline.map { ContinuousClock.now.advanced(by: .seconds($0.timeIntervalSinceNow)) })
        let input = invocation.input.jsonBytes()
        let context = Self.context(of: invocation).jsonBytes()
        let instance = self.instance
        let grace = cancelGracePeriod
        let logger = self.logger
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard table.attach(id, continuation) else {
                    // Cancelled before it started: it never reaches the plugin.
                    table.resolve(id, .failure(TaskFailure(.canceled, "\(what) was canceled before it started", retryable: false)))
                    return
                }
                if let deadline = invocation.deadline {
                    table.addTimer(
                        id,
                        Task {
                            try? await Task.sleep(for: .seconds(max(0, deadline.timeIntervalSinceNow)))
                            guard !Task.isCancelled, table.isPending(id) else { return }
                            Self.cancel(id, instance: instance, table: table, cleanupWindow: grace)
                            table.resolve(
                                id, .failure(TaskFailure(.timeout, "\(what) did not finish by its deadline", retryable: true)))
                        })
                }
                instance.invoke(id, action: invocation.action, input: input, context: context)
                // A cancel that raced with `invoke` may have reached the plugin before it knew
                // the id; the ABI makes cancel idempotent, so say it again.
                if table.isCancelRequested(id) { instance.cancel(id) }
            }
        } onCancel: {
            guard Self.cancel(id, instance: instance, table: table, cleanupWindow: grace) else { return }
            table.addTimer(
                id,
                Task {
                    try? await Task.sleep(for: grace)
                    guard !Task.isCancelled else { return }
                    let failure = TaskFailure(.canceled, "\(what) was canceled (the plugin did not confirm within \(grace))", retryable: false)
                    if case .resumed = table.resolve(id, .failure(failure)) {
                        logger.warning("plugin did not answer the cancel of invocation \(id) (\(what)) within \(grace); gave up on it")
                    }
                })
        }
    }

    /// Cancels a running call: opens its cleanup window, stops the host requests it made
    /// before, then tells the plugin (in that order, so that the cleanup requests the plugin
    /// makes on hearing of the cancel are not stopped with the others). Returns false when
    /// the call was not running.
    @discardableResult
    static func cancel(_ id: UInt64, instance: any PluginCallTarget, table: InvocationTable, cleanupWindow: Duration) -> Bool {
        guard case .running(let requests) = table.requestCancel(id, cleanupWindow: cleanupWindow) else { return false }
        for request in requests { request.cancel() }
        instance.cancel(id)
        return true
    }

    /// The `context_json` of `invoke`.
    static func context(of invocation: Invocation) -> JSONValue {
        var object: [String: JSONValue] = [
            "execution_id": .string(invocation.executionID),
            "task_id": .string(invocation.taskID),
            "attempt": .integer(invocation.attempt),
            "idempotency_key": .string(invocation.idempotencyKey),
        ]
        if let deadline = invocation.deadline {
            object["deadline_ms"] = .integer(Int((deadline.timeIntervalSince1970 * 1000).rounded()))
        }
        return .object(object)
    }
}
