/// Where a component's adapter library runs.
public enum PluginIsolation: String, Sendable, Hashable, CaseIterable {
    /// In a plugin host child (`harmonia plugin-host`): a crash of the adapter ends only
    /// that child; its calls fail as retryable `component_crashed` and the host restarts.
    case process
    /// `dlopen`ed into the server: the fastest call, but a crash of the adapter ends the server.
    case inProcess = "in_process"
}

/// The isolation of the components whose configuration names none.
public enum PluginIsolationDefault: String, Sendable, Hashable, CaseIterable {
    /// `process` for libraries not shipped with Harmonia (outside the executable's
    /// directory), `in_process` for the shipped ones. The server's default.
    case auto
    case process
    case inProcess = "in_process"
}
