extension DefinitionParser {
    /// Reads `tasks` in either accepted shape.
    ///
    /// - An object keyed by task id: each task's `id` and `name` default to its key. JSON
    ///   objects carry no order, so these tasks are taken in key order (sorted), which keeps
    ///   the result deterministic; clients that care about tie-break order use the array form.
    /// - An array of tasks: `id` defaults to `name` and `name` to `id`; one of them is needed.
    static func decodeTasks(_ root: LenientObject, problems: inout ProblemList) -> [TaskDefinition] {
        guard let field = root.field("tasks") else {
            problems.add(.emptyWorkflow, "tasks is required: a workflow needs at least one task", path: "tasks")
            return []
        }
        var tasks: [TaskDefinition] = []
        switch field.value {
        case .object(let byID):
            tasks.reserveCapacity(byID.count)
            for key in byID.keys.sorted() {
                let path = JSONPath.appending(field.path, key: key)
                if let task = decodeTask(byID[key]!, path: path, key: key, problems: &problems) {
                    tasks.append(task)
                }
            }
        case .array(let list):
            tasks.reserveCapacity(list.count)
            for (index, element) in list.enumerated() {
                let path = JSONPath.appending(field.path, index: index)
                if let task = decodeTask(element, path: path, key: nil, problems: &problems) {
                    tasks.append(task)
                }
            }
        default:
            let message = "\(field.path) must be an object keyed by task id or an array of tasks, got \(field.value.typeName)"
            problems.add(.invalidDefinition, message, path: field.path)
            return []
        }
        if field.value.objectValue?.isEmpty == true || field.value.arrayValue?.isEmpty == true {
            problems.add(.emptyWorkflow, "\(field.path) is empty: a workflow needs at least one task", path: field.path)
        }
        return tasks
    }

    /// Reads one task; nil when it is unusable (problems are recorded either way).
    private static func decodeTask(
        _ value: JSONValue, path: String, key: String?, problems: inout ProblemList
    ) -> TaskDefinition? {
        guard let members = value.objectValue else {
            problems.add(.invalidDefinition, "\(path) must be an object, got \(value.typeName)", path: path)
            return nil
        }
        let task = LenientObject(members, path: path)
        let before = problems.count
        task.checkSpellings(problems: &problems)

        let idField = task.field("id", aliases: ["task_id", "taskId"])
        let explicitID = task.string("id", aliases: ["task_id", "taskId"], problems: &problems)
        let explicitName = task.string("name", problems: &problems)
        var id: String?
        if let explicitID, let idField {
            id = nonEmpty(explicitID)
            if id == nil { problems.add(.invalidDefinition, "\(idField.path) must not be empty", path: idField.path) }
        } else if idField == nil {
            id = key ?? nonEmpty(explicitName)
            if id == nil, explicitName != nil || task.field("name") == nil {
                let idPath = JSONPath.appending(path, key: "id")
                problems.add(.invalidDefinition, "\(path) needs an id or a name", path: idPath)
            }
        }
        let component = task.requiredString("component", problems: &problems)?.lowercased()
        let action = task.requiredString("action", problems: &problems)
        let input = task.object("input", aliases: ["parameters"], problems: &problems)?.members
        let dependsOn = task.stringList("depends_on", aliases: ["dependencies"], problems: &problems)
        let metadata = task.object("metadata", problems: &problems)?.members ?? [:]
        let condition = task.field("condition")?.value ?? metadata["condition"].flatMap { $0.isNull ? nil : $0 }
        let retryPolicy = decodeRetryPolicy(task, problems: &problems)
        let timeout = task.number("timeout", rule: .duration(greaterThan: 0), problems: &problems)
        let (forEach, mapConcurrency) = decodeMap(task, problems: &problems)

        guard problems.count == before, let id, let component, let action else { return nil }
        return TaskDefinition(
            id: id, name: nonEmpty(explicitName) ?? key ?? id, component: component, action: action,
            input: .object(input ?? [:]), dependsOn: dependsOn ?? [], condition: condition,
            retryPolicy: retryPolicy, timeout: timeout, metadata: metadata, forEach: forEach,
            maxConcurrency: mapConcurrency)
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }
}
