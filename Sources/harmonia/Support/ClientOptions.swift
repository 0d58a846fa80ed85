import ArgumentParser
import Foundation
import HarmoniaClient

/// The options every command that talks to a running server shares.
///
/// The default URL follows the server's own defaults (`HARMONIA_URL`, else port
/// `HARMONIA_PORT` or 8007 on 127.0.0.1), so `harmonia serve` and `harmonia run` find each
/// other with no flags in the same environment.
struct ClientOptions: ParsableArguments {
    @Option(help: "Server URL (env HARMONIA_URL; default http://127.0.0.1:$HARMONIA_PORT or :8007).")
    var url: String?

    @Option(name: .customLong("api-key"), help: "API key for the server (env HARMONIA_API_KEY, else the first of HARMONIA_API_KEYS).")
    var apiKey: String?

    /// The URL to use after flags and environment are considered.
    func resolvedURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let url, !url.isEmpty { return url }
        if let url = environment["HARMONIA_URL"], !url.isEmpty { return url }
        let port = environment["HARMONIA_PORT"].flatMap { Int($0) } ?? 8007
        return "http://127.0.0.1:\(port)"
    }

    /// Runs `body` with a client for the resolved server, shut down afterwards; an
    /// unreachable server fails at once rather than after the request timeout.
    func withClient<Result>(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        _ body: (HarmoniaClient) async throws -> Result
    ) async throws -> Result {
        try await HarmoniaClient.withClient(
            baseURL: resolvedURL(environment: environment), apiKey: resolvedAPIKey(environment: environment), body)
    }

    /// `--api-key`, else `HARMONIA_API_KEY`, else the first of the server's own
    /// `HARMONIA_API_KEYS`, so a shell set up to run the server can talk to it too.
    func resolvedAPIKey(environment: [String: String]) -> String? {
        if let apiKey, !apiKey.isEmpty { return apiKey }
        if let key = environment["HARMONIA_API_KEY"], !key.isEmpty { return key }
        let first = environment["HARMONIA_API_KEYS"]?.split(separator: ",").first
        return first.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }
}
