/// What a Swift adapter implements: one type per shared library.
///
/// ```swift
/// struct EchoAdapter: HarmoniaAdapter {
///     static let manifest = PluginManifest(
///         name: "echo", version: "1.0.0", component: "echo",
///         actions: [ActionManifest(name: "echo", description: "Returns its input.")])
///     init(configuration: AdapterConfiguration) throws {}
///     func invoke(_ call: AdapterCall) async throws -> PluginJSON { call.input }
/// }
///
/// @_cdecl("harmonia_plugin_describe")
/// public func describe() -> UnsafeRawPointer? { HarmoniaPluginExport.describe(EchoAdapter.self) }
/// ```
///
/// The host creates one value per configured component with `init(configuration:)` (a
/// throw rejects the configuration, and the message is shown to the operator) and calls
/// `invoke` concurrently, on the Swift concurrency pool, once per task attempt. The call is
/// cancelled (Swift task cancellation) when the task times out or its workflow is
/// cancelled; throw `CancellationError` or return promptly then.
public protocol HarmoniaAdapter: Sendable {
    /// The plugin's self-description: its name, version, components and actions.
    static var manifest: PluginManifest { get }

    /// Creates the instance serving `configuration.component`.
    init(configuration: AdapterConfiguration) throws

    /// Runs one action. Return the output (an object with `result` by convention); throw an
    /// `AdapterError` for a failure with a code and a retryable flag. Any other error
    /// becomes a non-retryable `adapter_error`; `CancellationError` becomes `canceled`.
    func invoke(_ call: AdapterCall) async throws -> PluginJSON
}
