import CHarmoniaPluginABI

/// One component instance inside a plugin; owns the plugin's `harmonia_type_instance *`
/// and destroys it when the last call using it is over.
///
/// `@unchecked Sendable`: the pointer is immutable, the ABI allows `invoke` and `cancel`
/// from any thread concurrently, and `on_instance_destroy` runs in `deinit`, when no call
/// can hold the instance any more. The instance keeps its library alive.
final class PluginInstance: @unchecked Sendable {
    let library: PluginLibrary
    let component: String
    private let pointer: OpaquePointer

    init(library: PluginLibrary, component: String, pointer: OpaquePointer) {
        self.library = library
        self.component = component
        self.pointer = pointer
    }

    /// Starts an invocation; the plugin returns at once and completes through the host table.
    func invoke(_ id: UInt64, action: String, input: [UInt8], context: [UInt8]) {
        guard let onInvoke = library.descriptor.pointee.on_invoke else { return }
        withBorrowed(action) { action in
            withBorrowed(input) { input in
                withBorrowed(context) { context in
                    onInvoke(pointer, id, action, input, context)
                }
            }
        }
    }

    /// Asks the plugin to stop an invocation (best effort).
    func cancel(_ id: UInt64) {
        library.descriptor.pointee.on_cancel?(pointer, id)
    }

    deinit {
        library.descriptor.pointee.on_instance_destroy?(pointer)
    }
}
