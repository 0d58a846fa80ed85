import Foundation
import HarmoniaCore
import Hummingbird
import NIOCore

/// Machine-readable descriptions. `GET /schemas/workflow.json` under the API prefixes: the
/// JSON Schema of a workflow definition, for editors (a YAML language server reads it from a
/// `# yaml-language-server: $schema=<url>` comment, a JSON editor from a `"$schema"` key).
///
/// The schema is a package resource served as it is, not enveloped: editors fetch the raw
/// document. It is read once; a broken install (resource missing) answers 404 naming it.
///
/// `GET /openapi.json` (under the prefixes and at the root, where tools look first): the
/// OpenAPI 3.1 document of the whole HTTP API, a resource written by
/// `tools/openapi/generate.py` and checked against the router by OpenAPIDocumentTests.
struct SchemaRoutes: Sendable {
    /// The schema's bytes, nil when the resource is missing.
    static let workflowSchema: ByteBuffer? = {
        guard let url = Bundle.module.url(forResource: "workflow", withExtension: "json", subdirectory: "schemas"),
            let data = FileManager.default.contents(atPath: url.path)
        else { return nil }
        return ByteBuffer(bytes: data)
    }()

    /// The OpenAPI document's bytes, nil when the resource is missing.
    static let openAPIDocument: ByteBuffer? = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "openapi"),
            let data = FileManager.default.contents(atPath: url.path)
        else { return nil }
        return ByteBuffer(bytes: data)
    }()

    func addRoutes(to group: RouterGroup<HarmoniaRequestContext>) {
        group.get("schemas/workflow.json", use: workflow)
        group.get("openapi.json", use: openAPI)
    }

    /// The root `/openapi.json`, outside the prefixes.
    func addRootRoutes(to router: Router<HarmoniaRequestContext>) {
        router.get("openapi.json", use: openAPI)
    }

    @Sendable func openAPI(_ request: Request, context: HarmoniaRequestContext) async throws -> Response {
        guard let bytes = Self.openAPIDocument else {
            throw HarmoniaError(.notFound, "the OpenAPI document is not installed (resource openapi/openapi.json missing)")
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: bytes))
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
