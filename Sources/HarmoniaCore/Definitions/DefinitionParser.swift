import Foundation

/// The text format of a workflow definition body.
public enum DefinitionFormat: String, Sendable, Hashable, CaseIterable {
    /// JSON when the first non-blank byte is `{` or `[`, YAML otherwise.
    case auto
    case json
    case yaml
}

/// Turns the bytes of a workflow definition (JSON or YAML) into a `WorkflowDefinition`.
///
/// Reading is lenient about spelling, because Tekton clients already write definitions in
/// several dialects (snake_case and camelCase keys, tasks as an object or an array, `input`
/// for `input_schema`...), and strict about meaning: every wrong type or out-of-range value
/// is reported with its JSON path, all of them at once. Graph-level checks (dependencies,
/// cycles, expressions) belong to `DefinitionValidator`; `load` runs both.
public enum DefinitionParser {
    /// The expanded size of a YAML document allowed when the caller sets none: the server's
    /// default request body limit.
    public static let defaultMaxExpandedBytes = 1 << 20

    /// Parses JSON or YAML text into a JSON value. Syntax errors throw `invalid_json` with
    /// the line (and column) of the problem; YAML errors say YAML. YAML whose aliases expand
    /// past `maxExpandedBytes` of JSON throws `payload_too_large` (JSON cannot expand: its
    /// size is the body's, which the caller already limits).
    public static func parse(
        _ data: some Collection<UInt8>, format: DefinitionFormat = .auto,
        maxExpandedBytes: Int = defaultMaxExpandedBytes
    ) throws -> JSONValue {
        switch format {
        case .json: return try JSONValue.parse(data)
        case .yaml: return try YAMLConversion.parse(data, maxBytes: maxExpandedBytes)
        case .auto:
            return looksLikeJSON(data)
                ? try JSONValue.parse(data) : try YAMLConversion.parse(data, maxBytes: maxExpandedBytes)
        }
    }

    /// Parses, decodes and validates a definition in one step: what the server does with a
    /// request body. The result is normalized (see `DefinitionValidator.validate`).
    public static func load(
        _ data: some Collection<UInt8>, format: DefinitionFormat = .auto, id: String? = nil, version: Int = 1,
        now: Date = Date()
    ) throws -> WorkflowDefinition {
        let value = try parse(data, format: format)
        return try DefinitionValidator.validate(decode(value, id: id, version: version, now: now))
    }

    /// Decodes a definition object leniently (see the type's comment). `id` overrides any id
    /// in the body; with neither a new lowercased UUID is used. Throws `HarmoniaError` whose
    /// code, message and path are those of the first problem and whose `problems` lists all.
    public static func decode(
        _ value: JSONValue, id: String? = nil, version: Int = 1, now: Date = Date()
    ) throws -> WorkflowDefinition {
        guard let members = value.objectValue else {
            throw ProblemList.single(
                .invalidDefinition, "a workflow definition must be a JSON object, got \(value.typeName)", path: nil)
        }
        var problems = ProblemList()
        let root = LenientObject(members, path: "")
        root.checkSpellings(problems: &problems)

        let bodyID = root.string("id", aliases: ["workflow_id", "workflowId"], problems: &problems)
        if id == nil, let bodyID {
            if bodyID.isEmpty {
                problems.add(.invalidDefinition, "id must not be empty", path: "id")
            } else if !WorkflowID.isValid(bodyID) {
                problems.add(.invalidDefinition, "id must be \(WorkflowID.requirement)", path: "id")
            }
        }
        let name = root.requiredString("name", problems: &problems)
        let description = root.string("description", problems: &problems)
        let tasks = decodeTasks(root, problems: &problems)
        let inputSchema = schema(root, "input_schema", alias: "input", problems: &problems)
        let outputSchema = schema(root, "output_schema", alias: "output", problems: &problems)
        let defaultInput = root.object("default_input", problems: &problems)?.members
        let failFast = root.bool("fail_fast", problems: &problems)
        let timeout = root.number("timeout", rule: .duration(greaterThan: 0), problems: &problems)
        let maxConcurrency = root.integer("max_concurrency", rule: .atLeast(1), problems: &problems)
        let checkpointInterval = root.number(
            "checkpoint_interval",
            rule: LenientObject.Rule(requirement: WorkflowDefinition.checkpointIntervalRequirement) {
                WorkflowDefinition.isValidCheckpointInterval($0)
            }, problems: &problems)
        let retryPolicy = decodeRetryPolicy(root, problems: &problems)
        let metadata = root.object("metadata", problems: &problems)?.members

        try problems.throwIfAny()
        return WorkflowDefinition(
            id: id ?? (bodyID.flatMap { $0.isEmpty ? nil : $0 } ?? UUID().uuidString.lowercased()),
            name: name ?? "", description: description ?? "", version: version, tasks: tasks,
            inputSchema: inputSchema, defaultInput: defaultInput, outputSchema: outputSchema, failFast: failFast ?? false,
            timeout: timeout, maxConcurrency: maxConcurrency, checkpointInterval: checkpointInterval,
            retryPolicy: retryPolicy,
            metadata: metadata ?? [:], createdAt: now, updatedAt: now)
    }

    /// A schema member: an object (a JSON Schema, or the Tekton shorthand of typed properties).
    private static func schema(
        _ root: LenientObject, _ key: String, alias: String, problems: inout ProblemList
    ) -> JSONValue? {
        root.object(key, aliases: [alias], problems: &problems).map { .object($0.members) }
    }

    /// Whether the first non-blank byte opens a JSON object or array.
    static func looksLikeJSON(_ data: some Collection<UInt8>) -> Bool {
        for byte in data {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): return true
            default: return false
            }
        }
        return false
    }
}
