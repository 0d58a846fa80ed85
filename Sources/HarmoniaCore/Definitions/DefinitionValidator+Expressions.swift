extension DefinitionValidator {
    /// Parses every expression in the task's input and its condition, records malformed ones
    /// and references to unknown tasks (or to the task itself), and returns the ids of the
    /// other tasks referenced, in order of first appearance.
    ///
    /// The input is walked here rather than handed whole to `Expressions.references`, so
    /// each problem carries the path of the very string that holds it
    /// (`tasks.b.input.headers.auth`) and one bad string does not hide the next.
    static func referencedTasks(
        _ task: TaskDefinition, path: String, known: [String: Int], problems: inout ProblemList
    ) -> [String] {
        var found: [(ExpressionReference, String)] = []
        var pending: [(JSONValue, String)] = [(task.input, JSONPath.appending(path, key: "input"))]
        while let (value, valuePath) = pending.popLast() {
            switch value {
            case .string(let text) where text.contains("${"):
                collect(problems: &problems) {
                    for reference in try Expressions.references(in: value, path: valuePath) {
                        found.append((reference, valuePath))
                    }
                }
            case .array(let elements):
                for (i, element) in elements.enumerated().reversed() {
                    pending.append((element, JSONPath.appending(valuePath, index: i)))
                }
            case .object(let members):
                for key in members.keys.sorted().reversed() {
                    pending.append((members[key]!, JSONPath.appending(valuePath, key: key)))
                }
            default:
                break
            }
        }
        if let condition = task.condition {
            let conditionPath = JSONPath.appending(path, key: "condition")
            collect(problems: &problems) {
                for reference in try Condition.parse(condition, path: conditionPath).references {
                    found.append((reference, conditionPath))
                }
            }
        }

        found += mapReferences(task, path: path, problems: &problems)

        var referenced: [String] = []
        var seen: Set<String> = []
        for (reference, referencePath) in found {
            checkInstanceReference(reference, task: task, path: referencePath, problems: &problems)
            guard let id = reference.taskID else { continue }
            if id == task.id {
                let message = "dependency cycle: \(id) -> \(id) (\(referencePath) refers to its own task in \(reference.text))"
                problems.add(.dependencyCycle, message, path: referencePath)
            } else if known[id] == nil {
                let message = "\(referencePath) refers to unknown task '\(id)' in \(reference.text)"
                problems.add(.unknownTaskReference, message, path: referencePath)
            } else if seen.insert(id).inserted {
                referenced.append(id)
            }
        }
        return referenced
    }

    /// Runs `body`, recording a thrown error as problems instead of stopping validation.
    static func collect(problems: inout ProblemList, _ body: () throws -> Void) {
        do {
            try body()
        } catch let error as HarmoniaError {
            problems.add(error)
        } catch {
            problems.add(.malformedExpression, "\(error)", path: nil)
        }
    }
}
