import Foundation

/// One invocation of an action for one task attempt, as an adapter sees it.
public struct AdapterCall: Sendable {
    /// The component this instance serves.
    public var component: String
    /// The action name.
    public var action: String
    /// The task input with every expression resolved (an object).
    public var input: PluginJSON
    public var executionID: String
    public var taskID: String
    /// 1 for the first attempt, raised on every retry and after a crash recovery.
    public var attempt: Int
    /// `<execution_id>:<task_id>`: stable across attempts, for components that deduplicate.
    public var idempotencyKey: String
    /// When the call must be finished (the task's timeout), if any.
    public var deadline: Date?
    /// The host's id for this invocation.
    public var invocationID: UInt64
    /// What the host lends: logging, progress, HTTP.
    public var host: HostServices

    public init(
        component: String, action: String, input: PluginJSON, executionID: String, taskID: String, attempt: Int,
        idempotencyKey: String, deadline: Date?, invocationID: UInt64, host: HostServices
    ) {
        self.component = component
        self.action = action
        self.input = input
        self.executionID = executionID
        self.taskID = taskID
        self.attempt = attempt
        self.idempotencyKey = idempotencyKey
        self.deadline = deadline
        self.invocationID = invocationID
        self.host = host
    }

    /// Seconds left until the deadline (never negative), or nil without a deadline.
    public var remainingTime: Double? {
        deadline.map { max(0, $0.timeIntervalSinceNow) }
    }

    /// Makes an HTTP request through the host and normalises the outcome the Tekton way:
    /// returns a 2xx response, throws an `AdapterError` for anything else (see
    /// `AdapterError.normalizing`). The timeout defaults to the time left until the deadline.
    public func http(
        method: String = "GET", url: String, headers: [String: String] = [:], body: [UInt8] = [],
        timeout: Double? = nil
    ) async throws -> HostHTTPResponse {
        let response: HostHTTPResponse
        do {
            response = try await host.http(
                method: method, url: url, headers: headers, body: body, timeout: timeout ?? remainingTime)
        } catch let error as HostHTTPError {
            throw AdapterError.normalizing(error, component: component, action: action)
        }
        if let error = AdapterError.normalizing(response, component: component, action: action) { throw error }
        return response
    }

    /// `http` with a JSON body (and `Content-Type: application/json`).
    public func http(
        method: String = "POST", url: String, headers: [String: String] = [:], json: PluginJSON,
        timeout: Double? = nil
    ) async throws -> HostHTTPResponse {
        var headers = headers
        headers["Content-Type"] = headers["Content-Type"] ?? "application/json"
        return try await http(method: method, url: url, headers: headers, body: json.jsonBytes(), timeout: timeout)
    }
}
