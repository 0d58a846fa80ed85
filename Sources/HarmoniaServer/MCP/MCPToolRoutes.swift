import Foundation
import HarmoniaAPIModels
import HarmoniaClient
import HarmoniaCore
import HarmoniaMCP
import HTTPTypes
import Hummingbird

/// `POST /mcp/tools/{name}` under the API prefixes: one MCP tool called the way Hermes'
/// tool registry calls a registered tool's `endpoint` — the body is the tool's arguments,
/// the answer the tool's result in the success envelope, or the tool's error (the REST
/// API's `code`, `detail`, `path`, with its status).
///
/// `name` is the tool's name with or without Hermes' `harmonia_` prefix. Like `/mcp`, the
/// tool calls the REST API of this server with the API key the request presented.
struct MCPToolRoutes: Sendable {
    let dependencies: RouteDependencies

    /// The prefix Hermes' registry names Harmonia's tools with.
    static let hermesPrefix = "harmonia_"

    func addRoutes(to group: RouterGroup<HarmoniaRequestContext>) {
        group.post("mcp/tools/{name}", use: call)
    }

    @Sendable func call(_ request: Request, context: HarmoniaRequestContext) async throws -> Response {
        let raw = try context.pathParameter("name")
        let name = raw.hasPrefix(Self.hermesPrefix) ? String(raw.dropFirst(Self.hermesPrefix.count)) : raw
        guard let tool = ToolCatalog.tool(named: name) else {
            throw HarmoniaError(.notFound, "no MCP tool named '\(raw)'", path: "name")
        }
        let body = try await request.jsonBody(maxBytes: dependencies.maxBodyBytes) ?? .emptyObject
        guard let arguments = body.objectValue else {
            throw HarmoniaError(.invalidRequest, "the body must be a JSON object of the tool's arguments, got \(body.typeName)")
        }
        let client = HarmoniaClient(
            baseURL: dependencies.runtime.selfURL, apiKey: Self.apiKey(request), requestTimeout: .seconds(330))
        do {
            let result = try await tool.call(arguments, client: client)
            return success("\(tool.name) done", result).makeResponse()
        } catch {
            // 0: the call never reached the REST API (this server is shutting down).
            let status = error.status > 0 ? error.status : 503
            return JSONResponse(
                status: .init(code: status),
                body: APIErrorBody(
                    detail: error.detail, code: error.code, path: error.path,
                    problems: error.problems.isEmpty ? nil : error.problems)
            ).makeResponse()
        }
    }

    /// The key this request presented, to call the REST API with.
    static func apiKey(_ request: Request) -> String? {
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            return String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        return request.headers[HTTPField.Name("X-API-Key")!]
    }
}
