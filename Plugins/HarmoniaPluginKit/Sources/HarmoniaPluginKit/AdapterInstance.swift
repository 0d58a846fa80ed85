import CHarmoniaPluginABI
import Foundation
import Synchronization

/// One configured component instance: the adapter value and the calls running on it.
///
/// Its address is the ABI's `harmonia_type_instance *` (retained in `instance_new`,
/// released in `instance_destroy`).
final class AdapterInstance: Sendable {
    let adapter: any HarmoniaAdapter
    let component: String
    let host: HostLink
    /// Running calls by invocation id, so `cancel` can reach them.
    private let running = Mutex<[UInt64: Task<Void, Never>]>([:])

    init(adapter: any HarmoniaAdapter, component: String, host: HostLink) {
        self.adapter = adapter
        self.component = component
        self.host = host
    }

    /// Starts a call and returns at once; the outcome goes to the host's `complete`.
    func start(invocation id: UInt64, action: String, input: [UInt8], context: [UInt8]) {
        // The task is created under the lock, so it cannot remove its entry before it is
        // stored: it takes the same lock, on another thread, when it finishes.
        running.withLock { running in
            running[id] = Task { [self] in
                await self.run(invocation: id, action: action, input: input, context: context)
                _ = self.running.withLock { $0.removeValue(forKey: id) }
            }
        }
    }

    /// Cancels a running call (best effort; unknown ids are ignored, as the ABI says).
    func cancel(invocation id: UInt64) {
        running.withLock { $0[id] }?.cancel()
    }

    /// Cancels everything still running (the instance is being destroyed).
    func cancelAll() {
        for task in running.withLock({ Array($0.values) }) { task.cancel() }
    }

    private func run(invocation id: UInt64, action: String, input: [UInt8], context: [UInt8]) async {
        let inputJSON: PluginJSON
        do {
            inputJSON = try PluginJSON.parse(input)
        } catch {
            fail(id, AdapterError.invalidInput("the input is not JSON: \(error)"), action: action)
            return
        }
        let contextJSON = (try? PluginJSON.parse(context)) ?? .emptyObject
        let executionID = contextJSON["execution_id"]?.stringValue ?? ""
        let taskID = contextJSON["task_id"]?.stringValue ?? ""
        let call = AdapterCall(
            component: component, action: action, input: inputJSON, executionID: executionID, taskID: taskID,
            attempt: contextJSON["attempt"]?.intValue ?? 1,
            idempotencyKey: contextJSON["idempotency_key"]?.stringValue ?? "\(executionID):\(taskID)",
            deadline: contextJSON["deadline_ms"]?.doubleValue.map { Date(timeIntervalSince1970: $0 / 1000) },
            invocationID: id, host: host.services(invocation: id))
        do {
            let output = try await adapter.invoke(call)
            host.complete(invocation: id, status: HARMONIA_STATUS_SUCCEEDED, output: output.jsonBytes())
        } catch let error as AdapterError {
            fail(id, error, action: action)
        } catch is CancellationError {
            host.complete(
                invocation: id, status: HARMONIA_STATUS_CANCELED, output: [], code: "canceled",
                message: "\(component).\(action) was canceled")
        } catch {
            fail(id, AdapterError(code: "adapter_error", message: String(describing: error), retryable: false), action: action)
        }
    }

    private func fail(_ id: UInt64, _ error: AdapterError, action: String) {
        host.complete(
            invocation: id, status: HARMONIA_STATUS_FAILED,
            output: error.detailsJSON(component: component, action: action).jsonBytes(), code: error.code,
            message: error.message, retryable: error.retryable)
    }
}
