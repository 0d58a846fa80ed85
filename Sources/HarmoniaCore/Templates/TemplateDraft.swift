/// What a client sends to create, update or import a template, read leniently
/// (snake_case or camelCase keys, parameters as an object keyed by name or as an array of
/// objects with `name`) and checked value by value, every problem reported at once.
///
/// A draft is not a template yet: its definition may still have to be fetched (from
/// `workflow_definition_id`), and on update the fields it omits keep their current values.
/// `WorkflowTemplate.init(draft:...)` and `TemplateValidator` finish the job.
public struct TemplateDraft: Sendable, Hashable {
    public var name: String?
    public var description: String?
    /// An inline definition with placeholders.
    public var definition: JSONValue?
    /// A saved workflow to copy the definition from, instead of `definition`.
    public var workflowDefinitionID: String?
    /// The version of that workflow; nil for the newest.
    public var workflowDefinitionVersion: Int?
    public var parameters: [String: TemplateParameter]?
    public var tags: [String]?
    public var metadata: [String: JSONValue]?

    public init(
        name: String? = nil, description: String? = nil, definition: JSONValue? = nil,
        workflowDefinitionID: String? = nil, workflowDefinitionVersion: Int? = nil,
        parameters: [String: TemplateParameter]? = nil, tags: [String]? = nil, metadata: [String: JSONValue]? = nil
    ) {
        self.name = name
        self.description = description
        self.definition = definition
        self.workflowDefinitionID = workflowDefinitionID
        self.workflowDefinitionVersion = workflowDefinitionVersion
        self.parameters = parameters
        self.tags = tags
        self.metadata = metadata
    }

    /// Reads a request body. Throws `invalid_request` when it is not an object and
    /// `invalid_template` listing every mistyped or contradictory field.
    public static func decode(_ value: JSONValue) throws -> TemplateDraft {
        guard let members = value.objectValue else {
            throw HarmoniaError(.invalidRequest, "a template must be a JSON object, not \(value.typeName)")
        }
        let root = LenientObject(members, path: "")
        var problems = ProblemList()
        var draft = TemplateDraft()
        draft.name = root.string("name", code: .invalidTemplate, problems: &problems)
        if let name = draft.name, name.allSatisfy(\.isWhitespace) {
            problems.add(.invalidTemplate, "name must not be empty", path: "name")
        }
        draft.description = root.string("description", code: .invalidTemplate, problems: &problems)
        if let field = root.field("definition", aliases: ["workflow_definition", "workflowDefinition", "workflow"]) {
            if field.value.objectValue == nil {
                problems.add(
                    .invalidTemplate, "\(field.path) must be a workflow definition object, got \(field.value.typeName)",
                    path: field.path)
            } else {
                draft.definition = field.value
            }
        }
        draft.workflowDefinitionID = root.string(
            "workflow_definition_id", aliases: ["workflowDefinitionID", "workflow_id", "workflowId"], code: .invalidTemplate,
            problems: &problems)
        draft.workflowDefinitionVersion = root.integer(
            "workflow_definition_version", rule: .atLeast(1), code: .invalidTemplate, problems: &problems)
        if draft.definition != nil, draft.workflowDefinitionID != nil {
            problems.add(
                .invalidTemplate, "give either definition or workflow_definition_id, not both", path: "workflow_definition_id")
        }
        if let field = root.field("parameters") {
            draft.parameters = parameters(field, problems: &problems)
        }
        draft.tags = root.stringList("tags", code: .invalidTemplate, problems: &problems)
        draft.metadata = root.object("metadata", code: .invalidTemplate, problems: &problems)?.members
        try problems.throwIfAny()
        return draft
    }

    /// Parameters as `{"name": {...}}` or `[{"name": ..., ...}]`.
    private static func parameters(_ field: LenientObject.Field, problems: inout ProblemList) -> [String: TemplateParameter] {
        var result: [String: TemplateParameter] = [:]
        switch field.value {
        case .object(let members):
            for name in members.keys.sorted() {
                let path = JSONPath.appending(field.path, key: name)
                if let parameter = parameter(members[name]!, path: path, problems: &problems) { result[name] = parameter }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                let path = JSONPath.appending(field.path, index: index)
                guard let object = element.objectValue else {
                    problems.add(.invalidTemplate, "\(path) must be an object, got \(element.typeName)", path: path)
                    continue
                }
                let lenient = LenientObject(object, path: path)
                guard let name = lenient.requiredString("name", code: .invalidTemplate, problems: &problems) else { continue }
                if result[name] != nil {
                    problems.add(.invalidTemplate, "\(path) declares parameter '\(name)' a second time", path: path)
                    continue
                }
                if let parameter = parameter(element, path: path, problems: &problems) { result[name] = parameter }
            }
        default:
            problems.add(
                .invalidTemplate, "\(field.path) must be an object keyed by parameter name, got \(field.value.typeName)",
                path: field.path)
        }
        return result
    }

    /// One declaration; nil when its type is missing or unknown (nothing else can be judged).
    private static func parameter(_ value: JSONValue, path: String, problems: inout ProblemList) -> TemplateParameter? {
        guard let members = value.objectValue else {
            problems.add(.invalidTemplate, "\(path) must be an object with a type, got \(value.typeName)", path: path)
            return nil
        }
        let object = LenientObject(members, path: path)
        guard let typeName = object.requiredString("type", code: .invalidTemplate, problems: &problems) else { return nil }
        guard let type = ParameterType(named: typeName) else {
            let known = ParameterType.allCases.map(\.rawValue).joined(separator: ", ")
            let at = object.missingPath("type")
            problems.add(.invalidTemplate, "\(at) '\(typeName)' is not a parameter type (use one of \(known))", path: at)
            return nil
        }
        var allowed: [JSONValue]?
        if let field = object.field("enum", aliases: ["allowed_values", "allowedValues"]) {
            if let values = field.value.arrayValue {
                allowed = values
            } else {
                problems.add(.invalidTemplate, "\(field.path) must be an array of values, got \(field.value.typeName)", path: field.path)
            }
        }
        let parameter = TemplateParameter(
            type: type,
            required: object.bool("required", code: .invalidTemplate, problems: &problems) ?? false,
            defaultValue: object.field("default", aliases: ["default_value", "defaultValue"])?.value,
            allowedValues: allowed,
            minimum: object.number("minimum", code: .invalidTemplate, problems: &problems),
            maximum: object.number("maximum", code: .invalidTemplate, problems: &problems),
            minLength: object.integer("min_length", code: .invalidTemplate, problems: &problems),
            maxLength: object.integer("max_length", code: .invalidTemplate, problems: &problems),
            pattern: object.string("pattern", code: .invalidTemplate, problems: &problems),
            description: object.string("description", code: .invalidTemplate, problems: &problems) ?? "")
        // Checked here too, so a body with an unknown type and contradictory bounds elsewhere
        // hears about both in one answer.
        parameter.declarationProblems(path: path, problems: &problems)
        return parameter
    }
}
