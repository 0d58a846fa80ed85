import CHarmoniaPluginABI
import HarmoniaCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `dlopen`ed plugin file and its checked descriptor; owns the library handle.
///
/// `@unchecked Sendable`: every stored property is immutable after `init`; the descriptor
/// is static plugin memory; the hooks called through it state their own threading (the
/// lifecycle hooks are called only by `PluginManager` under its load lock).
final class PluginLibrary: @unchecked Sendable {
    /// The file in the plugin directory.
    let path: String
    /// What `dlopen` opened: `/proc/self/fd/N` of the checked file, or of a private,
    /// unlinked snapshot of it when an earlier version of the same file is still mapped.
    let openedPath: String
    let description: PluginDescription
    let descriptor: UnsafePointer<harmonia_type_plugin_descriptor>
    private let handle: UnsafeMutableRawPointer
    private let initialized = Atomic<Bool>(false)

    init(path: String, openedPath: String, description: PluginDescription,
         descriptor: UnsafePointer<harmonia_type_plugin_descriptor>, handle: UnsafeMutableRawPointer) {
        self.path = path
        self.openedPath = openedPath
        self.description = description
        self.descriptor = descriptor
        self.handle = handle
    }

    /// Calls `on_init`; nil on success, else the plugin's reason for refusing.
    func initialize(context: HostPluginContext) -> String? {
        guard let onInit = descriptor.pointee.on_init else { return "descriptor has no on_init" }
        let sink = ErrorSink()
        let handle = context.leakedHandle()
        let accepted = sink.withHandle { onInit(PluginHost.shared.table, handle, $0) }
        guard accepted else { return "its init hook refused to start: \(sink.reason ?? "no reason given")" }
        initialized.store(true, ordering: .releasing)
        return nil
    }

    /// Calls `on_instance_new` with the component's configuration JSON.
    func newInstance(component: String, configuration: JSONValue) -> Result<OpaquePointer, HarmoniaError> {
        guard let onNew = descriptor.pointee.on_instance_new else {
            return .failure(HarmoniaError(.pluginInstanceRejected, "descriptor has no on_instance_new"))
        }
        let sink = ErrorSink()
        let instance = withBorrowed(component) { name in
            withBorrowed(configuration.jsonBytes()) { config in
                sink.withHandle { onNew(name, config, $0) }
            }
        }
        guard let instance else {
            return .failure(
                HarmoniaError(.pluginInstanceRejected, "rejected its configuration for '\(component)': \(sink.reason ?? "no reason given")"))
        }
        return .success(instance)
    }

    deinit {
        if initialized.load(ordering: .acquiring) { descriptor.pointee.on_shutdown?() }
        // Swift code is not safely unloadable (the runtime keeps its conformance records):
        // only plain C plugins are closed, and RTLD_NODELETE keeps even those mapped.
        if !description.isSwift { dlclose(handle) }
    }
}
