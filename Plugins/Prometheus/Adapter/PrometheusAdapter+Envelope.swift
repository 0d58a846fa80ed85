import HarmoniaPluginKit

/// Prometheus' answer envelope: `{"status": "success"|"error", "message", "data"}`.
extension PrometheusAdapter {
    /// The `data` of a successful envelope. `{"status": "error"}` (which Prometheus may
    /// send with HTTP 200) is a `component_error`; a body without an envelope is taken as is.
    func unwrap(_ body: PluginJSON, call: AdapterCall) throws -> PluginJSON {
        guard let object = body.objectValue, let status = object["status"]?.stringValue else { return body }
        if ["error", "failed", "failure"].contains(status.lowercased()) {
            let message = object["message"]?.stringValue ?? "no message"
            throw AdapterError(
                code: "component_error", message: "prometheus answered \(call.action) with an error: \(message)", retryable: false,
                httpStatus: 200, details: ["response": body])
        }
        guard object.keys.contains("data") else { return body }
        return object["data"] ?? .null
    }
}
