import Logging

/// The host's side of one loaded plugin, handed to it as `harmonia_type_host_plugin *`.
///
/// Retained once when the plugin is initialised and never released: the ABI promises the
/// handle stays valid until the process exits (a plugin may keep it in a global).
final class HostPluginContext: Sendable {
    let name: String
    let path: String
    let logger: Logger
    let httpTimeout: Duration
    let maxHTTPResponseBytes: Int

    init(name: String, path: String, logger: Logger, httpTimeout: Duration, maxHTTPResponseBytes: Int) {
        self.name = name
        self.path = path
        var logger = logger
        logger[metadataKey: "plugin"] = .string(name)
        self.logger = logger
        self.httpTimeout = httpTimeout
        self.maxHTTPResponseBytes = maxHTTPResponseBytes
    }

    /// The opaque handle for the ABI; retains `self` for the life of the process.
    func leakedHandle() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    static func from(_ handle: OpaquePointer?) -> HostPluginContext? {
        guard let handle else { return nil }
        return Unmanaged<HostPluginContext>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }
}

/// Collects the reason a hook gives for a rejection (`set_error`), for one hook call.
///
/// Passed to C as an unretained pointer that is only valid during that call, on that thread.
final class ErrorSink {
    var reason: String?

    func withHandle<R>(_ body: (OpaquePointer) -> R) -> R {
        withExtendedLifetime(self) { body(OpaquePointer(Unmanaged.passUnretained(self).toOpaque())) }
    }

    static func from(_ handle: OpaquePointer?) -> ErrorSink? {
        guard let handle else { return nil }
        return Unmanaged<ErrorSink>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }
}
