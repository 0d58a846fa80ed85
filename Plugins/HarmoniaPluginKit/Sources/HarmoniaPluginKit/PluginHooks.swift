import CHarmoniaPluginABI
import Foundation

/// The `harmonia_on_*` hooks every Swift plugin exports through its descriptor.
///
/// C function pointers cannot capture, so each reaches the adapter through
/// `PluginRuntime.shared` and the instance through its opaque pointer.
enum PluginHooks {
    static let initHook: harmonia_on_init = { table, plugin, errors in
        guard let table else { return false }
        guard table.pointee.abi_major == UInt32(HARMONIA_ABI_VERSION_MAJOR) else {
            reject(table, errors, "host speaks ABI \(table.pointee.abi_major), plugin speaks \(HARMONIA_ABI_VERSION_MAJOR)")
            return false
        }
        PluginRuntime.shared.attach(host: HostLink(table: table, plugin: plugin))
        return true
    }

    static let shutdownHook: harmonia_on_shutdown = {}

    static let instanceNewHook: harmonia_on_instance_new = { component, configJSON, errors in
        let runtime = PluginRuntime.shared
        guard let host = runtime.host, let type = runtime.adapterType else { return nil }
        let name = copyString(component)
        guard type.manifest.components.contains(where: { $0.name == name }) else {
            reject(host.table, errors, "this plugin does not serve component '\(name)'")
            return nil
        }
        do {
            var configuration = AdapterConfiguration(json: try PluginJSON.parse(copyBytes(configJSON)))
            configuration.component = name
            let adapter = try type.init(configuration: configuration)
            let instance = AdapterInstance(adapter: adapter, component: name, host: host)
            return OpaquePointer(Unmanaged.passRetained(instance).toOpaque())
        } catch {
            reject(host.table, errors, "\(name): \(error)")
            return nil
        }
    }

    static let instanceDestroyHook: harmonia_on_instance_destroy = { pointer in
        guard let pointer else { return }
        let instance = Unmanaged<AdapterInstance>.fromOpaque(UnsafeRawPointer(pointer)).takeRetainedValue()
        instance.cancelAll()
    }

    static let invokeHook: harmonia_on_invoke = { pointer, id, action, input, context in
        guard let pointer else { return }
        let instance = Unmanaged<AdapterInstance>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
        instance.start(invocation: id, action: copyString(action), input: copyBytes(input), context: copyBytes(context))
    }

    static let cancelHook: harmonia_on_cancel = { pointer, id in
        guard let pointer else { return }
        Unmanaged<AdapterInstance>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue().cancel(invocation: id)
    }

    private static func reject(_ table: UnsafePointer<harmonia_type_host_table>, _ errors: OpaquePointer?, _ reason: String) {
        guard let setError = table.pointee.set_error else { return }
        withBorrowed(reason) { setError(errors, $0) }
    }
}
