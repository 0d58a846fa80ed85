import Foundation
import HarmoniaCore
import Hummingbird
import NIOCore

/// `GET /schemas/workflow.json` under the API prefixes: the JSON Schema of a workflow
/// definition, for editors (a YAML language server reads it from a
/// `# yaml-language-server: $schema=<url>` comment, a JSON editor from a `"$schema"` key).
///
/// The schema is a package resource served as it is, not enveloped: editors fetch the raw
/// document. It is read once; a broken install (resource missing) answers 404 naming it.
struct SchemaRoutes: Sendable {
    /// The schema's bytes, nil when the resource is missing.
    static let workflowSchema: ByteBuffer? = {
        guard let url = Bundle.module.url(forResource: "workflow", withExtension: "json", subdirectory: "schemas"),
            let data = FileManager.default.contents(atPath: url.path)
        else { return nil }
        return ByteBuffer(bytes: data)
    }()

    func addRoutes(to group: RouterGroup<HarmoniaRequestContext>) {
        group.get("schemas/workflow.json", use: workflow)
    }

    @Sendable func workflow(_ request: Request, context: HarmoniaRequestContext) async throws -> Response {
        guard let bytes = Self.workflowSchema else {
            throw HarmoniaError(.notFound, "the workflow schema is not installed (resource schemas/workflow.json missing)")
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/schema+json"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: bytes))
    }
}
