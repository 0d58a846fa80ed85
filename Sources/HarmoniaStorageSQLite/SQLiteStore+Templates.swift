import Foundation
import GRDB
import HarmoniaCore

/// Templates: an immutable row per version, a head row per template pointing at the newest
/// version (with the soft-delete mark), and the newest version's tags for filtering.
///
/// Templates change at human pace, so these go through GRDB's ordinary statements rather
/// than the group-commit fast path.
extension SQLiteStore {
    public func saveTemplate(_ template: WorkflowTemplate) async throws {
        let text = try StoredTemplate.text(template)
        let createdAt = try StoredDate.milliseconds(template.createdAt)
        let updatedAt = try StoredDate.milliseconds(template.updatedAt)
        let id = template.id
        let name = template.name
        let version = template.version
        let tags = Array(Set(template.tags)).sorted()
        try await writing("save template \(id)") { db in
            // As for workflows: the head describes the highest version, and saving a new
            // version of a deleted template makes it live again.
            try db.cachedStatement(sql: """
                INSERT INTO templates (id, name, latest_version, created_at, updated_at, deleted_at)
                VALUES (?, ?, ?, ?, ?, NULL)
                ON CONFLICT (id) DO UPDATE SET
                    name = excluded.name, latest_version = excluded.latest_version,
                    updated_at = excluded.updated_at, deleted_at = NULL
                WHERE excluded.latest_version > templates.latest_version
                """
            ).execute(arguments: [id, name, version, createdAt, updatedAt])
            do {
                try db.cachedStatement(sql: """
                    INSERT INTO template_versions (template_id, version, name, document, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """
                ).execute(arguments: [id, version, name, text, updatedAt])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw HarmoniaError(.conflict, "template \(id) version \(version) already exists")
            }
            // Only the newest version's tags are searchable.
            let latest = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT latest_version FROM templates WHERE id = ?"), arguments: [id])
            guard latest == version else { return }
            try db.cachedStatement(sql: "DELETE FROM template_tags WHERE template_id = ?").execute(arguments: [id])
            let insertTag = try db.cachedStatement(sql: "INSERT INTO template_tags (template_id, tag) VALUES (?, ?)")
            for tag in tags { try insertTag.execute(arguments: [id, tag]) }
        }
    }

    public func template(id: String, version: Int?) async throws -> WorkflowTemplate? {
        try await reading("read template \(id)") { db in
            let text: String?
            if let version {
                text = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT document FROM template_versions WHERE template_id = ? AND version = ?"),
                    arguments: [id, version])
            } else {
                text = try String.fetchOne(
                    db.cachedStatement(sql: """
                        SELECT v.document FROM templates t
                        JOIN template_versions v ON v.template_id = t.id AND v.version = t.latest_version
                        WHERE t.id = ? AND t.deleted_at IS NULL
                        """),
                    arguments: [id])
            }
            return try text.map(StoredTemplate.template)
        }
    }

    public func listTemplates(tag: String?, name: String?, limit: Int, offset: Int) async throws -> [WorkflowTemplate] {
        let limit = max(0, limit)
        let offset = max(0, offset)
        return try await reading("list templates") { db in
            var filters = ""
            var arguments: StatementArguments = []
            if let tag {
                filters += " AND EXISTS (SELECT 1 FROM template_tags g WHERE g.template_id = t.id AND g.tag = ?)"
                arguments += [tag]
            }
            if let name {
                filters += " AND t.name = ?"
                arguments += [name]
            }
            arguments += [limit, offset]
            let texts = try String.fetchAll(
                db.cachedStatement(sql: """
                    SELECT v.document FROM templates t
                    JOIN template_versions v ON v.template_id = t.id AND v.version = t.latest_version
                    WHERE t.deleted_at IS NULL\(filters)
                    ORDER BY t.updated_at DESC, t.id
                    LIMIT ? OFFSET ?
                    """),
                arguments: arguments)
            return try texts.map(StoredTemplate.template)
        }
    }

    public func deleteTemplate(id: String) async throws -> Bool {
        let now = try StoredDate.milliseconds(Date())
        return try await writing("delete template \(id)") { db in
            try db.cachedStatement(sql: "UPDATE templates SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")
                .execute(arguments: [now, id])
            return db.changesCount > 0
        }
    }
}
