import HarmoniaCore
import NIOHTTP1

/// Hermes' MCP tool registry (`/api/mcp/v2/tools`), as the real Hermes serves it: a post
/// answers `{"success", "tool_id", "message"}` (400 "Tool registration failed" without
/// `name`, `description` or `schema`), the list is a bare array, a delete of an unknown id
/// is 404, and the registry lives in memory only (a restart empties it).
extension HermesClient {
    static let toolsPath = "/api/mcp/v2/tools"

    /// `POST /api/mcp/v2/tools`; answers the id Hermes stored.
    public func registerTool(_ tool: HermesTool) async throws -> String {
        let body = try await send(.POST, Self.toolsPath, json: tool.json)
        guard let object = body.objectValue, object["success"]?.boolValue != false else {
            throw HarmoniaError(.hermesRejected, "Hermes refused the tool \(tool.name)")
        }
        return object["tool_id"]?.stringValue ?? tool.id
    }

    /// `DELETE /api/mcp/v2/tools/{id}`; an id Hermes no longer has (404) is already gone.
    public func unregisterTool(id: String) async throws {
        do {
            _ = try await send(.DELETE, "\(Self.toolsPath)/\(Self.pathEscaped(id))")
        } catch let error as HarmoniaError where error.code == .hermesRejected && error.path == "404" {
            return
        }
    }

    /// `GET /api/mcp/v2/tools`: the ids of every registered tool.
    public func toolIDs() async throws -> Set<String> {
        let body = try await send(.GET, Self.toolsPath)
        guard let list = body.arrayValue ?? body.objectValue?["tools"]?.arrayValue else {
            throw HarmoniaError(.hermesInvalidResponse, "Hermes' tool list is not an array")
        }
        return Set(list.compactMap { $0["id"]?.stringValue })
    }
}
