import HarmoniaClient
import HarmoniaCore

/// One MCP tool: its name, description, parameters (its input schema) and what it does,
/// which is always one or a few calls of Harmonia's REST API.
///
/// Going through the REST API in both places the tools are served (the server's `/mcp`,
/// calling its own port on loopback, and `harmonia mcp` on stdio, calling `--url`) keeps
/// one code path: the same validation, the same error codes, the same API-key check.
public struct HarmoniaTool: Sendable {
    public let name: String
    public let description: String
    public let parameters: [ToolParameter]
    /// Extra schema keywords (an `anyOf` of required sets, for example).
    public let schemaExtras: [String: JSONValue]
    public let readOnly: Bool
    public let destructive: Bool
    let run: @Sendable (ToolArguments, HarmoniaClient) async throws -> JSONValue

    init(
        _ name: String, _ description: String, readOnly: Bool = false, destructive: Bool = false,
        schemaExtras: [String: JSONValue] = [:], parameters: [ToolParameter],
        run: @escaping @Sendable (ToolArguments, HarmoniaClient) async throws -> JSONValue
    ) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.schemaExtras = schemaExtras
        self.readOnly = readOnly
        self.destructive = destructive
        self.run = run
    }

    /// The tool's input schema: an object of its parameters, nothing else allowed.
    public var inputSchema: JSONValue {
        var schema: [String: JSONValue] = [
            "type": "object",
            "properties": .object(Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.schema) })),
            "required": .array(parameters.filter(\.required).map { .string($0.name) }),
            "additionalProperties": false,
        ]
        schema.merge(schemaExtras) { _, extra in extra }
        return .object(schema)
    }

    /// Runs the tool: checks the arguments, then calls the API. Every failure, of the
    /// arguments or of the API, is a `ToolFailure` carrying the server's code and detail.
    public func call(_ arguments: [String: JSONValue], client: HarmoniaClient) async throws(ToolFailure) -> JSONValue {
        let checked = try ToolArguments(arguments, parameters: parameters)
        do {
            return try await run(checked, client)
        } catch let failure as ToolFailure {
            throw failure
        } catch let error as HarmoniaClientError {
            throw ToolFailure(error)
        } catch {
            throw ToolFailure(code: "internal_error", detail: "\(name) failed: \(error)", status: 500)
        }
    }
}
