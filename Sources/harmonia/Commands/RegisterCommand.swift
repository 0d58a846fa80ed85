import ArgumentParser
import Foundation
import HarmoniaClient
import HarmoniaCore
import HarmoniaDiscovery
import HarmoniaServer

/// `harmonia register [--verify]`: registers a Harmonia server with Hermes once, as
/// `harmonia serve` does at start-up, and with `--verify` reads Hermes' registry back to
/// confirm the entry is there with the right endpoint.
///
/// Reads the same configuration as `serve` (file < environment < flags) to know the
/// endpoint to advertise and where Hermes is (Tekton's default: `http://localhost:8001`).
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register Harmonia with Hermes (Tekton's registry).",
        discussion: """
            Registers component id "harmonia" (name and type harmonia, endpoint http://HOST:PORT, Harmonia's capabilities). Hermes' URL comes from --hermes-url, hermes.url, HERMES_URL, or http://{HERMES_HOST|TEKTON_HOST|localhost}:{HERMES_PORT|8001}. Exits non-zero with a clear message when Hermes cannot be reached or (with --verify) does not list the entry.

            A running `harmonia serve --hermes-url ...` registers, heartbeats and unregisters by itself; this command is for scripts and checks.
            """
    )

    @Option(name: .customLong("hermes-url"), help: "Hermes' base URL (default: from the environment, else http://localhost:8001).")
    var hermesURL: String?

    @Option(help: "The endpoint to register (default http://<advertised host>:<port> from the configuration).")
    var endpoint: String?

    @Option(help: "The port Harmonia serves on, for the default endpoint (env HARMONIA_PORT; default 8007).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "The data directory reported in the registration metadata.")
    var dataDirectory: String?

    @Option(name: .customLong("config"), help: "A YAML configuration file (as for `serve`).")
    var configFile: String?

    @Flag(help: "Read Hermes' registry back and fail unless it lists Harmonia at this endpoint.")
    var verify = false

    @Option(help: "Seconds to wait for each answer from Hermes.")
    var timeout: Double = 5

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try HarmoniaConfiguration.load(
            file: configFile.map(ServeCommand.expandTilde), environment: environment,
            overrides: ConfigurationOverrides(
                port: port, dataDirectory: dataDirectory.map(ServeCommand.expandTilde), hermesURL: hermesURL))
        let url = configuration.hermes.url ?? "http://localhost:\(HermesConfiguration.defaultPort)"
        let endpoint = endpoint ?? configuration.advertisedEndpoint(port: configuration.port, environment: environment)
        let client = HermesClient(url: url, timeout: .milliseconds(Int64((max(timeout, 0.1) * 1000).rounded())))
        let registration = HermesRegistration.harmonia(
            endpoint: endpoint, version: HarmoniaVersion.current, dataDirectory: configuration.dataDirectory)
        do {
            let outcome = try await HermesRegistrar.register(registration, client: client, verify: verify)
            print("registered \(outcome.componentID) with Hermes at \(client.baseURL) (endpoint \(endpoint))")
            if let entry = outcome.entry {
                print("verified: Hermes lists \(entry.componentID) at \(entry.endpoint ?? endpoint)")
            }
        } catch let error as HarmoniaError where error.code == .hermesUnreachable {
            throw CLIError("\(error.message). Is Hermes running? Set HERMES_URL or pass --hermes-url.")
        } catch let error as HarmoniaError {
            throw CLIError("Hermes registration failed: \(error.message)")
        }
    }
}
