import HarmoniaPluginKit

/// A tiny Swift adapter (component `echo`) that exercises every part of HarmoniaPluginKit;
/// the plugin tests load it as `libHarmoniaEcho.so`.
struct EchoAdapter: HarmoniaAdapter {
    static let manifest = PluginManifest(
        name: "echo", version: "1.0.0", component: "echo", description: "Test adapter: echoes, sleeps, fails, fetches.",
        actions: [
            ActionManifest(
                name: "echo", description: "Returns its input, with `result` set to `message`.",
                inputSchema: ["type": "object", "properties": ["message": [:]]]),
            ActionManifest(name: "noop", description: "Returns {}."),
            ActionManifest(
                name: "sleep", description: "Waits `seconds` (cancellable).",
                inputSchema: ["type": "object", "required": ["seconds"], "properties": ["seconds": ["type": "number"]]]),
            ActionManifest(
                name: "fail", description: "Fails with `code` and `retryable`.",
                inputSchema: ["type": "object", "properties": ["code": ["type": "string"], "retryable": ["type": "boolean"]]]),
            ActionManifest(
                name: "fetch", description: "GETs `url` through the host; returns {result: body text, status}.",
                inputSchema: ["type": "object", "required": ["url"], "properties": ["url": ["type": "string"]]]),
            ActionManifest(
                name: "fetch_raw",
                description: "GETs `url` through the host with `timeout` seconds and no normalisation; returns {status, bytes} "
                    + "or fails with code transport_<kind> and the host's own message.",
                inputSchema: [
                    "type": "object", "required": ["url"],
                    "properties": ["url": ["type": "string"], "timeout": ["type": "number"]],
                ]),
        ])

    let configuration: AdapterConfiguration

    init(configuration: AdapterConfiguration) throws {
        if configuration.options["reject"]?.boolValue == true {
            throw AdapterError(code: "invalid_configuration", message: "configured to reject itself", retryable: false)
        }
        self.configuration = configuration
    }

    func invoke(_ call: AdapterCall) async throws -> PluginJSON {
        switch call.action {
        case "echo":
            var output = call.input.objectValue ?? [:]
            output["result"] = call.input["message"] ?? .null
            output["attempt"] = .integer(call.attempt)
            output["idempotency_key"] = .string(call.idempotencyKey)
            call.host.progress("echoing")
            call.host.log(.info, "echo for \(call.taskID)")
            return .object(output)
        case "noop":
            return .emptyObject
        case "sleep":
            guard let seconds = call.input["seconds"]?.doubleValue else { throw AdapterError.invalidInput("sleep needs `seconds`") }
            call.host.log(.debug, "sleeping \(seconds) s")
            try await Task.sleep(for: .seconds(seconds))
            return ["slept": .double(seconds)]
        case "fail":
            throw AdapterError(
                code: call.input["code"]?.stringValue ?? "echo_failed", message: "failed on request",
                retryable: call.input["retryable"]?.boolValue ?? false)
        case "fetch":
            guard let url = call.input["url"]?.stringValue else { throw AdapterError.invalidInput("fetch needs `url`") }
            let response = try await call.http(url: url)
            return ["result": .string(response.text), "status": .integer(response.status)]
        case "fetch_raw":
            // What the host itself reports, so tests can check its transport errors verbatim.
            guard let url = call.input["url"]?.stringValue else { throw AdapterError.invalidInput("fetch_raw needs `url`") }
            do {
                let response = try await call.host.http(url: url, timeout: call.input["timeout"]?.doubleValue)
                return ["status": .integer(response.status), "bytes": .integer(response.body.count)]
            } catch let error as HostHTTPError {
                throw AdapterError(code: "transport_\(error.kind)", message: error.message, retryable: false)
            }
        default:
            throw AdapterError.unknownAction(call.action, component: call.component)
        }
    }
}

@_cdecl("harmonia_plugin_describe")
public func describe() -> UnsafeRawPointer? { HarmoniaPluginExport.describe(EchoAdapter.self) }
