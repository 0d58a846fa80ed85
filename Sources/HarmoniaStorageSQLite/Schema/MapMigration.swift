import GRDB

/// The "v7" migration: one row per instance of a map task (`for_each`).
///
/// Kept apart from `Migrations.swift` so the branches that add "v5" and "v6" merge without
/// touching the same lines; registered after "v4". Columns follow `task_runs` (same
/// encodings) plus the instance's index and item; the primary key orders an execution's
/// instances of one task by index, which is how they are read and listed.
enum MapMigration {
    static func v7(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE task_instances (
                execution_id TEXT NOT NULL REFERENCES executions(id),
                task_id TEXT NOT NULL,
                idx INTEGER NOT NULL,
                item TEXT NOT NULL,
                status TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                retries INTEGER NOT NULL,
                input TEXT,
                output TEXT,
                error TEXT,
                started_at INTEGER,
                finished_at INTEGER,
                next_attempt_at INTEGER,
                timeout_at INTEGER,
                PRIMARY KEY (execution_id, task_id, idx)
            ) WITHOUT ROWID
            """)
    }
}
