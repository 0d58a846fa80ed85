import ArgumentParser
import HarmoniaPlugins

/// `harmonia plugin-host`: the child process the server starts for a component with
/// `isolation: process` (docs/plugin-abi.md §7). Not for people: it speaks the host
/// protocol on its stdin, which must be the socket the server gave it.
struct PluginHostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin-host", abstract: "Serve one adapter library to the server over stdin (internal).",
        shouldDisplay: false)

    @Option(help: "The adapter library (.so).")
    var library: String

    @Option(name: .customLong("http-timeout-ms"), help: "Default timeout of the plugin's host HTTP requests.")
    var httpTimeoutMilliseconds: Int = 30_000

    @Option(name: .customLong("max-http-response-bytes"), help: "Largest host HTTP response body.")
    var maxHTTPResponseBytes: Int = 32 << 20

    @Option(name: .customLong("log-level"), help: "The server's log level.")
    var logLevel: String = "info"

    func run() async throws {
        IsolatedHostServer.start(
            library: library, httpTimeout: .milliseconds(httpTimeoutMilliseconds), maxHTTPResponseBytes: maxHTTPResponseBytes,
            logLevel: logLevel)
        // The host's thread ends the process when the server closes the socket.
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}
