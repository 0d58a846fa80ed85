import HarmoniaCore

/// Builds the adapter for a component at an endpoint: what the reconciler calls when a
/// component appears or moves. The plugin-backed provisioner `dlopen`s the plugin serving
/// the component here, on first use, not at start-up.
public protocol AdapterProvisioner: Sendable {
    /// Component names this provisioner can probably serve, known without loading anything
    /// (configuration, file names). Lets Hermes entries map by name before any `dlopen`.
    var knownComponents: Set<String> { get }

    /// A new adapter instance for `request.component` talking to `request.endpoint`.
    /// Called again with the new endpoint when the component moves; the reconciler then
    /// replaces the old instance in the registry (its calls in flight finish on it).
    /// Throws a `HarmoniaError` saying why no adapter can serve it.
    func makeAdapter(_ request: ProvisionRequest) async throws -> ProvisionedAdapter

    /// Whether an adapter this provisioner built is still what it would build now: false
    /// once its plugin file was superseded by a reload, so the reconciler builds it again.
    func isCurrent(_ adapter: any ComponentAdapter) -> Bool

    /// A value that changes when what the provisioner could serve may have changed (a plugin
    /// file appeared or changed), known without loading anything; nil if it never does. The
    /// reconciler retries the components it could not serve when this changes.
    var fingerprint: Int? { get }
}

extension AdapterProvisioner {
    /// Adapters that do not come from replaceable files never go stale.
    public func isCurrent(_ adapter: any ComponentAdapter) -> Bool { true }

    /// Nothing to watch.
    public var fingerprint: Int? { nil }
}

/// What the reconciler asks of a provisioner.
public struct ProvisionRequest: Sendable, Hashable {
    public var component: String
    public var endpoint: String
    public var source: ComponentSource

    public init(component: String, endpoint: String, source: ComponentSource) {
        self.component = component
        self.endpoint = endpoint
        self.source = source
    }
}

/// An adapter built by a provisioner, with where it came from.
public struct ProvisionedAdapter: Sendable {
    public var adapter: any ComponentAdapter
    public var pluginFile: String?
    public var version: String?

    public init(adapter: any ComponentAdapter, pluginFile: String? = nil, version: String? = nil) {
        self.adapter = adapter
        self.pluginFile = pluginFile
        self.version = version
    }
}
