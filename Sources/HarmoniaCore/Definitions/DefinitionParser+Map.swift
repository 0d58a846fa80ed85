extension DefinitionParser {
    /// Reads a task's `for_each` (a list, or a string holding one `${...}` expression that
    /// must resolve to a list at run time) and its `max_concurrency`, which only a map task
    /// may have: on any other task it would look like a limit and limit nothing.
    static func decodeMap(_ task: LenientObject, problems: inout ProblemList) -> (JSONValue?, Int?) {
        var forEach: JSONValue?
        if let field = task.field("for_each") {
            switch field.value {
            case .array:
                forEach = field.value
            case .string(let text) where text.contains("${"):
                forEach = field.value
            default:
                problems.add(
                    .invalidDefinition,
                    "\(field.path) must be a list or a ${...} expression that yields one, such as ${tasks.fetch.output.items}; got \(field.value.typeName)",
                    path: field.path)
            }
        }
        let limit = task.integer("max_concurrency", rule: .atLeast(1), problems: &problems)
        if limit != nil, task.field("for_each") == nil, let field = task.field("max_concurrency") {
            problems.add(
                .invalidDefinition,
                "\(field.path) limits the instances of a map task; this task has no for_each (the workflow's own max_concurrency limits tasks)",
                path: field.path)
        }
        return (forEach, limit)
    }
}
