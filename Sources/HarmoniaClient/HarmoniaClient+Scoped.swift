import AsyncHTTPClient
import NIOCore

extension HarmoniaClient {
    /// Runs `body` with a client that owns its own `HTTPClient` and shuts it down afterwards.
    ///
    /// For short-lived programs such as the CLI: a connection that cannot be established
    /// fails at once (`connection_failed`) instead of being retried until the request
    /// deadline, which is what the shared client does and what makes a command against a
    /// stopped server hang for its whole timeout.
    public static func withClient<Result>(
        baseURL: String, apiKey: String? = nil, requestTimeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(5),
        _ body: (HarmoniaClient) async throws -> Result
    ) async throws -> Result {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = timeAmount(connectTimeout)
        let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let client = HarmoniaClient(
            baseURL: baseURL, apiKey: apiKey, httpClient: httpClient, requestTimeout: requestTimeout)
        let result: Result
        do {
            result = try await body(client)
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
        return result
    }
}
