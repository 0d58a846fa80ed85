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

    /// The YAML layer of `plugins.directories` and the `components` section.
    mutating func applyPlugins(_ file: ConfigurationFile) throws {
        if let directories = try file.stringList("plugins.directories") {
            plugins.directories = directories.map(Self.expandPath)
        }
        if let isolation = try file.string("plugins.isolation") {
            plugins.isolation = try Self.isolationDefault(isolation, key: "plugins.isolation")
        }
        for (name, body) in file.components {
            let key = "components.\(name)"
            guard name == name.lowercased(), !name.isEmpty else {
                throw ConfigurationError(key: key, "component names are lower case")
            }
            guard let members = body as? [String: Any] else {
                throw ConfigurationError(key: key, "must be a mapping (endpoint, timeout, options)")
            }
            var component = ComponentConfiguration()
            for (member, value) in members where !(value is NSNull) {
                switch member {
                case "endpoint":
                    guard let endpoint = value as? String,
                        let url = URLComponents(string: endpoint), ["http", "https"].contains(url.scheme?.lowercased() ?? "")
                    else { throw ConfigurationError(key: "\(key).endpoint", "expected an http(s) URL") }
                    component.endpoint = endpoint
                case "timeout":
                    let seconds = (value as? Int).map(Double.init) ?? (value as? Double)
                    guard let seconds, seconds > 0, !(value is Bool) else {
                        throw ConfigurationError(key: "\(key).timeout", "expected a positive number of seconds")
                    }
                    component.timeout = seconds
                case "options":
                    guard let options = value as? [String: Any] else {
                        throw ConfigurationError(key: "\(key).options", "must be a mapping")
                    }
                    component.options = try Self.json(options, key: "\(key).options")
                case "isolation":
                    guard let text = value as? String, let isolation = PluginIsolation(rawValue: text) else {
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

    /// YAML scalars and collections as JSON.
    static func json(_ value: Any, key: String) throws -> JSONValue {
        switch value {
        case is NSNull: return .null
        case let bool as Bool: return .bool(bool)
        case let integer as Int: return .integer(integer)
        case let double as Double: return .double(double)
        case let string as String: return .string(string)
        case let list as [Any]:
            return .array(try list.enumerated().map { try json($1, key: "\(key)[\($0)]") })
        case let object as [String: Any]:
            return .object(try object.reduce(into: [:]) { $0[$1.key] = try json($1.value, key: "\(key).\($1.key)") })
        default:
            throw ConfigurationError(key: key, "not a JSON value")
        }
    }
}
