import Foundation
import HarmoniaCore
import HarmoniaPlugins

/// The `plugins.*` and `components.*` configuration: where adapter plugins are looked for
/// and which components are active, with their endpoints and options. See
/// `docs/configuration.md` and `Plugins/README.md`.
public struct PluginSettings: Sendable, Hashable {
    /// Directories scanned for `*.so` adapters. Nil: the defaults (the `harmonia`
    /// executable's directory, where `swift build` puts `libHarmonia*.so`, and `<data-dir>/plugins`).
    public var directories: [String]?
    /// The active components by name: only these get an adapter instance (discovery adds
    /// the ones Hermes lists when it is configured).
    public var components: [String: ComponentConfiguration]
    /// `plugins.isolation`: where components that name no `isolation` run. `auto`: in a
    /// plugin host child for libraries not shipped with Harmonia, in the server for the
    /// shipped ones (docs/plugin-abi.md §7).
    public var isolation: PluginIsolationDefault

    public init(
        directories: [String]? = nil, components: [String: ComponentConfiguration] = [:], isolation: PluginIsolationDefault = .auto
    ) {
        self.isolation = isolation
        self.directories = directories
        self.components = components
    }
}

extension HarmoniaConfiguration {
    /// The loader's configuration: the configured (or default) directories and components.
    /// Unconfigured components are not activated: the configuration (or Hermes) selects.
    /// With Hermes configured, plugins load on demand: a file is opened when discovery first
    /// needs the component it serves, never by a start-up scan.
    public var pluginsConfiguration: PluginsConfiguration {
        PluginsConfiguration(
            directories: plugins.directories ?? PluginsConfiguration.defaultDirectories(dataDirectory: dataDirectory),
            components: plugins.components, activateUnconfigured: false, loadOnDemand: hermesConfiguration != nil,
            defaultIsolation: plugins.isolation)
    }

    /// The `components` section of the file: one mapping per component name.
    mutating func applyComponents(_ file: ConfigurationFile) throws {
        for (name, body) in file.components {
            let key = "components.\(name)"
            guard name == name.lowercased(), !name.isEmpty else {
                throw ConfigurationError(key: key, "component names are lower case")
            }
            if body.isNull { continue }
            guard let members = body.objectValue else {
                throw ConfigurationError(key: key, "must be a mapping (endpoint, isolation, options, timeout)")
            }
            var component = ComponentConfiguration()
            for (member, value) in members where !value.isNull {
                switch member {
                case "endpoint":
                    guard let endpoint = value.stringValue,
                        let url = URLComponents(string: endpoint), ["http", "https"].contains(url.scheme?.lowercased() ?? "")
                    else { throw ConfigurationError(key: "\(key).endpoint", "expected an http(s) URL") }
                    component.endpoint = endpoint
                case "timeout":
                    guard let seconds = value.doubleValue, seconds > 0, DurationLimit.isWithinMaximum(seconds) else {
                        throw ConfigurationError(
                            key: "\(key).timeout", "expected a positive number of seconds, at most \(DurationLimit.maximumDescription)")
                    }
                    component.timeout = seconds
                case "options":
                    guard value.objectValue != nil else {
                        throw ConfigurationError(key: "\(key).options", "must be a mapping")
                    }
                    component.options = value
                case "isolation":
                    guard let text = value.stringValue, let isolation = PluginIsolation(rawValue: text) else {
                        throw ConfigurationError(key: "\(key).isolation", "expected process or in_process")
                    }
                    component.isolation = isolation
                default:
                    throw ConfigurationError(key: "\(key).\(member)", "unknown key (known: endpoint, isolation, options, timeout)")
                }
            }
            plugins.components[name] = component
        }
    }

    /// `auto`, `process` or `in_process`.
    static func isolationDefault(_ text: String, key: String) throws -> PluginIsolationDefault {
        guard let value = PluginIsolationDefault(rawValue: text) else {
            throw ConfigurationError(key: key, "expected auto, process or in_process, not '\(text)'")
        }
        return value
    }
}
