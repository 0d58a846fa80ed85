import HarmoniaCore

extension HarmoniaConfiguration {
    /// Builds the configuration from its layers: defaults < YAML `file` < `environment` <
    /// `overrides` (flags). Every key is declared once (`HarmoniaConfiguration.keys`) and read
    /// through the same declaration in each layer. Throws `ConfigurationError` naming the
    /// first bad key as the layer spells it.
    public static func load(
        file: String?, environment: [String: String], overrides: ConfigurationOverrides
    ) throws -> HarmoniaConfiguration {
        var configuration = HarmoniaConfiguration()
        let fileLayer = try file.map(ConfigurationFile.init(path:))
        let layers = ConfigurationLayers(file: fileLayer, environment: environment, overrides: overrides)
        for key in keys {
            try layers.apply(key, to: &configuration)
        }
        if let fileLayer {
            try configuration.applyComponents(fileLayer)
        }
        // Keys from `server.api_key_file` join the listed ones: a key can be rotated by
        // adding the new one to the file while clients still send the old.
        for key in configuration.apiKeysFromFile where !configuration.apiKeys.contains(key) {
            configuration.apiKeys.append(key)
        }
        return configuration
    }
}
