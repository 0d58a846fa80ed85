import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine

/// Checks, when a workflow is stored, the components and actions its tasks name against
/// what the server knows now, so a typo fails at once rather than at run time.
///
/// A component that is known and declares its actions must declare the task's action:
/// otherwise the definition is refused (`unknown_action`, one problem per task, naming the
/// known actions). A component nobody knows is accepted with a warning, because Hermes or a
/// plugin reload may still bring it before the workflow runs; so is a known component that
/// cannot be called now. Pure: the caller supplies what is known.
struct ComponentReferenceCheck: Sendable {
    /// What the server knows of one component.
    enum Knowledge: Sendable, Equatable {
        /// Callable now, with these actions (empty: the actions are not known).
        case available(actions: [String])
        /// Known (loaded, configured or discovered) but not callable now, with why.
        case unavailable(actions: [String], reason: String)
        /// Never heard of.
        case unknown
    }

    /// The knowledge of a component, by its lower-cased name.
    let lookup: @Sendable (String) -> Knowledge
    /// The names of the known components, for the warning about an unknown one.
    let known: [String]

    /// The warnings for `definition`; throws `unknown_action` (400) listing every task whose
    /// known component does not declare its action.
    func check(_ definition: WorkflowDefinition) throws -> [HarmoniaError.Problem] {
        var problems: [HarmoniaError.Problem] = []
        var warnings: [HarmoniaError.Problem] = []
        for task in definition.tasks {
            let component = task.component.lowercased()
            let taskPath = "tasks.\(task.id)"
            let actions: [String]
            switch lookup(component) {
            case .available(let declared):
                actions = declared
            case .unavailable(let declared, let reason):
                actions = declared
                warnings.append(
                    .init(
                        code: HarmoniaError.Code.componentUnavailable.rawValue,
                        message: "task '\(task.id)': component '\(task.component)' cannot be called now (\(reason))",
                        path: "\(taskPath).component"))
            case .unknown:
                let names = known.isEmpty ? "none" : known.joined(separator: ", ")
                warnings.append(
                    .init(
                        code: "unknown_component",
                        message:
                            "task '\(task.id)': no component named '\(task.component)' is known (known: \(names)); its tasks fail unless a plugin or Hermes brings it before they run",
                        path: "\(taskPath).component"))
                continue
            }
            guard !actions.isEmpty, !actions.contains(task.action) else { continue }
            problems.append(
                .init(
                    code: HarmoniaError.Code.unknownAction.rawValue,
                    message:
                        "task '\(task.id)': component '\(task.component)' has no action '\(task.action)' (known actions: \(actions.joined(separator: ", ")))",
                    path: "\(taskPath).action"))
        }
        if let first = problems.first {
            throw HarmoniaError(.unknownAction, first.message, path: first.path, problems: problems)
        }
        return warnings
    }
}

extension ComponentReferenceCheck {
    /// The check against a server's adapters and, when there is one, its plugin catalog.
    init(adapters: AdapterRegistry, catalog: ComponentCatalog?) {
        let list = catalog?.list()
        var knowledge: [String: Knowledge] = [:]
        for component in list?.components ?? [] {
            knowledge[component.name.lowercased()] =
                component.available
                ? .available(actions: component.actions)
                : .unavailable(actions: component.actions, reason: component.reason ?? "not available")
        }
        for adapter in adapters.all where knowledge[adapter.component.lowercased()] == nil {
            knowledge[adapter.component.lowercased()] = .available(actions: adapter.actions.map(\.name))
        }
        let snapshot = knowledge
        self.init(lookup: { snapshot[$0] ?? .unknown }, known: snapshot.keys.sorted())
    }
}
