import Foundation
import HarmoniaCore
import NIOCore
import ServiceLifecycle

/// Runs one adapter call of `POST /components/{name}/actions/{action}` so that something
/// owns it: it ends when the adapter answers, when the client goes away, or when the
/// server shuts down, whichever comes first.
///
/// Before, the call belonged to nobody but the request handler: a client that hung up left
/// it running to its deadline (300 s by default), and a graceful shutdown waited for it
/// (the HTTP server finishes requests in progress before it stops), so one stuck call held
/// a SIGTERM for minutes. Now the call is canceled through the adapter's cancellation (for
/// a plugin: its `cancel` hook, then, if it does not answer within the cancel grace period,
/// the host gives up on it), so it ends within that grace period of the stop.
///
/// A direct call is a request, not durable work: nothing is stored and the client can call
/// again. So at shutdown it is canceled at once rather than given the engine's grace
/// period, which stays for the workflow tasks that drain after the HTTP server.
enum DirectCall {
    /// Why a call ended.
    enum Ending: Sendable {
        /// The adapter answered.
        case finished(InvocationResult)
        /// The call was canceled before the adapter answered; `result` is what the adapter
        /// reported for the cancel.
        case stopped(DirectCallStop, result: InvocationResult)
    }

    /// Calls `adapter` with `invocation`, canceling it when `channel` (the client's
    /// connection) closes or the server shuts down.
    static func run(
        _ adapter: any ComponentAdapter, _ invocation: Invocation, channel: (any Channel)?
    ) async -> Ending {
        let stop = StopSignal()
        let watcher = channel.map { ClientDisconnectWatcher.install(on: $0) { stop.fire(.clientDisconnected) } }
        defer { watcher?.remove() }
        return await withGracefulShutdownHandler {
            await withTaskGroup(of: Ending?.self) { group in
                group.addTask { .finished(await adapter.invoke(invocation)) }
                group.addTask {
                    // Ends with nil when canceled (the call finished first).
                    guard let reason = await stop.wait() else { return nil }
                    return .stopped(reason, result: .failure(TaskFailure(.canceled, "canceled", retryable: false)))
                }
                let first = await group.next() ?? nil
                if case .finished = first {
                    group.cancelAll()
                    return first!
                }
                // Stopped: cancel the adapter call and wait for its answer to the cancel, so
                // the call does not outlive the request (and the server's drain).
                group.cancelAll()
                var result = InvocationResult.failure(TaskFailure(.canceled, "canceled", retryable: false))
                while let next = await group.next() {
                    if case .finished(let answer) = next { result = answer }
                }
                guard case .stopped(let reason, _) = first else { return .finished(result) }
                return .stopped(reason, result: result)
            }
        } onGracefulShutdown: {
            stop.fire(.shutdown)
        }
    }
}

/// What stopped a direct call before its adapter answered.
enum DirectCallStop: String, Sendable {
    /// The client closed its connection: no one is left to read the answer.
    case clientDisconnected = "client_disconnected"
    /// The server began a graceful shutdown.
    case shutdown
}
