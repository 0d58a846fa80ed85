import GRDB

/// The versioned schema. Migrations are append-only: never edit a shipped one, add "v2".
///
/// Encoding choices, shared by every table:
/// - Dates are INTEGER milliseconds since the Unix epoch (`StoredDate`): exact, compact,
///   sortable, and readable with `datetime(x / 1000, 'unixepoch')`. Sub-millisecond
///   precision is dropped.
/// - JSON values are TEXT in the compact, key-sorted form of `JSONValue.jsonBytes()`, so equal
///   values are equal bytes and SQLite's json functions work on them.
/// - Statuses and event types are their Tekton strings.
///
/// Global ordering of events: `events.id` is an `AUTOINCREMENT` rowid. It only grows (never
/// reused, even after deletes), and because one writer commits batches in order, a reader
/// that has seen id N has also seen every committed id below N. An "all executions" stream
/// can therefore resume from the last id it delivered.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2", migrate: v2)
        migrator.registerMigration("v3", migrate: v3)
        migrator.registerMigration("v4", migrate: v4)
        migrator.registerMigration("v5", migrate: v5)
        migrator.registerMigration("v6", migrate: v6)
        migrator.registerMigration("v7", migrate: MapMigration.v7)
        return migrator
    }

    private static func v1(_ db: Database) throws {
        // The head row of each workflow: its newest version and whether it is deleted.
        try db.execute(sql: """
            CREATE TABLE workflows (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                latest_version INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                deleted_at INTEGER
            );
            CREATE INDEX workflows_name ON workflows(name);
            CREATE INDEX workflows_updated ON workflows(updated_at);

            -- Every stored version, kept after deletion so executions can read the version
            -- they run.
            CREATE TABLE workflow_versions (
                workflow_id TEXT NOT NULL REFERENCES workflows(id),
                version INTEGER NOT NULL,
                name TEXT NOT NULL,
                definition TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (workflow_id, version)
            );

            -- The current state of each execution. workflow_id is deliberately not a foreign
            -- key: the execution pins (workflow_id, workflow_version) and carries the name, so
            -- it stays readable whatever happens to the definition.
            CREATE TABLE executions (
                id TEXT PRIMARY KEY NOT NULL,
                workflow_id TEXT NOT NULL,
                workflow_version INTEGER NOT NULL,
                workflow_name TEXT NOT NULL,
                status TEXT NOT NULL,
                input TEXT NOT NULL,
                metadata TEXT NOT NULL,
                idempotency_key TEXT UNIQUE,
                error TEXT,
                created_at INTEGER NOT NULL,
                started_at INTEGER,
                finished_at INTEGER,
                updated_at INTEGER NOT NULL,
                deadline INTEGER,
                last_seq INTEGER NOT NULL,
                restored_from TEXT
            );
            CREATE INDEX executions_status ON executions(status, created_at);
            CREATE INDEX executions_workflow ON executions(workflow_id, created_at);
            CREATE INDEX executions_created ON executions(created_at);

            -- One row per task of each execution.
            CREATE TABLE task_runs (
                execution_id TEXT NOT NULL REFERENCES executions(id),
                task_id TEXT NOT NULL,
                status TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                retries INTEGER NOT NULL,
                input TEXT,
                output TEXT,
                error TEXT,
                reason TEXT,
                started_at INTEGER,
                finished_at INTEGER,
                next_attempt_at INTEGER,
                timeout_at INTEGER,
                PRIMARY KEY (execution_id, task_id)
            );

            -- The log. (execution_id, seq) is the per-execution order; id the global one.
            CREATE TABLE events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                execution_id TEXT NOT NULL REFERENCES executions(id),
                seq INTEGER NOT NULL,
                event_type TEXT NOT NULL,
                task_id TEXT,
                details TEXT NOT NULL,
                message TEXT NOT NULL,
                timestamp INTEGER NOT NULL,
                UNIQUE (execution_id, seq)
            );
            """)
    }

    /// Checkpoints: a snapshot of an execution at a log position. The snapshot is the
    /// checkpoint's canonical JSON (execution row and task rows); the log position is the
    /// `seq` of its `checkpoint_created` event, written in the same transaction.
    private static func v2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE checkpoints (
                id TEXT PRIMARY KEY NOT NULL,
                execution_id TEXT NOT NULL REFERENCES executions(id),
                seq INTEGER NOT NULL,
                reason TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                snapshot TEXT NOT NULL
            );
            CREATE INDEX checkpoints_execution ON checkpoints(execution_id, seq);
            """)
    }

    /// Workflow templates, versioned like workflows: a head row per template (newest version,
    /// soft-delete mark) and an immutable row per version holding the template's canonical
    /// JSON. `template_tags` holds the tags of each template's newest version, so listing by
    /// tag is an index lookup rather than a scan of every document.
    private static func v3(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE templates (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                latest_version INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                deleted_at INTEGER
            );
            CREATE INDEX templates_name ON templates(name);
            CREATE INDEX templates_updated ON templates(updated_at);

            CREATE TABLE template_versions (
                template_id TEXT NOT NULL REFERENCES templates(id),
                version INTEGER NOT NULL,
                name TEXT NOT NULL,
                document TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (template_id, version)
            );

            CREATE TABLE template_tags (
                template_id TEXT NOT NULL REFERENCES templates(id),
                tag TEXT NOT NULL,
                PRIMARY KEY (template_id, tag)
            );
            CREATE INDEX template_tags_tag ON template_tags(tag);
            """)
    }

    /// The scratch table of `probeWrite()`: always empty between transactions.
    private static func v4(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE storage_probe (id INTEGER PRIMARY KEY, filler BLOB NOT NULL)")
    }

    /// Signals and sub-workflow links. `signals` holds every signal an execution received:
    /// pending while `consumed_by` is NULL, then naming the task (and attempt) it completed.
    /// A child execution (`harmonia.run_workflow`) names its parent execution and task and
    /// its nesting depth; the parent's task finds the child by its derived id.
    private static func v5(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE signals (
                id TEXT PRIMARY KEY NOT NULL,
                execution_id TEXT NOT NULL REFERENCES executions(id),
                name TEXT NOT NULL,
                payload TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                consumed_by TEXT,
                consumed_attempt INTEGER,
                consumed_at INTEGER
            );
            CREATE INDEX signals_execution ON signals(execution_id, received_at);

            ALTER TABLE executions ADD COLUMN parent_execution_id TEXT;
            ALTER TABLE executions ADD COLUMN parent_task_id TEXT;
            ALTER TABLE executions ADD COLUMN parent_depth INTEGER;
            CREATE INDEX executions_parent ON executions(parent_execution_id, created_at);
            """)
    }

    /// Schedules (`SQLiteStore+Schedules`): one row per schedule with its trigger, policies
    /// and the cursor `next_due_at`; one row per due time acted on in `schedule_runs`.
    private static func v6(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE schedules (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                workflow_id TEXT NOT NULL,
                workflow_version INTEGER,
                cron TEXT,
                timezone TEXT,
                interval_seconds INTEGER,
                interval_anchor INTEGER,
                input TEXT NOT NULL,
                metadata TEXT NOT NULL,
                missed_runs TEXT NOT NULL,
                overlap TEXT NOT NULL,
                paused INTEGER NOT NULL,
                next_due_at INTEGER,
                start_at INTEGER,
                end_at INTEGER,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE INDEX schedules_created ON schedules(created_at, id);

            CREATE TABLE schedule_runs (
                schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
                due_at INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                recorded_at INTEGER NOT NULL,
                execution_id TEXT,
                canceled_execution_id TEXT,
                missed_count INTEGER NOT NULL,
                reason TEXT,
                PRIMARY KEY (schedule_id, due_at, outcome)
            );
            """)
    }
}
