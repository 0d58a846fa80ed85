import CHarmoniaPluginABI
import Foundation
import Synchronization

/// The plugin-wide state behind the exported hooks: which adapter type this library
/// exports, its static descriptor, and the host table from `init`.
///
/// A process-wide singleton per loaded library: SwiftPM links this module statically into
/// each adapter, so every plugin has its own copy and nothing is shared between plugins.
final class PluginRuntime: Sendable {
    static let shared = PluginRuntime()

    private struct State {
        var adapterType: (any HarmoniaAdapter.Type)?
        /// Address of the descriptor, allocated once and never freed (the ABI calls it static).
        var descriptorAddress: UInt = 0
        var host: HostLink?
    }

    private let state = Mutex(State())

    var adapterType: (any HarmoniaAdapter.Type)? { state.withLock { $0.adapterType } }
    var host: HostLink? { state.withLock { $0.host } }

    func attach(host: HostLink) {
        state.withLock { $0.host = host }
    }

    /// The static descriptor for `type`, built on the first call.
    func descriptor(for type: any HarmoniaAdapter.Type) -> UnsafeRawPointer? {
        let address = state.withLock { state -> UInt in
            if state.descriptorAddress == 0 {
                state.adapterType = type
                state.descriptorAddress = UInt(bitPattern: Self.makeDescriptor(manifest: type.manifest))
            }
            return state.descriptorAddress
        }
        return UnsafeRawPointer(bitPattern: address)
    }

    private static func makeDescriptor(manifest: PluginManifest) -> UnsafeMutablePointer<harmonia_type_plugin_descriptor> {
        let descriptor = UnsafeMutablePointer<harmonia_type_plugin_descriptor>.allocate(capacity: 1)
        descriptor.initialize(
            to: harmonia_type_plugin_descriptor(
                struct_size: MemoryLayout<harmonia_type_plugin_descriptor>.size,
                abi_major: UInt32(HARMONIA_ABI_VERSION_MAJOR), abi_minor: UInt32(HARMONIA_ABI_VERSION_MINOR),
                name: UnsafePointer(strdup(manifest.name)), version: UnsafePointer(strdup(manifest.version)),
                build_signature: UnsafePointer(strdup(BuildSignature.swift)),
                manifest_json: UnsafePointer(strdup(manifest.json.jsonString())),
                on_init: PluginHooks.initHook, on_shutdown: PluginHooks.shutdownHook,
                on_instance_new: PluginHooks.instanceNewHook, on_instance_destroy: PluginHooks.instanceDestroyHook,
                on_invoke: PluginHooks.invokeHook, on_cancel: PluginHooks.cancelHook))
        return descriptor
    }
}
