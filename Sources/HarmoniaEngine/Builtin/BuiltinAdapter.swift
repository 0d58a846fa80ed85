import HarmoniaCore

/// The built-in component `harmonia`: control-flow and test actions that need no outside
/// service.
///
/// It goes through the same `ComponentAdapter` protocol as every plugin, so workflows that
/// use it exercise exactly the dispatch path real components take.
public struct BuiltinAdapter: ComponentAdapter {
    public init() {}

    public var component: String { "harmonia" }

    /// Every action here computes its result in the process (`sleep` only waits), so the
    /// engine starts them without waiting for the start to be durable.
    public var isSideEffectFree: Bool { true }

    public var actions: [ActionDescriptor] {
        [
            ActionDescriptor(name: "noop", description: "Does nothing; returns {}."),
            ActionDescriptor(
                name: "echo", description: "Returns its input, with `result` set to `message` when present.",
                inputSchema: ["type": "object", "properties": ["message": [:]]]),
            ActionDescriptor(
                name: "sleep", description: "Waits `seconds` (cancellable), then returns {\"slept\": seconds}.",
                inputSchema: ["type": "object", "required": ["seconds"], "properties": ["seconds": ["type": "number", "minimum": 0]]]),
            ActionDescriptor(
                name: "fail", description: "Fails with `message`; `retryable` (default true) and `code` (default task_failed).",
                inputSchema: [
                    "type": "object",
                    "properties": ["message": ["type": "string"], "retryable": ["type": "boolean"], "code": ["type": "string"]],
                ]),
            ActionDescriptor(
                name: "transform", description: "Returns {\"result\": value} with value's expressions already substituted.",
                inputSchema: ["type": "object", "properties": ["value": [:]]]),
            ActionDescriptor(
                name: "wait_for_signal",
                description: "Waits durably (no call held) for a signal `name`; its payload is the output. `timeout` seconds ends the wait with signal_timeout.",
                inputSchema: [
                    "type": "object", "required": ["name"],
                    "properties": ["name": ["type": "string"], "timeout": ["type": "number", "exclusiveMinimum": 0]],
                ]),
            ActionDescriptor(
                name: "run_workflow",
                description: "Runs workflow `workflow_id` (optional `version`) as a child execution with `input`; completes with its task outputs.",
                inputSchema: [
                    "type": "object", "required": ["workflow_id"],
                    "properties": ["workflow_id": ["type": "string"], "version": ["type": "integer", "minimum": 1], "input": [:]],
                ]),
        ]
    }

    /// Longest `sleep` accepted: a day. Longer waits belong in a timer, not a held call.
    static let maxSleepSeconds = 86_400.0

    /// Every action but `sleep` computes its result at once.
    public func immediateResult(action: String, input: JSONValue) -> InvocationResult? {
        action == "sleep" ? nil : result(action: action, input: input)
    }

    public func invoke(_ invocation: Invocation) async -> InvocationResult {
        if invocation.action == "sleep" { return await sleep(invocation.input.objectValue ?? [:]) }
        return result(action: invocation.action, input: invocation.input)
    }

    /// The result of every action but `sleep`.
    private func result(action: String, input value: JSONValue) -> InvocationResult {
        let input = value.objectValue ?? [:]
        switch action {
        case "noop":
            return .success(.emptyObject)
        case "echo":
            var output = input
            if let message = input["message"] { output["result"] = message }
            return .success(.object(output))
        case "transform":
            return .success(["result": input["value"] ?? .null])
        case "fail":
            let message = input["message"]?.stringValue ?? "task failed on purpose"
            let retryable = input["retryable"]?.boolValue ?? true
            let code = input["code"]?.stringValue ?? HarmoniaError.Code.taskFailed.rawValue
            return .failure(TaskFailure(code: code, message: message, retryable: retryable))
        case "wait_for_signal", "run_workflow":
            // The engine runs these itself (`FlowAction`); a direct call has nothing to wait on.
            return .failure(
                TaskFailure(.invalidState, "harmonia.\(action) runs only as a workflow task", retryable: false))
        default:
            let known = actions.map(\.name).joined(separator: ", ")
            return .failure(
                TaskFailure(.unknownAction, "component 'harmonia' has no action '\(action)' (actions: \(known))", retryable: false))
        }
    }

    private func sleep(_ input: [String: JSONValue]) async -> InvocationResult {
        guard let seconds = input["seconds"]?.doubleValue, seconds >= 0, seconds <= Self.maxSleepSeconds else {
            return .failure(
                TaskFailure(.invalidInput, "sleep needs `seconds`: a number from 0 to \(Int(Self.maxSleepSeconds))", retryable: false))
        }
        do {
            try await Task.sleep(for: .seconds(seconds))
        } catch {
            return .failure(TaskFailure(.canceled, "sleep canceled", retryable: false))
        }
        return .success(["slept": .double(seconds)])
    }
}
