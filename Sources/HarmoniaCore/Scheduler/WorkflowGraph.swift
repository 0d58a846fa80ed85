/// The DAG of a workflow definition, indexed once and shared by all its executions.
///
/// Tasks are addressed by their position in `definition.tasks`; `dependencies[i]` and
/// `dependents[i]` hold positions. Conditions are parsed here once rather than on every
/// dispatch.
public struct WorkflowGraph: Sendable {
    public let definition: WorkflowDefinition
    /// Task id → position in `definition.tasks`.
    public let index: [String: Int]
    public let dependencies: [[Int]]
    public let dependents: [[Int]]
    /// Positions in dependency order (Kahn's algorithm, ties broken by position). Tasks on a
    /// cycle, which validation rejects, are appended at the end.
    public let topologicalOrder: [Int]
    /// Parsed conditions by position; nil where the task has none. A condition that does not
    /// parse (only possible for definitions stored before validation rules tightened) is kept
    /// as its error so the task fails with it at dispatch.
    let conditions: [Result<Condition, HarmoniaError>?]
    /// Whether a task's input holds any `${`: a task without expressions or a condition is
    /// dispatched with its input as written, without building an expression context.
    let inputHasExpressions: [Bool]

    public init(definition: WorkflowDefinition) {
        self.definition = definition
        var index: [String: Int] = [:]
        index.reserveCapacity(definition.tasks.count)
        for (i, task) in definition.tasks.enumerated() where index[task.id] == nil { index[task.id] = i }
        var dependencies: [[Int]] = Array(repeating: [], count: definition.tasks.count)
        var dependents: [[Int]] = Array(repeating: [], count: definition.tasks.count)
        for (i, task) in definition.tasks.enumerated() {
            for dep in task.dependsOn {
                guard let d = index[dep], d != i, !dependencies[i].contains(d) else { continue }
                dependencies[i].append(d)
                dependents[d].append(i)
            }
        }
        self.index = index
        self.dependencies = dependencies
        self.dependents = dependents
        var remaining = dependencies.map(\.count)
        var heap = IndexHeap()
        for (i, n) in remaining.enumerated() where n == 0 { heap.push(i) }
        var order: [Int] = []
        order.reserveCapacity(definition.tasks.count)
        var placed = Array(repeating: false, count: definition.tasks.count)
        while let i = heap.pop() {
            order.append(i)
            placed[i] = true
            for d in dependents[i] {
                remaining[d] -= 1
                if remaining[d] == 0 { heap.push(d) }
            }
        }
        for i in placed.indices where !placed[i] { order.append(i) }
        self.topologicalOrder = order
        self.inputHasExpressions = definition.tasks.map { Self.containsExpression($0.input) }
        self.conditions = definition.tasks.enumerated().map { i, task in
            let raw = task.condition ?? task.metadata["condition"]
            guard let raw, !raw.isNull else { return nil }
            let path = "tasks.\(task.id).condition"
            do { return .success(try Condition.parse(raw, path: path)) } catch let error as HarmoniaError {
                return .failure(error)
            } catch {
                return .failure(HarmoniaError(.malformedExpression, "\(error)", path: path))
            }
        }
    }

    public var count: Int { definition.tasks.count }

    /// True when a string anywhere inside `value` contains `${` (object keys are never
    /// resolved, so they do not count).
    static func containsExpression(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let string): return string.utf8.count >= 3 && string.contains("${")
        case .array(let elements): return elements.contains(where: containsExpression)
        case .object(let members): return members.values.contains(where: containsExpression)
        default: return false
        }
    }

    public func task(at position: Int) -> TaskDefinition { definition.tasks[position] }
}
