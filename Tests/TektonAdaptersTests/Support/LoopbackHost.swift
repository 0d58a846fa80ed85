import AsyncHTTPClient
import Foundation
import HarmoniaPluginKit
import NIOCore
import NIOHTTP1
import Synchronization

/// Host services for running an adapter in the test process: HTTP through AsyncHTTPClient
/// (real requests on loopback, as the server's host callbacks make them), and log and
/// progress lines kept for inspection.
final class LoopbackHost: Sendable {
    private let lines = Mutex<[String]>([])
    private let progressLines = Mutex<[String]>([])

    var logs: [String] { lines.withLock { $0 } }
    var progress: [String] { progressLines.withLock { $0 } }

    var services: HostServices {
        HostServices(
            log: { [self] level, message in lines.withLock { $0.append("\(level): \(message)") } },
            progress: { [self] message in progressLines.withLock { $0.append(message) } },
            http: { request in try await Self.perform(request) })
    }

    /// The client: one per test process, never shut down. Connection establishment is not
    /// retried, so a refused connection is `component_unreachable` at once instead of after
    /// the whole timeout (the shared client keeps retrying until the deadline).
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(2)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Largest body accepted from a double.
    static let maxBodyBytes = 16 << 20

    /// Makes the request; `timeout` bounds the whole exchange, body included (AsyncHTTPClient's
    /// own deadline does not cut a response body that is still streaming).
    static func perform(_ request: HostHTTPRequest) async throws -> HostHTTPResponse {
        let seconds = request.timeout ?? 30
        return try await withThrowingTaskGroup(of: HostHTTPResponse.self) { group in
            group.addTask { try await exchange(request, timeout: seconds) }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded())))
                throw HostHTTPError(kind: .timeout, message: "no complete answer within \(seconds) s")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    private static func exchange(_ request: HostHTTPRequest, timeout seconds: Double) async throws -> HostHTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if !request.body.isEmpty { outgoing.body = .bytes(request.body) }
        do {
            let response = try await client.execute(outgoing, timeout: .milliseconds(Int64((seconds * 1000).rounded())))
            let body = try await response.body.collect(upTo: maxBodyBytes)
            var headers: [String: String] = [:]
            for field in response.headers {
                let name = field.name.lowercased()
                headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
            }
            return HostHTTPResponse(status: Int(response.status.code), headers: headers, body: Array(body.readableBytesView))
        } catch {
            throw hostError(error)
        }
    }

    /// Maps AsyncHTTPClient's errors to the host's error kinds.
    static func hostError(_ error: any Error) -> HostHTTPError {
        if Task.isCancelled || error is CancellationError {
            return HostHTTPError(kind: .canceled, message: "canceled")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled: return HostHTTPError(kind: .canceled, message: "\(error)")
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return HostHTTPError(kind: .timeout, message: "\(error)")
            case .invalidURL, .emptyHost, .emptyScheme:
                return HostHTTPError(kind: .invalidRequest, message: "\(error)")
            default: break
            }
        }
        return HostHTTPError(kind: .connectFailed, message: "\(error)")
    }
}

/// An `AdapterCall` for a test: a fresh execution id, attempt 1, an optional deadline.
/// The default deadline only guards against a hang, so it lies past the suites' time limits:
/// a test that is not about deadlines must not fail because a loaded machine was slow.
func makeCall(
    _ component: String, _ action: String, _ input: PluginJSON = .emptyObject, host: LoopbackHost,
    executionID: String = "exec-\(UInt32.random(in: 0...UInt32.max))", taskID: String = "task1", attempt: Int = 1,
    timeout: Double? = 300
) -> AdapterCall {
    AdapterCall(
        component: component, action: action, input: input, executionID: executionID, taskID: taskID, attempt: attempt,
        idempotencyKey: "\(executionID):\(taskID)", deadline: timeout.map { Date().addingTimeInterval($0) }, invocationID: 1,
        host: host.services)
}

/// Runs `body` and returns the `AdapterError` it threw (nil when it threw none or another error).
func adapterError(_ body: () async throws -> PluginJSON) async -> AdapterError? {
    do {
        _ = try await body()
        return nil
    } catch let error as AdapterError {
        return error
    } catch {
        return nil
    }
}
