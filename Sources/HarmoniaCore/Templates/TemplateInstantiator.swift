import Foundation

/// Turns a template and parameter values into a validated, ready-to-save workflow.
///
/// Order matters: values are checked first (all problems at once, as `invalid_parameters`),
/// then substituted, and only then is the result decoded and validated as an ordinary
/// workflow, because `${params...}` is not a root the workflow validator accepts. The
/// workflow records where it came from in its metadata (`template_id`, `template_version`),
/// and is a new workflow of its own: later template versions do not touch it. An instance
/// of a template made from a saved workflow also gets the values as `default_input`.
public enum TemplateInstantiator {
    /// Metadata keys written on every instance.
    public static let templateIDKey = "template_id"
    public static let templateVersionKey = "template_version"

    /// The value every parameter takes: given values (checked against their rules), else
    /// defaults, else `null` for optional parameters. Throws `invalid_parameters` listing
    /// every missing, unknown or invalid value, each problem naming its parameter.
    public static func resolveValues(
        _ template: WorkflowTemplate, values: [String: JSONValue]
    ) throws -> [String: JSONValue] {
        var problems = ProblemList()
        var resolved: [String: JSONValue] = [:]
        let declared = template.parameterNames
        for name in values.keys.sorted() where template.parameters[name] == nil {
            let path = JSONPath.appending("parameter_values", key: name)
            let known = declared.isEmpty ? "it has none" : "it has " + declared.joined(separator: ", ")
            problems.add(.invalidParameters, "\(path): '\(name)' is not a parameter of this template (\(known))", path: path)
        }
        for name in declared {
            let parameter = template.parameters[name]!
            let path = JSONPath.appending("parameter_values", key: name)
            if let value = values[name], !value.isNull {
                parameter.check(value, path: path, code: .invalidParameters, problems: &problems)
                // `3.0` for an integer parameter is the integer 3, so it splices as "3".
                if parameter.type == .integer, case .double = value, let integer = value.intValue {
                    resolved[name] = .integer(integer)
                } else {
                    resolved[name] = value
                }
            } else if let defaultValue = parameter.defaultValue {
                resolved[name] = defaultValue
            } else if parameter.required {
                problems.add(.invalidParameters, "\(path) is required: parameter '\(name)' has no default", path: path)
            } else {
                resolved[name] = .null
            }
        }
        try problems.throwIfAny()
        return resolved
    }

    /// Checks `values`, substitutes them and returns the validated workflow (version 1,
    /// a new id unless `workflowID` is given), named `name` when given.
    ///
    /// The instance may be at most `maxBytes` of JSON (`payload_too_large` otherwise), checked
    /// before anything is substituted: a 100 KB value in 2,000 placeholders made a 191 MiB
    /// workflow, and building it first would cost that memory on every such request.
    public static func instantiate(
        _ template: WorkflowTemplate, values: [String: JSONValue], name: String? = nil,
        workflowID: String? = nil, now: Date = Date(), maxBytes: Int = defaultMaxInstanceBytes
    ) throws -> WorkflowDefinition {
        try instantiate(
            template, resolved: resolveValues(template, values: values), name: name, workflowID: workflowID, now: now,
            maxBytes: maxBytes)
    }

    /// The size of an instance allowed when the caller sets none: the default request body limit.
    public static let defaultMaxInstanceBytes = 1 << 20

    /// `instantiate` with values already resolved.
    static func instantiate(
        _ template: WorkflowTemplate, resolved: [String: JSONValue], name: String? = nil,
        workflowID: String? = nil, now: Date = Date(), maxBytes: Int = defaultMaxInstanceBytes
    ) throws -> WorkflowDefinition {
        try checkInstanceSize(template, resolved: resolved, maxBytes: maxBytes)
        var problems = ProblemList()
        let substituted = ParameterPlaceholders.substitute(
            template.definition, values: resolved, path: "", problems: &problems)
        try problems.throwIfAny()
        guard var members = substituted.objectValue else {
            throw ProblemList.single(
                .invalidDefinition, "the template's definition is not an object, got \(substituted.typeName)", path: nil)
        }
        if let name {
            members["name"] = .string(name)
        } else if members["name"] == nil || members["name"] == .null {
            members["name"] = .string(template.name)
        }
        // An instance is always a new workflow: an id inside the definition is ignored.
        var definition = try DefinitionParser.decode(
            .object(members), id: workflowID ?? UUID().uuidString.lowercased(), version: 1, now: now)
        definition.metadata[templateIDKey] = .string(template.id)
        definition.metadata[templateVersionKey] = .integer(template.version)
        if template.sourceWorkflowID != nil {
            definition.defaultInput = inputDefaults(definition.defaultInput, resolved: resolved)
        }
        return try DefinitionValidator.validate(definition)
    }

    /// A template made from a saved workflow hands its values to the workflow as input:
    /// such a workflow cannot hold `${params...}` (not a run-time root), but it reads its
    /// input, so the values become `default_input` and `${input.NAME}` sees them (an
    /// execution's own input still wins). Parameters without a value are left out, so they
    /// read as absent input rather than as `null`.
    static func inputDefaults(_ existing: [String: JSONValue]?, resolved: [String: JSONValue]) -> [String: JSONValue] {
        var defaults = existing ?? [:]
        for (name, value) in resolved where !value.isNull {
            defaults[name] = value
        }
        return defaults
    }

    /// Throws `payload_too_large` when the template's definition plus every placeholder's
    /// value (each placeholder counted once per use) would pass `maxBytes`. An estimate from
    /// sizes alone, so nothing of the instance is built to find out.
    static func checkInstanceSize(_ template: WorkflowTemplate, resolved: [String: JSONValue], maxBytes: Int) throws {
        var total = template.definition.encodedSize(upTo: maxBytes)
        var sizes: [String: Int] = [:]
        for reference in ParameterPlaceholders.references(in: template.definition, path: "").found {
            guard total <= maxBytes else { break }
            let size: Int
            if let known = sizes[reference.name] {
                size = known
            } else {
                size = resolved[reference.name]?.encodedSize(upTo: maxBytes) ?? 0
                sizes[reference.name] = size
            }
            total += size
        }
        guard total > maxBytes else { return }
        throw HarmoniaError(
            .payloadTooLarge,
            "the workflow instantiated from template '\(template.id)' would be larger than \(maxBytes) bytes (its parameter values are repeated by its placeholders); the limit is the request body limit",
            path: "parameter_values")
    }
}
