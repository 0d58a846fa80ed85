import Configuration
import Foundation
import HarmoniaDiscovery

/// The three layers above the defaults, each a swift-configuration `ConfigProvider`: the
/// YAML/JSON file (an `InMemoryProvider` of the file's checked values), the environment
/// (`EnvironmentVariablesProvider`, which converts the text to the declared type) and the
/// command line (an `InMemoryProvider` of the flags given).
///
/// Every declared key is looked up in each layer in order of precedence and each value found
/// is checked and applied, so a bad value is refused even where a later layer overrides it,
/// and the error names the key as that layer spells it (`server.port`, `HARMONIA_PORT` or
/// `--port`): a merged lookup could not say which spelling was wrong.
struct ConfigurationLayers {
    struct Layer {
        let provider: any ConfigProvider
        /// The key a declaration has in this layer, and how an error names it.
        let lookupKey: (ConfigurationKey) -> AbsoluteConfigKey?
        let sourceName: (ConfigurationKey) -> String
        /// The raw text behind a value, for conversion errors (environment only).
        let rawText: (ConfigurationKey) -> String?
        /// Whether a list that holds no item is refused: in the environment, where a set
        /// variable such as `HARMONIA_API_KEYS=","` must not quietly mean "no keys". (A
        /// file's `api_keys: []` says "none" on purpose.)
        var refusesEmptyLists = false
    }

    let layers: [Layer]

    init(file: ConfigurationFile?, environment: [String: String], overrides: ConfigurationOverrides) {
        var layers: [Layer] = []
        if let file {
            layers.append(
                Layer(
                    provider: InMemoryProvider(name: file.source, values: file.providerValues),
                    lookupKey: { Self.configKey($0.path) },
                    sourceName: { $0.path }, rawText: { _ in nil }))
        }
        let environment = Self.environmentLayer(environment)
        let secrets = Set(HarmoniaConfiguration.keys.filter(\.isSecret).map(\.environment))
        layers.append(
            Layer(
                provider: EnvironmentVariablesProvider(
                    environmentVariables: environment.values, secretsSpecifier: .specific(secrets)),
                lookupKey: { environment.values[$0.environment] == nil ? nil : AbsoluteConfigKey([$0.environment]) },
                sourceName: { environment.sourceNames[$0.environment] ?? $0.environment },
                rawText: { environment.values[$0.environment] }, refusesEmptyLists: true))
        layers.append(
            Layer(
                provider: InMemoryProvider(name: "command line", values: overrides.providerValues),
                lookupKey: { $0.flag == nil ? nil : Self.configKey($0.path) },
                sourceName: { $0.flag ?? $0.path }, rawText: { _ in nil }))
        self.layers = layers
    }

    /// Applies every layer's value of `key`, lowest precedence first.
    func apply(_ key: ConfigurationKey, to configuration: inout HarmoniaConfiguration) throws {
        for layer in layers {
            guard let lookup = layer.lookupKey(key) else { continue }
            let source = layer.sourceName(key)
            let found: ConfigValue?
            do {
                found = try layer.provider.value(forKey: lookup, type: key.type.configType).value
            } catch {
                throw key.typeError(source, got: layer.rawText(key).map { "\"\($0)\"" } ?? "a value of another type")
            }
            guard let found else { continue }
            let value = try Self.value(found.content, key: key, source: source)
            if layer.refusesEmptyLists, value.stringList?.isEmpty == true {
                throw ConfigurationError(key: source, "holds no item between its commas; unset it instead")
            }
            try key.apply(&configuration, value, source)
        }
    }

    /// The environment with empty variables dropped (an empty `HARMONIA_PORT=` in a launcher
    /// script counts as unset) and values trimmed, plus `HERMES_URL` derived from Tekton's
    /// `HERMES_HOST` / `HERMES_PORT` / `TEKTON_HOST` when only those are set.
    static func environmentLayer(_ raw: [String: String]) -> (values: [String: String], sourceNames: [String: String]) {
        var values: [String: String] = [:]
        for (name, value) in raw {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { values[name] = trimmed }
        }
        var sourceNames: [String: String] = [:]
        if values["HERMES_URL"] == nil, let derived = HermesConfiguration.url(fromEnvironment: raw) {
            values["HERMES_URL"] = derived
            sourceNames["HERMES_URL"] = "HERMES_HOST/HERMES_PORT/TEKTON_HOST"
        }
        return (values, sourceNames)
    }

    /// `server.port` as swift-configuration's key (`["server", "port"]`).
    static func configKey(_ path: String) -> AbsoluteConfigKey {
        AbsoluteConfigKey(path.split(separator: ".").map(String.init))
    }

    /// Values by YAML path as an `InMemoryProvider`'s, secrets marked as their key declares.
    static func providerValues(_ values: [String: ConfigurationKey.Value]) -> [AbsoluteConfigKey: ConfigValue] {
        values.reduce(into: [:]) { result, entry in
            let secret = HarmoniaConfiguration.key(entry.key)?.isSecret ?? false
            result[configKey(entry.key)] = ConfigValue(entry.value.configContent, isSecret: secret)
        }
    }

    /// A provider's content as the declared type. Lists from the environment are split on
    /// commas by the provider; blanks between commas are dropped here, as everywhere.
    private static func value(_ content: ConfigContent, key: ConfigurationKey, source: String) throws -> ConfigurationKey.Value {
        switch (key.type, content) {
        case (.string, .string(let s)): return .string(s)
        case (.integer, .int(let i)): return .integer(i)
        case (.number, .double(let d)): return .number(d)
        case (.number, .int(let i)): return .number(Double(i))
        case (.stringList, .stringArray(let list)):
            return .stringList(list.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        default: throw key.typeError(source, got: "a value of another type")
        }
    }
}

extension ConfigurationKey.ValueType {
    var configType: ConfigType {
        switch self {
        case .string: .string
        case .integer: .int
        case .number: .double
        case .stringList: .stringArray
        }
    }
}

extension ConfigurationKey.Value {
    var configContent: ConfigContent {
        switch self {
        case .string(let s): .string(s)
        case .integer(let i): .int(i)
        case .number(let d): .double(d)
        case .stringList(let l): .stringArray(l)
        }
    }
}

extension ConfigurationOverrides {
    /// The flags given, keyed by YAML path, for the command-line provider.
    var providerValues: [AbsoluteConfigKey: ConfigValue] {
        var values: [String: ConfigurationKey.Value] = [:]
        values["server.host"] = host.map { .string($0) }
        values["server.port"] = port.map { .integer($0) }
        values["storage.data_dir"] = dataDirectory.map { .string($0) }
        values["logging.level"] = logLevel.map { .string($0) }
        values["server.api_keys"] = apiKeys.map { .stringList($0) }
        values["server.api_key_file"] = apiKeyFile.map { .string($0) }
        values["hermes.url"] = hermesURL.map { .string($0) }
        values["engine.checkpoint_interval"] = checkpointInterval.map { .number($0) }
        return ConfigurationLayers.providerValues(values)
    }
}
