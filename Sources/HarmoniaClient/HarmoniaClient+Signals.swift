import HarmoniaAPIModels
import HarmoniaCore
import NIOHTTP1

extension HarmoniaClient {
    /// `POST /executions/{id}/signals/{name}`: sends `payload` (any JSON value) to the
    /// execution. The first `harmonia.wait_for_signal` task waiting for `name` completes with
    /// it; when none waits it is kept for the next one. 409 (`invalid_state`) once the
    /// execution has ended, 400 for a bad name.
    @discardableResult
    public func sendSignal(executionID: String, name: String, payload: JSONValue = .null) async throws -> SignalView {
        try await send(SignalView.self, .POST, Self.apiPath("executions", executionID, "signals", name), body: payload)
    }
}
