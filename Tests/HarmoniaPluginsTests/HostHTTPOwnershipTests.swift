import CHarmoniaPluginABI
import Foundation
import HarmoniaCore
import Logging
import Synchronization
import Testing

@testable import HarmoniaPlugins

/// `http_request` carries the calling plugin's handle and an `invocation_id`: a request that
/// names another plugin's invocation is refused, so one plugin cannot tie its requests to
/// (or have them canceled with) a call that is not its own (issue "adapters can't take
/// Harmonia down", item 4).
@Suite(.timeLimit(.minutes(1)))
struct HostHTTPOwnershipTests {
    /// What the reply hook received: transport error and message.
    final class Received: Sendable {
        let value = Mutex<(Int32, String)?>(nil)
    }

    static let hook: harmonia_on_http_response = { userData, response in
        let received = Unmanaged<Received>.fromOpaque(userData!).takeUnretainedValue()
        let r = response!.pointee
        let message = r.error_message.len == 0 ? "" : String(decoding: UnsafeRawBufferPointer(start: r.error_message.ptr, count: r.error_message.len), as: UTF8.self)
        received.value.withLock { $0 = (r.transport_error, message) }
    }

    func request(invocation: UInt64, as plugin: String) -> (Int32, String)? {
        let context = HostPluginContext(
            name: plugin, path: "/nowhere/\(plugin).so", logger: Logger(label: "test"), httpTimeout: .seconds(1),
            maxHTTPResponseBytes: 1024)
        let received = Received()
        let url = "http://127.0.0.1:9/".utf8CString
        let method = "GET".utf8CString
        url.withUnsafeBufferPointer { url in
            method.withUnsafeBufferPointer { method in
                var r = harmonia_type_http_request()
                r.struct_size = MemoryLayout<harmonia_type_http_request>.size
                r.method = harmonia_type_borrowed_bytes(ptr: method.baseAddress, len: method.count - 1)
                r.url = harmonia_type_borrowed_bytes(ptr: url.baseAddress, len: url.count - 1)
                r.invocation_id = invocation
                withUnsafePointer(to: &r) { pointer in
                    HostHTTP.start(
                        plugin: context, request: pointer,
                        reply: HTTPReply(hook: Self.hook, userData: Unmanaged.passUnretained(received).toOpaque()))
                }
            }
        }
        return received.value.withLock { $0 }
    }

    @Test func aRequestNamingAnotherPluginsInvocationIsRefusedAtOnce() {
        let table = PluginHost.shared.invocations
        let id = table.nextID()
        table.insert(
            id, context: .init(plugin: "owner", component: "c", action: "a", logger: Logger(label: "test"), progress: { _ in }))
        defer { table.resolve(id, .success(.null)) }
        let refused = request(invocation: id, as: "intruder")
        #expect(refused?.0 == HARMONIA_HTTP_INVALID_REQUEST)
        #expect(refused?.1.contains("is not one of this plugin's") == true, "\(String(describing: refused))")
    }
}
