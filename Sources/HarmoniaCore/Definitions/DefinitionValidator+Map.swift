import Foundation

/// The rules of map tasks (`for_each`), checked with the other expression rules so each
/// problem names the task and the field.
extension DefinitionValidator {
    /// The references in a task's `for_each` (its expression, or expressions inside a
    /// literal list's items), with its path; they make the referenced tasks dependencies
    /// like any input reference.
    static func mapReferences(
        _ task: TaskDefinition, path: String, problems: inout ProblemList
    ) -> [(ExpressionReference, String)] {
        guard let forEach = task.forEach else { return [] }
        let forEachPath = JSONPath.appending(path, key: "for_each")
        var found: [(ExpressionReference, String)] = []
        collect(problems: &problems) {
            for reference in try Expressions.references(in: forEach, path: forEachPath) {
                found.append((reference, forEachPath))
            }
        }
        return found
    }

    /// `${item}` and `${index}` name the instance being dispatched, so they are allowed in the
    /// input of a map task only: not in another task, not in a condition (evaluated once for
    /// the whole task) and not in `for_each` itself (which makes the items).
    static func checkInstanceReference(
        _ reference: ExpressionReference, task: TaskDefinition, path: String, problems: inout ProblemList
    ) {
        guard reference.root == "item" || reference.root == "index" else { return }
        let taskPath = JSONPath.appending("tasks", key: task.id)
        if !task.isMap {
            problems.add(
                .invalidDefinition,
                "\(path) uses \(reference.text), but task '\(task.id)' has no for_each: ${item} and ${index} exist only in a map task's input",
                path: path)
        } else if !path.hasPrefix(JSONPath.appending(taskPath, key: "input")) {
            problems.add(
                .invalidDefinition,
                "\(path) uses \(reference.text): in map task '\(task.id)' ${item} and ${index} are allowed only in input",
                path: path)
        } else if reference.root == "index", !reference.segments.isEmpty {
            problems.add(.invalidDefinition, "\(path) uses \(reference.text): ${index} is a number and has no parts", path: path)
        }
    }

    /// A `for_each` string must be exactly one `${...}` (a list cannot be spliced into
    /// text), and no task may be named like an instance of a map task (`fan[3]`), the name
    /// instances go by at run time.
    static func checkMaps(_ definition: WorkflowDefinition, known: [String: Int], problems: inout ProblemList) {
        for task in definition.tasks where task.isMap {
            guard case .string(let text) = task.forEach else { continue }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let path = JSONPath.appending(JSONPath.appending("tasks", key: task.id), key: "for_each")
            if !(trimmed.hasPrefix("${") && trimmed.hasSuffix("}") && trimmed.dropFirst(2).firstIndex(of: "$") == nil) {
                problems.add(
                    .invalidDefinition,
                    "\(path) must be a single ${...} expression that yields a list, such as ${tasks.fetch.output.items}; got \"\(text)\"",
                    path: path)
            }
        }
        for task in definition.tasks {
            guard let key = TaskInstanceAddress.parse(task.id), let owner = known[key.taskID],
                definition.tasks[owner].isMap
            else { continue }
            let path = JSONPath.appending(JSONPath.appending("tasks", key: task.id), key: "id")
            problems.add(
                .invalidDefinition,
                "task id '\(task.id)' is the name of an instance of map task '\(key.taskID)'; choose another id",
                path: path)
        }
    }
}
