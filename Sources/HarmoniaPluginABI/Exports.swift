/// Re-exports the plugin ABI header so an adapter may depend on the main package's
/// `HarmoniaPluginABI` product. Prefer depending on `Plugins/HarmoniaPluginKit` alone: it
/// carries the same header without making SwiftPM resolve the server's dependencies.
@_exported import CHarmoniaPluginABI
