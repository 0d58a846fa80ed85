import Foundation
import GRDB
import HarmoniaCore

/// Workflow definitions: an immutable row per version plus a head row per workflow that
/// points at the newest version and carries the soft-delete mark.
extension SQLiteStore {
    public func saveWorkflow(_ definition: WorkflowDefinition) async throws {
        let text = try StoredDefinition.text(definition)
        let createdAt = try StoredDate.milliseconds(definition.createdAt)
        let updatedAt = try StoredDate.milliseconds(definition.updatedAt)
        let id = definition.id
        let name = definition.name
        let version = definition.version
        // After the write, committed or not: a stale head must never outlive it.
        defer { definitions.headChanged(id: id) }
        try await writing("save workflow \(id)") { db in
            // The head always describes the highest version; saving a higher version of a
            // deleted workflow makes it live again, since saving is an explicit act.
            try db.cachedStatement(sql: """
                INSERT INTO workflows (id, name, latest_version, created_at, updated_at, deleted_at)
                VALUES (?, ?, ?, ?, ?, NULL)
                ON CONFLICT (id) DO UPDATE SET
                    name = excluded.name, latest_version = excluded.latest_version,
                    updated_at = excluded.updated_at, deleted_at = NULL
                WHERE excluded.latest_version > workflows.latest_version
                """
            ).execute(arguments: [id, name, version, createdAt, updatedAt])
            // A version row's created_at is when that version was saved: its updatedAt.
            do {
                try db.cachedStatement(sql: """
                    INSERT INTO workflow_versions (workflow_id, version, name, definition, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """
                ).execute(arguments: [id, version, name, text, updatedAt])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw HarmoniaError(.conflict, "workflow \(id) version \(version) already exists")
            }
        }
        // Decoded once here, so the first start of a large workflow does not pay for it
        // (10,000 tasks: about 0.1 s). From the stored text rather than the argument, so the
        // cache holds exactly what a later read would decode (see StoredDefinition's caveat).
        if let stored = try? StoredDefinition.definition(text) {
            definitions.store(stored, id: id, version: version)
        }
    }

    public func workflow(id: String, version: Int?) async throws -> WorkflowDefinition? {
        if let wanted = version ?? definitions.latestVersion(id: id),
            let cached = definitions.definition(id: id, version: wanted)
        {
            return cached
        }
        let definitions = self.definitions
        let generation = definitions.generation
        return try await reading("read workflow \(id)") { db in
            // Without a version: the head row says which is newest (and whether the workflow
            // was deleted); the decoded version may then come from the cache.
            let wanted: Int
            if let version {
                wanted = version
            } else {
                guard
                    let latest = try Int.fetchOne(
                        db.cachedStatement(sql: "SELECT latest_version FROM workflows WHERE id = ? AND deleted_at IS NULL"),
                        arguments: [id])
                else { return nil }
                definitions.storeLatest(latest, id: id, readAt: generation)
                if let cached = definitions.definition(id: id, version: latest) { return cached }
                wanted = latest
            }
            guard
                let text = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT definition FROM workflow_versions WHERE workflow_id = ? AND version = ?"),
                    arguments: [id, wanted])
            else { return nil }
            let definition = try StoredDefinition.definition(text)
            definitions.store(definition, id: id, version: wanted)
            return definition
        }
    }

    public func listWorkflows(name: String?, limit: Int, offset: Int) async throws -> [WorkflowDefinition] {
        let limit = max(0, limit)
        let offset = max(0, offset)
        return try await reading("list workflows") { db in
            let filter = name == nil ? "" : "AND w.name = ?"
            var arguments: StatementArguments = []
            if let name { arguments += [name] }
            arguments += [limit, offset]
            let texts = try String.fetchAll(
                db.cachedStatement(sql: """
                    SELECT v.definition FROM workflows w
                    JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.latest_version
                    WHERE w.deleted_at IS NULL \(filter)
                    ORDER BY w.updated_at DESC, w.id
                    LIMIT ? OFFSET ?
                    """),
                arguments: arguments)
            return try texts.map(StoredDefinition.definition)
        }
    }

    public func deleteWorkflow(id: String) async throws -> Bool {
        let now = try StoredDate.milliseconds(Date())
        defer { definitions.headChanged(id: id) }
        return try await writing("delete workflow \(id)") { db in
            try db.cachedStatement(sql: "UPDATE workflows SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")
                .execute(arguments: [now, id])
            return db.changesCount > 0
        }
    }
}
