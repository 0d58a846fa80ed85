/// Checks a template as a whole before it is stored, so a broken template is refused when
/// it is written rather than when someone first tries to use it.
///
/// Checked: a name; a definition object; parameter names and declarations (rules that fit
/// the type, consistent bounds, compiling patterns, defaults and allowed values that obey
/// the rules); every placeholder well-formed and naming a declared parameter. When every
/// parameter can do without a value (a default, or optional), the template is also
/// instantiated with those values and the resulting workflow validated, so a definition
/// that could never work is caught too. All problems are reported at once.
public enum TemplateValidator {
    /// Throws `invalid_template` or `undeclared_parameter` listing every problem.
    public static func validate(_ template: WorkflowTemplate) throws {
        var problems = ProblemList()
        if template.name.allSatisfy(\.isWhitespace) {
            problems.add(.invalidTemplate, "name is required", path: "name")
        }
        for tag in template.tags where tag.allSatisfy(\.isWhitespace) {
            problems.add(.invalidTemplate, "tags must not be blank", path: "tags")
        }
        for name in template.parameterNames {
            let path = JSONPath.appending("parameters", key: name)
            if !ParameterPlaceholders.isValidName(name) {
                problems.add(
                    .invalidTemplate,
                    "\(path): '\(name)' is not a valid parameter name (letters, digits, _ and -, starting with a letter or _)",
                    path: path)
            }
            template.parameters[name]!.declarationProblems(path: path, problems: &problems)
        }
        guard template.definition.objectValue != nil else {
            problems.add(
                .invalidTemplate, "definition must be a workflow definition object, got \(template.definition.typeName)",
                path: "definition")
            try problems.throwIfAny()
            return
        }
        let (found, malformed) = ParameterPlaceholders.references(in: template.definition, path: "definition")
        for reference in malformed {
            problems.add(
                .invalidTemplate, "\(reference.path): \(reference.name) is not a parameter placeholder; write ${params.NAME}",
                path: reference.path)
        }
        var reported: Set<String> = []
        for reference in found where template.parameters[reference.name] == nil && reported.insert(reference.name).inserted {
            let declared = template.parameterNames.isEmpty ? "none" : template.parameterNames.joined(separator: ", ")
            problems.add(
                .undeclaredParameter,
                "\(reference.path) uses ${params.\(reference.name)}, but the template declares no parameter '\(reference.name)' (declared: \(declared))",
                path: reference.path)
        }
        try problems.throwIfAny()
        try checkDefaultInstance(template)
    }

    /// Instantiates with no values when that is possible; any problem of the resulting
    /// workflow is a problem of the template.
    private static func checkDefaultInstance(_ template: WorkflowTemplate) throws {
        guard let values = try? TemplateInstantiator.resolveValues(template, values: [:]) else { return }
        do {
            _ = try TemplateInstantiator.instantiate(template, resolved: values)
        } catch let error as HarmoniaError {
            var problems = ProblemList()
            let single = HarmoniaError.Problem(code: error.code.rawValue, message: error.message, path: error.path)
            for problem in error.problems.isEmpty ? [single] : error.problems {
                let path = problem.path.map { $0.isEmpty || $0.hasPrefix("[") ? "definition\($0)" : "definition.\($0)" }
                problems.add(
                    .invalidTemplate, "with its default values the template's workflow is invalid: \(problem.message)",
                    path: path)
            }
            try problems.throwIfAny()
        }
    }
}
