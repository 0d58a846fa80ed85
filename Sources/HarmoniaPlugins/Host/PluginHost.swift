import CHarmoniaPluginABI
import HarmoniaCore
import Logging

/// The host side of the ABI for the whole process: the static host table every plugin
/// receives in `init`, and the invocation table its callbacks resolve against.
///
/// Process-wide because C callbacks cannot capture: `complete` names only an invocation id,
/// so ids are unique across every `PluginManager` in the process.
final class PluginHost: Sendable {
    static let shared = PluginHost()

    let invocations = InvocationTable()
    /// Fallback logger for callbacks that cannot be attributed to a plugin.
    let logger = Logger(label: "harmonia.plugins.host")

    /// The host table, allocated once and never freed: the ABI promises plugins it is static.
    ///
    /// `nonisolated(unsafe)`: written once during static initialisation, read-only afterwards.
    nonisolated(unsafe) static let table: UnsafeMutablePointer<harmonia_type_host_table> = {
        let table = UnsafeMutablePointer<harmonia_type_host_table>.allocate(capacity: 1)
        table.initialize(
            to: harmonia_type_host_table(
                struct_size: MemoryLayout<harmonia_type_host_table>.size,
                abi_major: UInt32(HARMONIA_ABI_VERSION_MAJOR), abi_minor: UInt32(HARMONIA_ABI_VERSION_MINOR),
                log: HostCallbacks.log, set_error: HostCallbacks.setError, complete: HostCallbacks.complete,
                progress: HostCallbacks.progress, http_request: HostCallbacks.httpRequest))
        return table
    }()

    var table: UnsafePointer<harmonia_type_host_table> { UnsafePointer(Self.table) }
}
