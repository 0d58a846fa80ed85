import CHarmoniaPluginABI
import Foundation

/// The host's table and this plugin's handle, as `init` handed them over.
///
/// `@unchecked Sendable`: the host table is static and immutable for the life of the
/// process, the plugin handle is an opaque host-owned token, and the ABI allows every
/// callback used here (log, progress, complete, http_request) from any thread.
struct HostLink: @unchecked Sendable {
    let table: UnsafePointer<harmonia_type_host_table>
    let plugin: OpaquePointer?

    func log(_ level: PluginLogLevel, invocation: UInt64, _ message: String) {
        guard let log = table.pointee.log else { return }
        withBorrowed(message) { log(plugin, level.rawValue, invocation, $0) }
    }

    func progress(invocation: UInt64, _ message: String) {
        guard let progress = table.pointee.progress else { return }
        withBorrowed(message) { progress(invocation, $0) }
    }

    /// Reports an outcome through `complete` (exactly once per invocation: the caller's job).
    func complete(invocation: UInt64, status: Int32, output: [UInt8], code: String = "", message: String = "", retryable: Bool = false) {
        guard let complete = table.pointee.complete else { return }
        withBorrowed(output) { output in
            withBorrowed(code) { code in
                withBorrowed(message) { message in
                    var outcome = harmonia_type_outcome(
                        struct_size: MemoryLayout<harmonia_type_outcome>.size, status: status, output_json: output,
                        error_code: code, error_message: message, retryable: retryable)
                    complete(invocation, &outcome)
                }
            }
        }
    }

    /// The `HostServices` an adapter sees for one invocation.
    func services(invocation: UInt64) -> HostServices {
        HostServices(
            log: { level, message in self.log(level, invocation: invocation, message) },
            progress: { message in self.progress(invocation: invocation, message) },
            http: { request in try await self.http(request, invocation: invocation) })
    }

    /// Bridges `http_request` and its answer hook to an async call.
    func http(_ request: HostHTTPRequest, invocation: UInt64) async throws -> HostHTTPResponse {
        guard let send = table.pointee.http_request else {
            throw HostHTTPError(kind: .other, message: "the host offers no HTTP client")
        }
        let headers = PluginJSON.object(request.headers.mapValues(PluginJSON.string)).jsonBytes()
        let timeoutMS = request.timeout.map { UInt32(clamping: Int(max(0.001, $0) * 1000)) } ?? 0
        return try await withCheckedThrowingContinuation { continuation in
            let waiter = Unmanaged.passRetained(HTTPWaiter(continuation)).toOpaque()
            withBorrowed(request.method) { method in
                withBorrowed(request.url) { url in
                    withBorrowed(headers) { headers in
                        withBorrowed(request.body) { body in
                            var cRequest = harmonia_type_http_request(
                                struct_size: MemoryLayout<harmonia_type_http_request>.size, method: method, url: url,
                                headers_json: headers, body: body, timeout_ms: timeoutMS, invocation_id: invocation)
                            send(plugin, &cRequest, httpResponseHook, waiter)
                        }
                    }
                }
            }
        }
    }
}

/// Holds the continuation of one HTTP request while the host works on it.
///
/// `@unchecked Sendable`: the continuation is resumed once, by the answer hook, which the
/// ABI calls exactly once; nothing else touches it.
private final class HTTPWaiter: @unchecked Sendable {
    let continuation: CheckedContinuation<HostHTTPResponse, any Error>
    init(_ continuation: CheckedContinuation<HostHTTPResponse, any Error>) { self.continuation = continuation }
}

/// The plugin's `harmonia_on_http_response`: copies the borrowed answer and resumes the waiter.
private let httpResponseHook: harmonia_on_http_response = { userData, response in
    guard let userData else { return }
    let waiter = Unmanaged<HTTPWaiter>.fromOpaque(userData).takeRetainedValue()
    guard let response else {
        waiter.continuation.resume(throwing: HostHTTPError(kind: .other, message: "the host sent no response"))
        return
    }
    let answer = response.pointee
    guard answer.transport_error == HARMONIA_HTTP_OK else {
        let kind = HostHTTPError.Kind(rawValue: answer.transport_error) ?? .other
        if kind == .canceled {
            waiter.continuation.resume(throwing: CancellationError())
        } else {
            waiter.continuation.resume(throwing: HostHTTPError(kind: kind, message: copyString(answer.error_message)))
        }
        return
    }
    var headers: [String: String] = [:]
    if let object = (try? PluginJSON.parse(copyBytes(answer.headers_json)))?.objectValue {
        for (name, value) in object { headers[name] = value.stringValue }
    }
    waiter.continuation.resume(
        returning: HostHTTPResponse(status: Int(answer.status), headers: headers, body: copyBytes(answer.body)))
}
