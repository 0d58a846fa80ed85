import HarmoniaCore

extension HarmoniaError.Code {
    /// The loader refused a plugin file (trust, handshake, manifest or init); the reason says why.
    public static let pluginRefused: Self = "plugin_refused"
    /// A plugin rejected the configuration of a component instance.
    public static let pluginInstanceRejected: Self = "plugin_instance_rejected"
    /// A plugin completed an invocation with output that is not valid JSON, or an unknown status.
    public static let invalidPluginOutput: Self = "invalid_plugin_output"
    /// A plugin completed an invocation as failed without giving a code.
    public static let pluginError: Self = "plugin_error"
    /// The plugin host child serving the component ended (crash, signal, or killed after it
    /// stopped answering) while the call was in flight; retryable once the host restarts.
    public static let componentCrashed: Self = "component_crashed"
}
