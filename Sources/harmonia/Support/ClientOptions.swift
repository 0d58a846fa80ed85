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

    @Option(name: .customLong("api-key"), help: "API key for the server (env HARMONIA_API_KEY).")
    var apiKey: String?

    /// The URL to use after flags and environment are considered.
    func resolvedURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let url, !url.isEmpty { return url }
        if let url = environment["HARMONIA_URL"], !url.isEmpty { return url }
        let port = environment["HARMONIA_PORT"].flatMap { Int($0) } ?? 8007
        return "http://127.0.0.1:\(port)"
    }

    /// A client for the resolved server.
    func makeClient(environment: [String: String] = ProcessInfo.processInfo.environment) -> HarmoniaClient {
        let key = apiKey ?? environment["HARMONIA_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        return HarmoniaClient(baseURL: resolvedURL(environment: environment), apiKey: key)
    }
}
