import Foundation
import HarmoniaAPIModels
import HarmoniaClient
import HarmoniaCore
import MCP

/// Makes the MCP `Server` (modelcontextprotocol/swift-sdk) that serves Harmonia's tools and
/// resources over any transport: the server's Streamable HTTP endpoint `/mcp` and
/// `harmonia mcp` on stdio.
///
/// `client` answers, for each request, the REST client to call with: on stdio one client
/// for `--url` and `--api-key`; in the server, a loopback client carrying the API key the
/// MCP request itself presented (read from the request's HTTP context), so keys apply to
/// every tool exactly as to REST.
public enum HarmoniaMCPServer {
    public typealias ClientProvider = @Sendable (_ httpRequest: MCP.HTTPRequest?) -> HarmoniaClient

    public static func make(client: @escaping ClientProvider) async -> Server {
        let server = Server(
            name: "harmonia", version: HarmoniaVersion.current, title: "Harmonia",
            instructions: "Harmonia runs workflows (DAGs of tasks). Create one with CreateWorkflowDefinition, start it with "
                + "ExecuteWorkflow, follow it with WaitForExecution and GetExecutionEvents.",
            capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))
        let tools = ToolCatalog.all.map(mcpTool)
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: tools)
        }
        await server.withMethodHandler(CallTool.self) { parameters in
            let http = Server.currentHandlerContext?.httpContext
            return await ToolResult.call(parameters.name, arguments: parameters.arguments, client: client(http))
        }
        await server.withMethodHandler(ListResources.self) { _ in
            let http = Server.currentHandlerContext?.httpContext
            return ListResources.Result(resources: try await ResourceCatalog.list(client: client(http)))
        }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in
            ListResourceTemplates.Result(templates: ResourceCatalog.templates)
        }
        await server.withMethodHandler(ReadResource.self) { parameters in
            let http = Server.currentHandlerContext?.httpContext
            return try await ResourceCatalog.read(parameters.uri, client: client(http))
        }
        return server
    }

    static func mcpTool(_ tool: HarmoniaTool) -> Tool {
        Tool(
            name: tool.name, description: tool.description, inputSchema: ValueBridge.value(tool.inputSchema),
            annotations: .init(
                readOnlyHint: tool.readOnly, destructiveHint: tool.destructive,
                idempotentHint: tool.readOnly ? true : nil, openWorldHint: false))
    }

    /// The API key an HTTP request presented (`Authorization: Bearer` or `X-API-Key`), to
    /// pass on to the REST API.
    public static func apiKey(of request: MCP.HTTPRequest?) -> String? {
        guard let request else { return nil }
        if let authorization = request.header("Authorization"), authorization.lowercased().hasPrefix("bearer ") {
            return String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        return request.header("X-API-Key")
    }
}
