import Foundation
import HarmoniaClient
import NIOHTTP1
import HarmoniaCore

/// Every tool Harmonia serves over MCP (and registers with Hermes): the original Harmonia's
/// 17, with their names and parameters, and the ones an agent needs to follow a run
/// (wait, events, checkpoints). docs/mcp.md lists them.
public enum ToolCatalog {
    public static let all: [HarmoniaTool] = workflowTools + executionTools + templateTools + componentTools

    public static func tool(named name: String) -> HarmoniaTool? {
        all.first { $0.name == name }
    }

    /// Percent-encodes one path segment: an id may hold anything, and a `/` must not
    /// change the route.
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static let api = "/api/v1"

    // MARK: Shared parameters

    static let workflowID = ToolParameter("workflow_id", .string(minLength: 1), required: true, "the workflow's id")
    static let executionID = ToolParameter("execution_id", .string(minLength: 1), required: true, "the execution's id")
    static let limit = ToolParameter("limit", .integer(minimum: 1, maximum: 1000), default: 100, "most results to return (1–1000)")
    static let offset = ToolParameter("offset", .integer(minimum: 0), default: 0, "results to skip")
    static let metadata = ToolParameter("metadata", .object, "free-form metadata stored with the object")
    static let jsonObject: JSONValue = ["type": "object"]

    /// A task as a definition holds it (docs/workflow-language.md has every field).
    static let taskSchema: JSONValue = [
        "type": "object",
        "required": ["component", "action"],
        "properties": [
            "name": ["type": "string"], "id": ["type": "string"],
            "component": ["type": "string", "description": "harmonia (built in) or a Tekton component"],
            "action": ["type": "string", "description": "the component's action, e.g. echo, transform, noop, sleep, fail"],
            "input": ["description": "the action's input; strings may hold ${...} expressions"],
            "depends_on": ["type": "array", "items": ["type": "string"]],
            "condition": ["type": "string", "description": "run only when this condition holds"],
            "retry_policy": ["type": "object"],
            "timeout": ["type": "number", "exclusiveMinimum": 0, "description": "seconds"],
            "metadata": ["type": "object"],
        ],
    ]
    static let tasksSchema: JSONValue = [
        "description": "the tasks: an object keyed by task id, or an array of tasks with a name",
        "anyOf": [
            ["type": "object", "minProperties": 1, "additionalProperties": taskSchema],
            ["type": "array", "minItems": 1, "items": taskSchema],
        ],
    ]

    /// Fields of a definition beyond name, description, tasks and the schemas.
    static let definitionOptions: [ToolParameter] = [
        ToolParameter("default_input", .object, "input values an execution gets when its own input lacks them"),
        ToolParameter("timeout", .number(exclusiveMinimum: 0, maximum: 31_536_000), "seconds an execution may run in total"),
        ToolParameter("fail_fast", .boolean, "stop everything at the first task that fails for good"),
        ToolParameter("max_concurrency", .integer(minimum: 1), "most tasks of one execution running at once"),
        ToolParameter("retry_policy", .object, "the default retry policy of every task"),
        ToolParameter("checkpoint_interval", .number(maximum: 31_536_000), "seconds between automatic checkpoints; 0 turns them off"),
    ]

    /// A definition body from the arguments. The original's string `version` has no
    /// place in a definition (Harmonia numbers versions itself), so it is kept as
    /// `metadata.version_label`.
    static func definitionBody(_ arguments: ToolArguments, over base: [String: JSONValue] = [:]) -> JSONValue {
        var body = base
        for (name, value) in arguments.values where name != "workflow_id" && name != "version" {
            body[name] = value
        }
        if let label = arguments.string("version") {
            var metadata = body["metadata"]?.objectValue ?? [:]
            metadata["version_label"] = .string(label)
            body["metadata"] = .object(metadata)
        }
        return .object(body)
    }

    // MARK: Workflows

    static let workflowTools: [HarmoniaTool] = [
        HarmoniaTool(
            "CreateWorkflowDefinition", "Create a workflow definition (a DAG of tasks) and store it as version 1.",
            parameters: [
                ToolParameter("name", .string(minLength: 1), required: true, "the workflow's name"),
                ToolParameter("description", .string(), "what the workflow does"),
                ToolParameter("tasks", .schema(tasksSchema), required: true, "the tasks"),
                ToolParameter("input_schema", .object, "JSON Schema the execution's input must match"),
                ToolParameter("output_schema", .object, "stored and returned; not checked"),
                ToolParameter("version", .string(), "a label kept as metadata.version_label (Harmonia numbers versions itself)"),
                metadata,
            ] + definitionOptions
        ) { arguments, client in
            try await client.send(.POST, "\(api)/workflows", body: definitionBody(arguments))
        },
        HarmoniaTool(
            "UpdateWorkflowDefinition",
            "Change a workflow: the fields given replace the newest version's, and the result is stored as the next version.",
            parameters: [
                workflowID,
                ToolParameter("name", .string(minLength: 1), "a new name"),
                ToolParameter("description", .string(), "a new description"),
                ToolParameter("tasks", .schema(tasksSchema), "new tasks (replace all of them)"),
                ToolParameter("input_schema", .object, "a new input schema"),
                ToolParameter("output_schema", .object, "a new output schema"),
                ToolParameter("version", .string(), "a label kept as metadata.version_label"),
                metadata,
            ] + definitionOptions
        ) { arguments, client in
            let path = "\(api)/workflows/\(segment(arguments.require("workflow_id")))"
            let current = try await client.send(.GET, path).objectValue ?? [:]
            var base: [String: JSONValue] = [:]
            let kept = ["name", "description", "tasks", "input_schema", "default_input", "output_schema", "timeout", "fail_fast",
                        "max_concurrency", "retry_policy", "checkpoint_interval", "metadata"]
            for key in kept { if let value = current[key], !value.isNull { base[key] = value } }
            return try await client.send(.PUT, path, body: definitionBody(arguments, over: base))
        },
        HarmoniaTool(
            "DeleteWorkflowDefinition", "Delete a workflow; executions that ran it keep their version.", destructive: true,
            parameters: [workflowID]
        ) { arguments, client in
            try await client.send(.DELETE, "\(api)/workflows/\(segment(arguments.require("workflow_id")))")
        },
        HarmoniaTool(
            "GetWorkflowDefinition", "Read a workflow's newest version.", readOnly: true, parameters: [workflowID]
        ) { arguments, client in
            try await client.send(.GET, "\(api)/workflows/\(segment(arguments.require("workflow_id")))")
        },
        HarmoniaTool(
            "ListWorkflowDefinitions", "List workflows (newest version of each), most recently updated first.", readOnly: true,
            parameters: [limit, offset, ToolParameter("name", .string(), "only workflows with exactly this name")]
        ) { arguments, client in
            try await client.send(
                .GET, "\(api)/workflows",
                query: [("limit", arguments.integer("limit").map(String.init)), ("offset", arguments.integer("offset").map(String.init)),
                        ("name", arguments.string("name"))])
        },
    ]
}
