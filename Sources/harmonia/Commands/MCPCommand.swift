import ArgumentParser
import Foundation
import HarmoniaClient
import HarmoniaMCP
import MCP

/// `harmonia mcp`: Harmonia's MCP tools and resources on stdin/stdout, for local agents
/// that spawn their tools as processes. It is a client of a running server's REST API
/// (`--url`, `--api-key`), serving the same tools as the server's own `/mcp` endpoint.
///
/// stdout carries only the protocol's messages; nothing else is printed there.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve Harmonia's MCP tools on stdin/stdout, calling the server at --url.",
        discussion: "The same tools and resources as the server's Streamable HTTP endpoint /mcp (docs/mcp.md)."
    )

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let url = client.resolvedURL(environment: environment)
        let key = client.resolvedAPIKey(environment: environment)
        // A direct component call may take the component's whole timeout (300 s by default).
        try await HarmoniaClient.withClient(baseURL: url, apiKey: key, requestTimeout: .seconds(330)) { harmonia in
            let server = await HarmoniaMCPServer.make { _ in harmonia }
            try await server.start(transport: StdioTransport())
            await server.waitUntilCompleted()
        }
    }
}
