import HarmoniaClient
import NIOHTTP1
import HarmoniaCore

extension ToolCatalog {
    static let templateID = ToolParameter("template_id", .string(minLength: 1), required: true, "the template's id")

    static let templateTools: [HarmoniaTool] = [
        HarmoniaTool(
            "CreateTemplate",
            "Create a reusable template with typed parameters, from a stored workflow (workflow_definition_id) or an inline definition with ${params.NAME} placeholders.",
            schemaExtras: ["anyOf": [["required": ["workflow_definition_id"]], ["required": ["definition"]]]],
            parameters: [
                ToolParameter("name", .string(minLength: 1), required: true, "the template's name"),
                ToolParameter("description", .string(), "what it makes"),
                ToolParameter("workflow_definition_id", .string(minLength: 1), "the workflow to make a template of"),
                ToolParameter("workflow_definition_version", .integer(minimum: 1), "its version (default the newest)"),
                ToolParameter("definition", .object, "an inline workflow definition instead"),
                ToolParameter("parameters", .object, "parameters keyed by name: type, required, default, enum, minimum, maximum, pattern, ..."),
                ToolParameter("tags", .stringArray, "tags to find it by"),
                ToolParameter("category_ids", .stringArray, "kept as metadata.category_ids"),
                ToolParameter("is_public", .boolean, "kept as metadata.is_public"),
                metadata,
            ]
        ) { arguments, client in
            var body: [String: JSONValue] = [:]
            for key in ["name", "description", "workflow_definition_id", "workflow_definition_version", "definition", "parameters", "tags"] {
                body[key] = arguments[key]
            }
            var metadata = arguments.object("metadata") ?? [:]
            metadata["category_ids"] = arguments["category_ids"]
            metadata["is_public"] = arguments["is_public"]
            if !metadata.isEmpty { body["metadata"] = .object(metadata) }
            return try await client.send(.POST, "\(api)/templates", body: .object(body))
        },
        HarmoniaTool(
            "InstantiateTemplate", "Make a workflow from a template and parameter values (each value is checked; every problem is named).",
            parameters: [
                templateID,
                ToolParameter("parameter_values", .object, default: [:], "values keyed by parameter name"),
                ToolParameter("name", .string(minLength: 1), "the new workflow's name"),
                ToolParameter("template_version", .integer(minimum: 1), "the template version (default the newest)"),
            ]
        ) { arguments, client in
            var body: [String: JSONValue] = ["parameter_values": arguments["parameter_values"] ?? [:]]
            body["name"] = arguments["name"]
            body["template_version"] = arguments["template_version"]
            return try await client.send(
                .POST, "\(api)/templates/\(segment(arguments.require("template_id")))/instantiate", body: .object(body))
        },
        HarmoniaTool(
            "ListTemplates", "List templates (newest versions), most recently updated first.", readOnly: true,
            parameters: [
                ToolParameter("tags", .stringArray, "only templates with every one of these tags"),
                ToolParameter("name", .string(), "only templates with exactly this name"),
                limit, offset,
            ]
        ) { arguments, client in
            let tags = arguments["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
            var answer = try await client.send(
                .GET, "\(api)/templates",
                query: [("tag", tags.first), ("name", arguments.string("name")),
                        ("limit", arguments.integer("limit").map(String.init)), ("offset", arguments.integer("offset").map(String.init))])
            // The REST API filters by one tag; the others are checked here.
            if tags.count > 1, var object = answer.objectValue, let templates = object["templates"]?.arrayValue {
                let kept = templates.filter { template in
                    let have = Set(template["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                    return tags.allSatisfy(have.contains)
                }
                object["templates"] = .array(kept)
                object["count"] = .integer(kept.count)
                answer = .object(object)
            }
            return answer
        },
    ]
}
