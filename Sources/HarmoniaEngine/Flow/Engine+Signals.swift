import Foundation
import HarmoniaCore

extension Engine {
    /// Sends a signal to an execution: it completes the first `harmonia.wait_for_signal` task
    /// waiting for `name`, or is kept until one waits. Returns once the signal is durably
    /// stored, as stored (`consumed_by` set when a task took it).
    ///
    /// `invalid_request` for a bad name, `not_found` for an unknown execution,
    /// `invalid_state` for one that has ended.
    public func sendSignal(executionID: String, name: String, payload: JSONValue) async throws -> ExecutionSignal {
        try SignalName.validate(name, path: "name")
        // The payload becomes a task's output: it obeys the limit every output obeys.
        let limit = configuration.maxTaskOutputBytes
        if payload.exceedsEncodedSize(limit) {
            throw HarmoniaError(
                .payloadTooLarge,
                "the signal payload is larger than the limit of \(limit) bytes for a task's output (engine.max_task_output_bytes)")
        }
        guard status.isReady else {
            throw HarmoniaError(.notReady, "the engine is still recovering executions")
        }
        guard let stored = try await store.execution(id: executionID) else {
            throw HarmoniaError(.notFound, "no execution with id \(executionID)")
        }
        if stored.record.status.isTerminal {
            throw HarmoniaError(
                .invalidState, "execution \(executionID) is \(stored.record.status.rawValue); it takes no more signals")
        }
        let signal = ExecutionSignal(executionID: executionID, name: name, payload: payload, receivedAt: clock.now())
        return try await withCheckedThrowingContinuation { continuation in
            request(EngineInput.signal(executionID, signal, Reply(continuation)))
        }
    }
}
