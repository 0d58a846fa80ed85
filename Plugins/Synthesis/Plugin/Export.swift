import SynthesisAdapter
import HarmoniaPluginKit

/// The plugin's one exported symbol: the descriptor the loader reads after `dlopen`.
@_cdecl("harmonia_plugin_describe")
public func describe() -> UnsafeRawPointer? { HarmoniaPluginExport.describe(SynthesisAdapter.self) }
