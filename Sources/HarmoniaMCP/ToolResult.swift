import HarmoniaClient
import HarmoniaCore
import MCP

/// A tool call's MCP result: the REST API's `data` as structured content (and, for clients
/// that read only text, the same JSON as text), or a tool error with the server's `code`,
/// `detail` and `path`.
enum ToolResult {
    static func call(_ name: String, arguments: [String: Value]?, client: HarmoniaClient) async -> CallTool.Result {
        guard let tool = ToolCatalog.tool(named: name) else {
            let names = ToolCatalog.all.map(\.name).joined(separator: ", ")
            return failure(ToolFailure(code: "not_found", detail: "no tool named '\(name)' (tools: \(names))", path: "name", status: 404))
        }
        do {
            let data = try await tool.call(ValueBridge.json(arguments), client: client)
            // structuredContent must be an object; every answer of the API is one, but a
            // bare value is wrapped rather than dropped.
            let structured: JSONValue = data.objectValue != nil ? data : ["result": data]
            return CallTool.Result(content: [.text(text: structured.jsonString(), annotations: nil, _meta: nil)],
                                   structuredContent: Optional.some(ValueBridge.value(structured)), isError: false)
        } catch {
            return failure(error)
        }
    }

    static func failure(_ failure: ToolFailure) -> CallTool.Result {
        var text = "\(failure.code): \(failure.detail)"
        if let path = failure.path { text += " (at \(path))" }
        return CallTool.Result(
            content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: Optional.some(ValueBridge.value(failure.json)), isError: true)
    }
}
