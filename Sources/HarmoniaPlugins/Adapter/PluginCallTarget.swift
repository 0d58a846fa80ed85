/// Where a `PluginAdapter` sends its calls: a plugin instance in this process
/// (`PluginInstance`) or one in a plugin host child (`IsolatedInstance`).
///
/// Both complete through the host's invocation table, so deadlines, cancellation, the
/// cleanup window and host HTTP ownership are the same code in either isolation mode.
protocol PluginCallTarget: AnyObject, Sendable {
    /// Starts an invocation; it returns at once and completes through the invocation table.
    func invoke(_ id: UInt64, action: String, input: [UInt8], context: [UInt8])
    /// Asks the plugin to stop an invocation (best effort).
    func cancel(_ id: UInt64)
}

extension PluginInstance: PluginCallTarget {}
