/// The one-line export of a Swift adapter.
///
/// ```swift
/// @_cdecl("harmonia_plugin_describe")
/// public func describe() -> UnsafeRawPointer? { HarmoniaPluginExport.describe(MyAdapter.self) }
/// ```
///
/// The returned pointer is the static `harmonia_type_plugin_descriptor` the loader reads:
/// ABI version, name, version, build signature (`harmonia-abi-1;swift-<toolchain>`), the
/// manifest as JSON, and the hooks that bridge the C ABI to `HarmoniaAdapter`.
public enum HarmoniaPluginExport {
    /// The descriptor for `adapter`, built once. A library exports one adapter type.
    public static func describe<Adapter: HarmoniaAdapter>(_ adapter: Adapter.Type) -> UnsafeRawPointer? {
        PluginRuntime.shared.descriptor(for: adapter)
    }
}
