/// Values given on the command line; they win over the environment and the file.
/// A nil field leaves the lower layers' value in place.
public struct ConfigurationOverrides: Sendable {
    public var host: String?
    public var port: Int?
    public var dataDirectory: String?
    /// A level name: trace, debug, info, notice, warning, error, critical.
    public var logLevel: String?
    public var apiKeys: [String]?
    /// `--api-key-file`: a file of API keys, one per line, so keys stay out of `ps`.
    public var apiKeyFile: String?
    /// `--hermes-url`.
    public var hermesURL: String?
    /// `--checkpoint-interval`, seconds (0: off).
    public var checkpointInterval: Double?

    public init(
        host: String? = nil, port: Int? = nil, dataDirectory: String? = nil, logLevel: String? = nil,
        apiKeys: [String]? = nil, apiKeyFile: String? = nil, hermesURL: String? = nil, checkpointInterval: Double? = nil
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.logLevel = logLevel
        self.apiKeys = apiKeys
        self.apiKeyFile = apiKeyFile
        self.hermesURL = hermesURL
        self.checkpointInterval = checkpointInterval
    }
}
