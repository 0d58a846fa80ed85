import Foundation
import HarmoniaClient
import HarmoniaCore

/// What `harmonia run FILE` stores: the newest stored workflow with the file's name when
/// its definition is the same, a new version of it when the definition changed, and a new
/// workflow only when none has that name. Running one file again and again then leaves one
/// workflow, whose versions say how the file changed, instead of a pile of copies.
enum WorkflowReuse {
    /// What happened to the file's definition.
    enum Outcome: Equatable {
        case created
        case reused(version: Int)
        case updated(version: Int)
    }

    /// Creates, reuses or updates the workflow for `definition`; says which on stderr.
    static func store(_ definition: JSONValue, api: HarmoniaClient) async throws -> (WorkflowView, Outcome) {
        guard let stored = try await newestNamedLike(definition, api: api) else {
            return (try await api.createWorkflow(definition), .created)
        }
        let id = stored.workflowID
        if sameDefinition(definition, as: stored.definition) {
            return (stored, .reused(version: stored.definition.version))
        }
        let updated = try await api.updateWorkflow(id: id, definition)
        return (updated, .updated(version: updated.definition.version))
    }

    /// The newest stored workflow with the file's name; nil when the file names its own id
    /// (the server decides what that means) or no stored workflow has the name.
    private static func newestNamedLike(_ definition: JSONValue, api: HarmoniaClient) async throws -> WorkflowView? {
        guard let object = definition.objectValue, object["id"] == nil, object["workflow_id"] == nil,
            object["workflowId"] == nil, let name = object["name"]?.stringValue, !name.isEmpty
        else { return nil }
        return try await api.listWorkflows(name: name, limit: 1).workflows.first
    }

    /// Whether the file's definition, read and normalized as the server does, equals the
    /// stored one apart from what storing adds (id, version, timestamps). A definition that
    /// does not validate is never the same: creating it lets the server list its problems.
    static func sameDefinition(_ definition: JSONValue, as stored: WorkflowDefinition) -> Bool {
        guard var local = try? DefinitionValidator.validate(DefinitionParser.decode(definition)) else { return false }
        local.id = stored.id
        local.version = stored.version
        local.createdAt = stored.createdAt
        local.updatedAt = stored.updatedAt
        var stored = stored
        // Tasks given as an object come back sorted by id; the order carries no meaning there.
        local.tasks.sort { $0.id < $1.id }
        stored.tasks.sort { $0.id < $1.id }
        return canonical(local) == canonical(stored)
    }

    /// The definition as sorted JSON, so values that decode alike compare alike.
    private static func canonical(_ definition: WorkflowDefinition) -> Data? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try? encoder.encode(definition)
    }
}
