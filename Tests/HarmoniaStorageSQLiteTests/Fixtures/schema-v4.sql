PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
INSERT INTO grdb_migrations VALUES('v1');
INSERT INTO grdb_migrations VALUES('v2');
INSERT INTO grdb_migrations VALUES('v3');
INSERT INTO grdb_migrations VALUES('v4');
CREATE TABLE workflows (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    latest_version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);
INSERT INTO workflows VALUES('greet','greet',1,1796671277549,1796671277549,NULL);
INSERT INTO workflows VALUES('flaky','flaky',1,1796671277743,1796671277743,NULL);
INSERT INTO workflows VALUES('slow','slow',1,1796671277754,1796671277754,NULL);
CREATE TABLE workflow_versions (
    workflow_id TEXT NOT NULL REFERENCES workflows(id),
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workflow_id, version)
);
INSERT INTO workflow_versions VALUES('greet',1,'greet','{"created_at":1796671277549,"default_input":{"who":"World"},"description":"","fail_fast":false,"id":"greet","metadata":{},"name":"greet","tasks":[{"action":"echo","component":"harmonia","depends_on":[],"id":"hello","input":{"message":"Hello, ${input.who}!"},"metadata":{},"name":"hello"},{"action":"transform","component":"harmonia","depends_on":["hello"],"id":"shout","input":{"value":"${tasks.hello.output.result}"},"metadata":{},"name":"shout"}],"updated_at":1796671277549,"version":1}',1796671277549);
INSERT INTO workflow_versions VALUES('flaky',1,'flaky','{"created_at":1796671277743,"description":"","fail_fast":false,"id":"flaky","metadata":{},"name":"flaky","tasks":[{"action":"noop","component":"harmonia","depends_on":[],"id":"a","input":{},"metadata":{},"name":"a"},{"action":"fail","component":"harmonia","depends_on":["a"],"id":"b","input":{"message":"boom","retryable":true},"metadata":{},"name":"b","retry_policy":{"backoff_multiplier":2,"initial_delay":0.01,"jitter":0.1,"max_delay":60,"max_retries":3}},{"action":"noop","component":"harmonia","depends_on":["b"],"id":"c","input":{},"metadata":{},"name":"c"}],"updated_at":1796671277743,"version":1}',1796671277743);
INSERT INTO workflow_versions VALUES('slow',1,'slow','{"created_at":1796671277754,"description":"","fail_fast":false,"id":"slow","metadata":{},"name":"slow","tasks":[{"action":"sleep","component":"harmonia","depends_on":[],"id":"wait","input":{"seconds":600},"metadata":{},"name":"wait"}],"updated_at":1796671277754,"version":1}',1796671277754);
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
INSERT INTO executions VALUES('e7da34cf-4fb2-4535-83c7-7ea0de2d95a5','greet',1,'greet','completed','{"who":"Ada"}','{"team":"docs"}','greet-ada-1',NULL,1796671277775,1796671277775,1796671277779,1796671277779,NULL,6,NULL);
INSERT INTO executions VALUES('6bea7449-f8f5-4ffc-b5c3-6dd1b7604735','flaky',1,'flaky','failed','{}','{}',NULL,'{"code":"task_failed","message":"task(s) failed: b","retryable":false}',1796671277936,1796671277936,1796671278014,1796671278014,NULL,13,NULL);
INSERT INTO executions VALUES('0d22aa58-af47-4dfe-b63a-f6de67d4de27','slow',1,'slow','canceled','{}','{}',NULL,'{"code":"canceled","message":"fixture","retryable":false}',1796671278644,1796671278644,1796671280487,1796671280487,NULL,6,NULL);
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
INSERT INTO task_runs VALUES('e7da34cf-4fb2-4535-83c7-7ea0de2d95a5','hello','completed',1,0,'{"message":"Hello, Ada!"}','{"message":"Hello, Ada!","result":"Hello, Ada!"}',NULL,NULL,1796671277775,1796671277778,NULL,NULL);
INSERT INTO task_runs VALUES('e7da34cf-4fb2-4535-83c7-7ea0de2d95a5','shout','completed',1,0,'{"value":"Hello, Ada!"}','{"result":"Hello, Ada!"}',NULL,NULL,1796671277778,1796671277779,NULL,NULL);
INSERT INTO task_runs VALUES('6bea7449-f8f5-4ffc-b5c3-6dd1b7604735','a','completed',1,0,'{}','{}',NULL,NULL,1796671277936,1796671277938,NULL,NULL);
INSERT INTO task_runs VALUES('6bea7449-f8f5-4ffc-b5c3-6dd1b7604735','b','failed',4,3,'{"message":"boom","retryable":true}',NULL,'{"code":"task_failed","message":"boom","retryable":true}',NULL,1796671278013,1796671278014,NULL,NULL);
INSERT INTO task_runs VALUES('6bea7449-f8f5-4ffc-b5c3-6dd1b7604735','c','skipped',0,0,NULL,NULL,NULL,'dependency ''b'' failed',NULL,1796671278014,NULL,NULL);
INSERT INTO task_runs VALUES('0d22aa58-af47-4dfe-b63a-f6de67d4de27','wait','canceled',1,0,'{"seconds":600}',NULL,NULL,'fixture',1796671278644,1796671280487,NULL,NULL);
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
INSERT INTO events VALUES(1,'e7da34cf-4fb2-4535-83c7-7ea0de2d95a5',1,'workflow_started',NULL,'{"task_count":2,"workflow_id":"greet","workflow_name":"greet","workflow_version":1}','workflow ''greet'' started',1796671277775);
INSERT INTO events VALUES(2,'e7da34cf-4fb2-4535-83c7-7ea0de2d95a5',2,'task_started','hello','{"action":"echo","attempt":1,"component":"harmonia","task_name":"hello"}','task ''hello'' started (attempt 1)',1796671277775);
INSERT INTO events VALUES(3,'e7da34cf-4fb2-4535-83c7-7ea0de2d95a5',3,'task_completed','hello','{"attempt":1,"duration":0.0028105974197387695,"output":{"message":"Hello, Ada!","result":"Hello, Ada!"}}','task ''hello'' completed',1796671277778);
INSERT INTO events VALUES(4,'e7da34cf-4fb2-4535-83c7-7ea0de2d95a5',4,'task_started','shout','{"action":"transform","attempt":1,"component":"harmonia","task_name":"shout"}','task ''shout'' started (attempt 1)',1796671277778);
INSERT INTO events VALUES(5,'e7da34cf-4fb2-4535-83c7-7ea0de2d95a5',5,'task_completed','shout','{"attempt":1,"duration":0.0009129047393798828,"output":{"result":"Hello, Ada!"}}','task ''shout'' completed',1796671277779);
INSERT INTO events VALUES(6,'e7da34cf-4fb2-4535-83c7-7ea0de2d95a5',6,'workflow_completed',NULL,'{"duration":0.0037235021591186523,"task_count":2}','workflow completed',1796671277779);
INSERT INTO events VALUES(7,'6bea7449-f8f5-4ffc-b5c3-6dd1b7604735',1,'workflow_started',NULL,'{"task_count":3,"workflow_id":"flaky","workflow_name":"flaky","workflow_version":1}','workflow ''flaky'' started',1796671277936);
INSERT INTO events VALUES(8,'6bea7449-f8f5-4ffc-b5c3-6dd1b7604735',2,'task_started','a','{"action":"noop","attempt":1,"component":"harmonia","task_name":"a"}','task ''a'' started (attempt 1)',1796671277936);
INSERT INTO events VALUES(9,'6bea7449-f8f5-4ffc-b5c3-6dd1b7604735',3,'task_completed','a','{"attempt":1,"duration":0.0025742053985595703,"output":{}}','task ''a'' completed',1796671277938);
INSERT INTO events VALUES(10,'6bea7449-f8f5-4ffc-b5c3-6dd1b7604735',4,'task_started','b','{"action":"fail","attempt":1,"component":"harmonia","task_name":"b"}','task ''b'' started (attempt 1)',1796671277938);
INSERT INTO events VALUES(11,'6bea7449-f8f5-4ffc-b5c3-6dd1b7604735',5,'retry_attempted','b','{"attempt":1,"code":"task_failed","delay":0.009763830586956858,"error":"boom","max_retries":3,"retry_count":1}','task ''b'' failed (task_failed); retry 1 of 3 in 0.010 s',1796671277939);
INSERT INTO events VALUES(12,'6bea7449-f8f5-4ffc-b5c3-6dd1b7604735',6,'task_started','b','{"action":"fail","attempt":2,"component":"harmonia","task_name":"b"}','task ''b'' started (attempt 2)',1796671277949);
INSERT INTO events VALUES(13,'6bea7449-f8f5-4ffc-b5c3-6dd1b7604735',7,'retry_attempted','b','{"attempt":2,"code":"task_failed","delay":0.02036827810418994,"error":"boom","max_retries":3,"retry_count":2}','task ''b'' failed (task_failed); retry 2 of 3 in 0.020 s',1796671277950);
INSERT INTO events VALUES(14,'6bea7449-f8f5-4ffc-b5c3-6dd1b7604735',8,'task_started','b','{"action":"fail","attempt":3,"component":"harmonia","task_name":"b"}','task ''b'' started (attempt 3)',1796671277971);
INSERT INTO events VALUES(15,'6bea7449-f8f5-4ffc-b5c3-6dd1b7604735',9,'retry_attempted','b','{"attempt":3,"code":"task_failed","delay":0.040955667431253895,"error":"boom","max_retries":3,"retry_count":3}','task ''b'' failed (task_failed); retry 3 of 3 in 0.041 s',1796671277972);
INSERT INTO events VALUES(16,'6bea7449-f8f5-4ffc-b5c3-6dd1b7604735',10,'task_started','b','{"action":"fail","attempt":4,"component":"harmonia","task_name":"b"}','task ''b'' started (attempt 4)',1796671278013);
INSERT INTO events VALUES(17,'6bea7449-f8f5-4ffc-b5c3-6dd1b7604735',11,'task_failed','b','{"attempt":4,"code":"task_failed","error":"boom","retries":3,"retryable":true}','task ''b'' failed: boom',1796671278014);
INSERT INTO events VALUES(18,'6bea7449-f8f5-4ffc-b5c3-6dd1b7604735',12,'task_skipped','c','{"reason":"dependency ''b'' failed"}','task ''c'' skipped: dependency ''b'' failed',1796671278014);
INSERT INTO events VALUES(19,'6bea7449-f8f5-4ffc-b5c3-6dd1b7604735',13,'workflow_failed',NULL,'{"duration":0.07789623737335205,"error":"task(s) failed: b","failed_tasks":["b"]}','workflow failed: task(s) failed: b',1796671278014);
INSERT INTO events VALUES(20,'0d22aa58-af47-4dfe-b63a-f6de67d4de27',1,'workflow_started',NULL,'{"task_count":1,"workflow_id":"slow","workflow_name":"slow","workflow_version":1}','workflow ''slow'' started',1796671278644);
INSERT INTO events VALUES(21,'0d22aa58-af47-4dfe-b63a-f6de67d4de27',2,'task_started','wait','{"action":"sleep","attempt":1,"component":"harmonia","task_name":"wait"}','task ''wait'' started (attempt 1)',1796671278644);
INSERT INTO events VALUES(22,'0d22aa58-af47-4dfe-b63a-f6de67d4de27',3,'checkpoint_created',NULL,'{"checkpoint_id":"fc2cab42-de85-4f2e-86c0-4425e5a9041f","completed_tasks":0,"reason":"manual"}','checkpoint fc2cab42-de85-4f2e-86c0-4425e5a9041f created (manual)',1796671280421);
INSERT INTO events VALUES(23,'0d22aa58-af47-4dfe-b63a-f6de67d4de27',4,'checkpoint_created',NULL,'{"checkpoint_id":"824cd959-a5ff-4147-9c5f-432d40d8a76e","completed_tasks":0,"reason":"cancel"}','checkpoint 824cd959-a5ff-4147-9c5f-432d40d8a76e created (cancel)',1796671280487);
INSERT INTO events VALUES(24,'0d22aa58-af47-4dfe-b63a-f6de67d4de27',5,'task_canceled','wait','{"previous_status":"running","reason":"fixture"}','task ''wait'' canceled: fixture',1796671280487);
INSERT INTO events VALUES(25,'0d22aa58-af47-4dfe-b63a-f6de67d4de27',6,'workflow_canceled',NULL,'{"reason":"fixture"}','workflow canceled: fixture',1796671280487);
CREATE TABLE checkpoints (
    id TEXT PRIMARY KEY NOT NULL,
    execution_id TEXT NOT NULL REFERENCES executions(id),
    seq INTEGER NOT NULL,
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    snapshot TEXT NOT NULL
);
INSERT INTO checkpoints VALUES('fc2cab42-de85-4f2e-86c0-4425e5a9041f','0d22aa58-af47-4dfe-b63a-f6de67d4de27',3,'manual',1796671280421,'{"created_at":1796671280421.4526,"execution":{"created_at":1796671278643.7717,"id":"0d22aa58-af47-4dfe-b63a-f6de67d4de27","input":{},"last_seq":3,"metadata":{},"started_at":1796671278643.8318,"status":"running","updated_at":1796671280421.4526,"workflow_id":"slow","workflow_name":"slow","workflow_version":1},"execution_id":"0d22aa58-af47-4dfe-b63a-f6de67d4de27","id":"fc2cab42-de85-4f2e-86c0-4425e5a9041f","reason":"manual","seq":3,"tasks":[{"attempt":1,"input":{"seconds":600},"retries":0,"started_at":1796671278643.8318,"status":"running","task_id":"wait"}]}');
INSERT INTO checkpoints VALUES('824cd959-a5ff-4147-9c5f-432d40d8a76e','0d22aa58-af47-4dfe-b63a-f6de67d4de27',4,'cancel',1796671280487,'{"created_at":1796671280487.3188,"execution":{"created_at":1796671278643.7717,"id":"0d22aa58-af47-4dfe-b63a-f6de67d4de27","input":{},"last_seq":4,"metadata":{},"started_at":1796671278643.8318,"status":"running","updated_at":1796671280487.3188,"workflow_id":"slow","workflow_name":"slow","workflow_version":1},"execution_id":"0d22aa58-af47-4dfe-b63a-f6de67d4de27","id":"824cd959-a5ff-4147-9c5f-432d40d8a76e","reason":"cancel","seq":4,"tasks":[{"attempt":1,"input":{"seconds":600},"retries":0,"started_at":1796671278643.8318,"status":"running","task_id":"wait"}]}');
CREATE TABLE templates (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    latest_version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);
INSERT INTO templates VALUES('dddb51ac-69c7-4dbf-affe-2691dddee238','greeting',1,1796671280503,1796671280503,NULL);
CREATE TABLE template_versions (
    template_id TEXT NOT NULL REFERENCES templates(id),
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    document TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (template_id, version)
);
INSERT INTO template_versions VALUES('dddb51ac-69c7-4dbf-affe-2691dddee238',1,'greeting','{"created_at":1796671280503,"definition":{"name":"greet ${params.who}","tasks":{"hello":{"action":"echo","component":"harmonia","input":{"message":"Hello, ${params.who}!"}}}},"description":"","id":"dddb51ac-69c7-4dbf-affe-2691dddee238","metadata":{},"name":"greeting","parameters":{"who":{"required":true,"type":"string"}},"tags":[],"updated_at":1796671280503,"version":1}',1796671280503);
CREATE TABLE template_tags (
    template_id TEXT NOT NULL REFERENCES templates(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (template_id, tag)
);
CREATE TABLE storage_probe (id INTEGER PRIMARY KEY, filler BLOB NOT NULL);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('events',25);
CREATE INDEX workflows_name ON workflows(name);
CREATE INDEX workflows_updated ON workflows(updated_at);
CREATE INDEX executions_status ON executions(status, created_at);
CREATE INDEX executions_workflow ON executions(workflow_id, created_at);
CREATE INDEX executions_created ON executions(created_at);
CREATE INDEX checkpoints_execution ON checkpoints(execution_id, seq);
CREATE INDEX templates_name ON templates(name);
CREATE INDEX templates_updated ON templates(updated_at);
CREATE INDEX template_tags_tag ON template_tags(tag);
COMMIT;
