#!/usr/bin/env python3
"""Writes Sources/HarmoniaServer/Resources/openapi/openapi.json, the OpenAPI 3.1 document
the server serves at /api/v1/openapi.json and /openapi.json.

The document is authored here, by hand, rather than derived from the Swift types: the wire
format is the contract (lenient requests, snake_case responses, the error body), and a
single Python file with loops for the two API prefixes is shorter and easier to review
than the same JSON repeated. The workflow definition schema is not repeated: it is read
from Resources/schemas/workflow.json and embedded. OpenAPIDocumentTests checks the result
against the router's routes; tools/contract runs schemathesis against a real server with it.

    python3 tools/openapi/generate.py          # rewrite the document
    python3 tools/openapi/generate.py --check  # exit 1 when the committed file is stale
"""
import copy
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Sources/HarmoniaServer/Resources/openapi/openapi.json"
WORKFLOW_SCHEMA = ROOT / "Sources/HarmoniaServer/Resources/schemas/workflow.json"
VERSION_FILE = ROOT / "Sources/HarmoniaAPIModels/HarmoniaVersion.swift"

PREFIXES = ["/api/v1", "/api"]


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(type_name, **extra):
    return {"type": [type_name, "null"], **extra}


def envelope(data_schema):
    return {
        "type": "object",
        "required": ["status", "message", "data"],
        "properties": {"status": {"const": "success"}, "message": {"type": "string"}, "data": data_schema},
    }


def json_content(schema):
    return {"application/json": {"schema": schema}}


def ok(description, data_schema, status="200"):
    return {status: {"description": description, "content": json_content(envelope(data_schema))}}


def errors(*statuses):
    """Error answers: the stable error body. 401 (API keys) and 413 (body limit) apply wherever noted."""
    texts = {
        "400": "malformed JSON/YAML (`invalid_json`), a missing or mistyped field or query parameter (`invalid_request`), a bad execution input (`invalid_input`) or template values (`invalid_parameters`)",
        "401": "API keys are configured and the request has none or a wrong one (`unauthorized`)",
        "403": "forbidden (`forbidden`)",
        "404": "no such workflow, execution, template, checkpoint, schedule, component or action (`not_found`)",
        "409": "the state does not allow it (`invalid_state`), the id exists (`conflict`), or an idempotency key came back with a different request (`idempotency_key_reused`)",
        "413": "the body exceeds `server.max_body_bytes` (`payload_too_large`)",
        "422": "the definition, template or schedule is invalid: `code` names the rule, `path` and `problems` where",
        "502": "the component's adapter failed (its own `code`)",
        "503": "the engine is recovering or draining (`not_ready`), the store refuses writes (`storage_unavailable`), or the component is not served now (`component_unavailable`)",
    }
    return {s: {"description": texts[s], "content": json_content(ref("Error"))} for s in statuses}


def path_param(name, description):
    return {"name": name, "in": "path", "required": True, "description": description, "schema": {"type": "string", "minLength": 1}}


def query(name, schema, description):
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


LIMIT = query("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}, "page size, 1–1000")
OFFSET = query("offset", {"type": "integer", "minimum": 0, "maximum": 2147483647, "default": 0}, "rows to skip")
ID = path_param("id", "the object's id (percent-decoded)")
IDEMPOTENCY_KEY = {"name": "Idempotency-Key", "in": "header", "required": False,
                   "description": "the same as the body's idempotency_key (both must agree when both are sent)",
                   "schema": {"type": "string", "minLength": 1, "maxLength": 255}}


def body(schema, required=True, yaml=False, description=None):
    content = json_content(schema)
    if yaml:
        content["application/yaml"] = {"schema": schema}
    result = {"required": required, "content": content}
    if description:
        result["description"] = description
    return result


#: One server-sent event, as a client parses it: every field is text.
SSE_EVENT = {"type": "object", "properties": {"event": {"type": "string"}, "data": {"type": "string"},
                                              "id": {"type": "string"}, "retry": {"type": "string"}}}
SSE = {"text/event-stream": {"schema": SSE_EVENT}}


def business_operations():
    """Business routes relative to a prefix: (method, path, operation)."""
    wf_data = ref("Workflow")
    ex_ack = ref("ExecutionAck")
    ops = []

    def op(method, path, op_id, summary, responses, parameters=(), request_body=None, tags=()):
        operation = {"operationId": op_id, "summary": summary, "tags": list(tags), "responses": responses}
        if parameters:
            operation["parameters"] = list(parameters)
        if request_body:
            operation["requestBody"] = request_body
        ops.append((method, path, operation))

    common = errors("401")
    op("post", "/workflows", "createWorkflow", "create a workflow (JSON, or YAML with a yaml Content-Type)",
       {**ok("the stored definition", wf_data, "201"), **errors("400", "409", "413", "422", "503"), **common},
       request_body=body(ref("WorkflowDefinition"), yaml=True), tags=["workflows"])
    op("get", "/workflows", "listWorkflows", "the newest version of each live workflow, most recently updated first",
       {**ok("a page of workflows", ref("WorkflowList")), **errors("400"), **common},
       parameters=[LIMIT, OFFSET, query("name", {"type": "string"}, "exact name")], tags=["workflows"])
    op("get", "/workflows/{id}", "getWorkflow", "a workflow's newest version",
       {**ok("the workflow", wf_data), **errors("400", "404"), **common}, parameters=[ID], tags=["workflows"])
    op("put", "/workflows/{id}", "replaceWorkflow", "replace a workflow (stores the next version)",
       {**ok("the new version", wf_data), **errors("400", "404", "409", "413", "422", "503"), **common},
       parameters=[ID], request_body=body(ref("WorkflowDefinition"), yaml=True), tags=["workflows"])
    op("delete", "/workflows/{id}", "deleteWorkflow", "delete a workflow (its versions stay readable through executions)",
       {**ok("deleted", ref("WorkflowDeleted")), **errors("400", "404", "503"), **common}, parameters=[ID], tags=["workflows"])
    op("post", "/workflows/{id}/execute", "executeWorkflow", "start an execution of this workflow",
       {**ok("started", ex_ack, "201"), **ok("an execution with this idempotency key already exists", ex_ack),
        **errors("400", "404", "409", "413", "503"), **common},
       parameters=[ID, IDEMPOTENCY_KEY], request_body=body(ref("ExecuteWorkflowRequest"), required=False), tags=["executions"])
    op("post", "/executions", "createExecution", "start an execution",
       {**ok("started (runs in the background)", ex_ack, "201"),
        **ok("an execution with this idempotency key already exists", ex_ack),
        **errors("400", "404", "409", "413", "503"), **common},
       parameters=[IDEMPOTENCY_KEY], request_body=body(ref("CreateExecutionRequest")), tags=["executions"])
    op("get", "/executions", "listExecutions", "execution rows, newest first",
       {**ok("a page of executions", ref("ExecutionList")), **errors("400"), **common},
       parameters=[query("status", ref("ExecutionStatus"), "only executions in this status"),
                   query("workflow_id", {"type": "string"}, "only executions of this workflow"),
                   query("created_after", {"type": "string", "format": "date-time"}, "only executions created at or after this ISO-8601 time"),
                   query("created_before", {"type": "string", "format": "date-time"}, "only executions created before this ISO-8601 time"),
                   query("parent_execution_id", {"type": "string"}, "only the child executions (harmonia.run_workflow) of this execution"),
                   LIMIT, OFFSET],
       tags=["executions"])
    op("get", "/executions/{id}", "getExecution", "an execution with every task's state, its definition and counts",
       {**ok("the execution", ref("ExecutionDetail")), **errors("400", "404"), **common}, parameters=[ID], tags=["executions"])
    op("get", "/executions/{id}/events", "listExecutionEvents", "an execution's event log after a seq",
       {**ok("a page of events", ref("EventPage")), **errors("400", "404"), **common},
       parameters=[ID, query("after_seq", {"type": "integer", "minimum": 0, "default": 0}, "events with a greater seq"),
                   query("limit", {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1000}, "most events")],
       tags=["executions"])
    op("get", "/executions/{id}/explain", "explainExecution", "what each unfinished task waits for, and whether the execution can progress",
       {**ok("the explanation", ref("ExecutionExplanation")), **errors("400", "404"), **common}, parameters=[ID], tags=["executions"])
    op("get", "/executions/{id}/tasks/{task}/instances", "listTaskInstances",
       "a page of a map task's instances in item order, with counts over all of them",
       {**ok("a page of instances", ref("TaskInstancePage")), **errors("400", "404"), **common},
       parameters=[ID, {"name": "task", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1},
                        "description": "the map task's id"},
                   query("offset", {"type": "integer", "minimum": 0, "maximum": 2147483647, "default": 0}, "instances to skip"),
                   query("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}, "most instances")],
       tags=["executions"])
    op("post", "/executions/{id}/retry", "retryExecution", "re-run a failed or canceled execution, keeping its completed tasks",
       {**ok("the new execution", ex_ack, "201"), **errors("400", "404", "409", "503"), **common}, parameters=[ID], tags=["executions"])
    signal_name = {"name": "name", "in": "path", "required": True,
                   "description": "the signal name: 1-128 characters of A-Z a-z 0-9 _ . -",
                   "schema": {"type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[A-Za-z0-9_.-]+$"}}
    op("post", "/executions/{id}/signals/{name}", "sendSignal",
       "send a signal: the first harmonia.wait_for_signal task waiting for this name completes with the body (any JSON value; empty is null), else it is kept",
       {**ok("stored; consumed by a waiting task or kept", ref("Signal")), **errors("400", "404", "409", "413", "503"), **common},
       parameters=[ID, signal_name], request_body=body({}, required=False, description="the payload: any JSON value"),
       tags=["executions"])
    for verb, text, extra in [("cancel", "cancel an execution", ["409"]), ("pause", "pause an execution", ["409"]),
                              ("resume", "resume a paused execution", ["409"])]:
        op("post", f"/executions/{{id}}/{verb}", f"{verb}Execution", text,
           {**ok(f"{verb}d", ex_ack), **errors("400", "404", *extra, "413", "503"), **common}, parameters=[ID],
           request_body=body(ref("ControlRequest"), required=False) if verb == "cancel" else None, tags=["executions"])
    op("get", "/status", "getStatus", "engine status: uptime, active executions, counts, components",
       {**ok("the status", ref("Status")), **common}, tags=["status"])
    op("post", "/templates", "createTemplate", "create a template",
       {**ok("the template", ref("Template"), "201"), **errors("400", "404", "413", "422", "503"), **common},
       request_body=body(ref("TemplateDraft"), yaml=True), tags=["templates"])
    op("get", "/templates", "listTemplates", "templates' newest versions, most recently updated first",
       {**ok("a page of templates", ref("TemplateList")), **errors("400"), **common},
       parameters=[query("tag", {"type": "string"}, "a tag of the newest version"),
                   query("name", {"type": "string"}, "exact name"), LIMIT, OFFSET], tags=["templates"])
    version_q = query("version", {"type": "integer", "minimum": 1, "maximum": 2147483647}, "a version; default the newest")
    op("get", "/templates/{id}", "getTemplate", "a template (newest version, or ?version=N)",
       {**ok("the template", ref("Template")), **errors("400", "404"), **common}, parameters=[ID, version_q], tags=["templates"])
    op("put", "/templates/{id}", "updateTemplate", "update a template (stores the next version; left-out fields keep their values)",
       {**ok("the new version", ref("Template")), **errors("400", "404", "413", "422", "503"), **common},
       parameters=[ID], request_body=body(ref("TemplateDraft"), yaml=True), tags=["templates"])
    op("delete", "/templates/{id}", "deleteTemplate", "delete a template",
       {**ok("deleted", ref("TemplateDeleted")), **errors("400", "404", "503"), **common}, parameters=[ID], tags=["templates"])
    op("post", "/templates/{id}/instantiate", "instantiateTemplate", "make a workflow from a template",
       {**ok("the new workflow", ref("TemplateInstance"), "201"), **errors("400", "404", "413", "422", "503"), **common},
       parameters=[ID], request_body=body(ref("InstantiateTemplateRequest"), required=False), tags=["templates"])
    op("post", "/templates/import", "importTemplate", "import a template document (`harmonia_template`)",
       {**ok("the new template", ref("Template"), "201"), **errors("400", "413", "422", "503"), **common},
       request_body=body({"type": "object"}, yaml=True), tags=["templates"])
    op("get", "/templates/{id}/export", "exportTemplate", "a template as a portable document",
       {**ok("the document", ref("TemplateDocument")), **errors("400", "404"), **common}, parameters=[ID, version_q],
       tags=["templates"])
    op("post", "/executions/{id}/checkpoint", "checkpointExecution", "checkpoint an execution (any status)",
       {**ok("the checkpoint", ref("Checkpoint"), "201"), **errors("400", "404", "413", "503"), **common},
       parameters=[ID], request_body=body(ref("CheckpointRequest"), required=False), tags=["checkpoints"])
    op("get", "/executions/{id}/checkpoints", "listCheckpoints", "an execution's checkpoints, oldest first",
       {**ok("the checkpoints", ref("CheckpointList")), **errors("400", "404"), **common}, parameters=[ID], tags=["checkpoints"])
    op("get", "/checkpoints/{id}", "getCheckpoint", "a checkpoint with its snapshot",
       {**ok("the checkpoint", ref("Checkpoint")), **errors("400", "404"), **common}, parameters=[ID], tags=["checkpoints"])
    op("post", "/checkpoints/{id}/restore", "restoreCheckpoint", "start a new execution from a checkpoint",
       {**ok("the new execution", ref("RestoredExecution"), "201"), **errors("400", "404", "413", "503"), **common},
       parameters=[ID], tags=["checkpoints"])
    op("post", "/schedules", "createSchedule", "create a schedule (cron + timezone, or interval)",
       {**ok("the schedule with its next runs", ref("Schedule"), "201"), **errors("400", "404", "409", "413", "422", "503"), **common},
       request_body=body(ref("ScheduleRequest")), tags=["schedules"])
    op("get", "/schedules", "listSchedules", "schedules, oldest first, with their next runs and latest run",
       {**ok("a page of schedules", ref("ScheduleList")), **errors("400"), **common}, parameters=[LIMIT, OFFSET], tags=["schedules"])
    op("get", "/schedules/{id}", "getSchedule", "a schedule with its next 5 due times and latest runs",
       {**ok("the schedule", ref("Schedule")), **errors("400", "404"), **common}, parameters=[ID], tags=["schedules"])
    op("patch", "/schedules/{id}", "updateSchedule", "change a schedule's fields (a new trigger or a resume is due from now)",
       {**ok("the schedule", ref("Schedule")), **errors("400", "404", "413", "422", "503"), **common},
       parameters=[ID], request_body=body(ref("ScheduleRequest")), tags=["schedules"])
    op("delete", "/schedules/{id}", "deleteSchedule", "delete a schedule (its executions stay)",
       {**ok("deleted", ref("ScheduleDeleted")), **errors("400", "404", "503"), **common}, parameters=[ID], tags=["schedules"])
    for verb, text in [("pause", "pause a schedule"), ("resume", "resume a schedule (due from now; nothing is caught up)")]:
        op("post", f"/schedules/{{id}}/{verb}", f"{verb}Schedule", text,
           {**ok("the schedule", ref("Schedule")), **errors("400", "404", "503"), **common}, parameters=[ID], tags=["schedules"])
    op("get", "/schedules/{id}/runs", "listScheduleRuns", "a schedule's run records, newest first",
       {**ok("the runs", ref("ScheduleRunList")), **errors("400", "404"), **common},
       parameters=[ID, LIMIT], tags=["schedules"])
    name_p = path_param("name", "a component name")
    action_p = path_param("action", "an action name")
    op("get", "/components", "listComponents", "components, loaded plugin files and refused ones",
       {**ok("the catalog", ref("ComponentList")), **common}, tags=["components"])
    op("post", "/components/reload", "reloadComponents", "rescan the plugin directories (as SIGHUP does)",
       {**ok("what changed", ref("ReloadReport")), **common}, tags=["components"])
    op("get", "/components/{name}/actions", "listComponentActions", "a component's actions with their input schemas",
       {**ok("the actions", ref("ComponentActions")), **errors("400", "404"), **common}, parameters=[name_p], tags=["components"])
    op("get", "/components/{name}/actions/{action}", "getComponentAction", "one action's description and input schema",
       {**ok("the action", ref("ActionDescription")), **errors("400", "404"), **common}, parameters=[name_p, action_p],
       tags=["components"])
    op("post", "/components/{name}/actions/{action}", "runComponentAction", "run one action directly through its adapter",
       {**ok("the action's output", ref("ActionRunResult")), **errors("400", "404", "413", "422", "502", "503"), **common},
       parameters=[name_p, action_p], request_body=body({"description": "the action's input, any JSON value (default {})"}, required=False),
       tags=["components"])
    op("get", "/schemas/workflow.json", "getWorkflowSchema", "the JSON Schema of a workflow definition (not enveloped)",
       {"200": {"description": "the schema", "content": {"application/schema+json": {"schema": {"type": "object"}}}},
        **errors("404"), **common}, tags=["schemas"])
    op("get", "/openapi.json", "getOpenAPI", "this document (not enveloped)",
       {"200": {"description": "the OpenAPI document", "content": json_content({"type": "object", "required": ["openapi", "paths"]})},
        **errors("404"), **common}, tags=["schemas"])
    op("post", "/mcp/tools/{name}", "callMCPTool",
       "call one MCP tool with its arguments, as Hermes calls a registered tool's endpoint (docs/mcp.md)",
       {**ok("the tool's result", {"type": "object"}), **errors("400", "404", "409", "413", "422", "502", "503"), **common},
       parameters=[path_param("name", "the tool's name, with or without the `harmonia_` prefix")],
       request_body=body({"type": "object", "description": "the tool's arguments"}, required=False), tags=["mcp"])
    return ops


MCP_SESSION = {"name": "Mcp-Session-Id", "in": "header", "required": True, "description": "the session initialize answered",
               "schema": {"type": "string", "minLength": 1}}
MCP_ACCEPT = {"name": "Accept", "in": "header", "required": True, "description": "both answer forms, as the transport requires",
              "schema": {"type": "string", "enum": ["application/json, text/event-stream"]}}
JSONRPC_MESSAGE = {"type": "object", "required": ["jsonrpc"], "description": "a JSON-RPC 2.0 request, notification or response",
                   "properties": {"jsonrpc": {"const": "2.0"}, "id": {"type": ["string", "integer"]}, "method": {"type": "string"},
                                  "params": {"type": "object"}}}


def infrastructure_operations():
    plain = lambda schema: json_content(schema)
    return [
        ("get", "/", {"operationId": "getRoot", "summary": "service name, version and endpoints (browsers get the dashboard)",
                      "tags": ["infrastructure"],
                      "responses": {"200": {"description": "the service", "content": {**plain(ref("ServiceInfo")), "text/html": {"schema": {"type": "string"}}}},
                                    **errors("401")}}),
        ("get", "/health", {"operationId": "getHealth", "summary": "liveness: 200 while the process serves (no API key needed)",
                            "tags": ["infrastructure"], "security": [],
                            "responses": {"200": {"description": "alive", "content": plain(ref("Health"))}}}),
        ("get", "/ready", {"operationId": "getReady", "summary": "readiness: 200 once recovery finished, else 503 (no API key needed)",
                           "tags": ["infrastructure"], "security": [],
                           "responses": {"200": {"description": "ready", "content": plain(ref("Ready"))},
                                         "503": {"description": "not ready", "content": plain(ref("Ready"))}}}),
        ("post", "/shutdown", {"operationId": "shutdown", "summary": "graceful shutdown, as SIGTERM (from this machine, or with an API key)",
                               "tags": ["infrastructure"],
                               "responses": {"202": {"description": "shutting down", "content": plain(ref("Shutdown"))},
                                             **errors("401", "403", "503")}}),
        ("post", "/api/shutdown", {"operationId": "shutdownAlias", "summary": "the same as POST /shutdown (Tekton's path)",
                                   "tags": ["infrastructure"],
                                   "responses": {"202": {"description": "shutting down", "content": plain(ref("Shutdown"))},
                                                 **errors("401", "403", "503")}}),
        ("get", "/discovery", {"operationId": "getDiscovery", "summary": "the component description for Tekton",
                               "tags": ["infrastructure"],
                               "responses": {"200": {"description": "the description", "content": plain(ref("Discovery"))}, **errors("401")}}),
        ("get", "/metrics", {"operationId": "getMetrics", "summary": "Prometheus metrics (text exposition format)",
                             "tags": ["infrastructure"],
                             "responses": {"200": {"description": "the metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}, **errors("401")}}),
        ("get", "/ui", {"operationId": "getDashboard", "summary": "the dashboard", "tags": ["infrastructure"],
                        "responses": {"200": {"description": "the dashboard's page", "content": {"text/html": {"schema": {"type": "string"}}}}, **errors("401")}}),
        ("get", "/ui/{file}", {"operationId": "getDashboardFile", "summary": "a dashboard asset", "tags": ["infrastructure"],
                               "parameters": [path_param("file", "app.js, style.css or index.html")],
                               "responses": {"200": {"description": "the asset", "content": {"text/javascript": {"schema": {"type": "string"}},
                                                                                         "text/css": {"schema": {"type": "string"}},
                                                                                         "text/html": {"schema": {"type": "string"}}}},
                                             **errors("401", "404")}}),
        ("get", "/openapi.json", {"operationId": "getOpenAPIRoot", "summary": "this document (not enveloped)", "tags": ["schemas"],
                                  "responses": {"200": {"description": "the OpenAPI document", "content": json_content({"type": "object", "required": ["openapi", "paths"]})},
                                                **errors("401")}}),
        ("get", "/events/executions/{id}", {"operationId": "streamExecutionEvents",
                                            "summary": "SSE: one execution's events (Last-Event-ID or after_seq resumes); ends after the execution's last event",
                                            "tags": ["streams"],
                                            "parameters": [ID, query("after_seq", {"type": "integer", "minimum": 0}, "replay events after this seq")],
                                            "responses": {"200": {"description": "an event stream", "content": SSE},
                                                          **errors("400", "401", "404", "503")}}),
        ("get", "/events/executions", {"operationId": "streamAllEvents", "summary": "SSE: every execution's events, live (never ends)",
                                       "tags": ["streams"],
                                       "responses": {"200": {"description": "an event stream", "content": SSE},
                                                     **errors("401", "503")}}),
        ("get", "/ws/executions/{id}", {"operationId": "websocketExecutionEvents", "summary": "WebSocket: one execution's events (ping, unsubscribe, resume)",
                                        "tags": ["streams"], "parameters": [ID],
                                        "responses": {"101": {"description": "switching to the WebSocket protocol"},
                                                      "426": {"description": "not a WebSocket upgrade request", "content": json_content(ref("Error"))},
                                                      **errors("400", "401", "404")}}),
        ("get", "/ws/executions", {"operationId": "websocketAllEvents", "summary": "WebSocket: every execution's events, live",
                                   "tags": ["streams"],
                                   "responses": {"101": {"description": "switching to the WebSocket protocol"},
                                                 "426": {"description": "not a WebSocket upgrade request", "content": json_content(ref("Error"))},
                                                 **errors("400", "401")}}),
        ("post", "/mcp", {"operationId": "mcpPost", "summary": "Model Context Protocol, Streamable HTTP transport: one JSON-RPC message (docs/mcp.md)",
                          "tags": ["mcp"],
                          "parameters": [MCP_ACCEPT, {**MCP_SESSION, "required": False,
                                                      "description": "the session (absent on initialize, which starts one)"}],
                          "requestBody": body(JSONRPC_MESSAGE),
                          "responses": {"200": {"description": "the JSON-RPC answer, as JSON or as an event stream",
                                                "content": {"application/json": {"schema": {"type": "object"}}, **SSE}},
                                        "202": {"description": "a notification or response was accepted"},
                                        "400": {"description": "not a JSON-RPC message, or a missing session", "content": json_content({"type": "object"})},
                                        "401": {"description": "API key missing or wrong", "content": json_content(ref("Error"))},
                                        "404": {"description": "unknown session", "content": json_content({"type": "object"})},
                                        "406": {"description": "the Accept header lacks application/json or text/event-stream", "content": json_content({"type": "object"})},
                                        "415": {"description": "not application/json", "content": json_content({"type": "object"})}}}),
        ("get", "/mcp", {"operationId": "mcpGet", "summary": "Model Context Protocol: the session's server-to-client event stream", "tags": ["mcp"],
                         "parameters": [MCP_SESSION],
                         "responses": {"200": {"description": "an event stream", "content": SSE},
                                       "400": {"description": "no session", "content": json_content({"type": "object"})},
                                       "401": {"description": "API key missing or wrong", "content": json_content(ref("Error"))},
                                       "404": {"description": "unknown session", "content": json_content({"type": "object"})},
                                       "405": {"description": "not offered", "content": json_content({"type": "object"})},
                                       "406": {"description": "the Accept header lacks text/event-stream", "content": json_content({"type": "object"})}}}),
        ("delete", "/mcp", {"operationId": "mcpDelete", "summary": "Model Context Protocol: end the session", "tags": ["mcp"],
                            "parameters": [MCP_SESSION],
                            "responses": {"200": {"description": "the session ended"},
                                          "400": {"description": "no session", "content": json_content({"type": "object"})},
                                          "401": {"description": "API key missing or wrong", "content": json_content(ref("Error"))},
                                          "404": {"description": "unknown session", "content": json_content({"type": "object"})}}}),
    ]


def schemas():
    obj = {"type": "object"}
    s = {}
    s["Error"] = {
        "type": "object", "required": ["detail", "code"],
        "description": "Every error answer. Branch on `code`, never on `detail`.",
        "properties": {
            "detail": {"type": "string"}, "code": {"type": "string", "pattern": "^[a-z_]+$"},
            "path": {"type": "string"},
            "problems": {"type": "array", "items": {"type": "object", "required": ["code", "message"],
                                                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "path": {"type": "string"}}}},
        },
    }
    s["ExecutionStatus"] = {"type": "string", "enum": ["pending", "running", "paused", "completed", "failed", "canceled"]}
    s["Workflow"] = {
        "type": "object", "required": ["id", "workflow_id", "name", "version", "tasks", "created_at", "updated_at"],
        "properties": {"id": {"type": "string"}, "workflow_id": {"type": "string"}, "name": {"type": "string"},
                       "description": {"type": "string"}, "version": {"type": "integer", "minimum": 1},
                       "fail_fast": {"type": "boolean"}, "metadata": obj,
                       "tasks": {"type": "array", "items": {"type": "object", "required": ["id", "component", "action"]}},
                       "created_at": {"type": "string"}, "updated_at": {"type": "string"}},
    }
    s["WorkflowList"] = {"type": "object", "required": ["workflows", "count", "limit", "offset"],
                         "properties": {"workflows": {"type": "array", "items": ref("Workflow")}, "count": {"type": "integer"},
                                        "limit": {"type": "integer"}, "offset": {"type": "integer"}}}
    s["WorkflowDeleted"] = {"type": "object", "required": ["workflow_id", "deleted"],
                            "properties": {"workflow_id": {"type": "string"}, "deleted": {"const": True}}}
    exec_fields = {"workflow_version": nullable("integer", minimum=1),
                   "input": nullable("object", description="the execution's input (null or absent: {})"),
                   "metadata": nullable("object"), "idempotency_key": nullable("string")}
    s["ExecuteWorkflowRequest"] = {"type": "object", "description": "snake_case or camelCase keys; unknown keys are ignored",
                                   "properties": exec_fields}
    s["CreateExecutionRequest"] = {"type": "object", "required": ["workflow_id"], "description": "snake_case or camelCase keys; unknown keys are ignored",
                                   "properties": {"workflow_id": {"type": "string", "minLength": 1}, **exec_fields}}
    s["ControlRequest"] = {"type": "object", "properties": {"reason": nullable("string")}}
    s["CheckpointRequest"] = {"type": "object", "properties": {"reason": nullable("string", minLength=1, maxLength=200, pattern=r"\S")}}
    s["Execution"] = {
        "type": "object", "required": ["id", "execution_id", "status", "workflow_id", "workflow_version", "created_at", "updated_at"],
        "properties": {"id": {"type": "string"}, "execution_id": {"type": "string"}, "status": ref("ExecutionStatus"),
                       "workflow_id": {"type": "string"}, "workflow_name": {"type": "string"}, "workflow_version": {"type": "integer"},
                       "input": {}, "metadata": obj, "idempotency_key": {"type": "string"}, "last_seq": {"type": "integer"},
                       "created_at": {"type": "string"}, "started_at": {"type": "string"}, "finished_at": {"type": "string"},
                       "updated_at": {"type": "string"}, "error": obj, "deadline": {"type": "string"}, "restored_from": {"type": "string"},
                       "parent": {"type": "object", "description": "the execution and task that started this child (harmonia.run_workflow)",
                                  "required": ["execution_id", "task_id", "depth"],
                                  "properties": {"execution_id": {"type": "string"}, "task_id": {"type": "string"},
                                                 "depth": {"type": "integer", "minimum": 1}}},
                       "tasks": {"type": "object", "additionalProperties": ref("TaskState")}},
    }
    s["TaskState"] = {"type": "object", "required": ["task_id", "status"],
                      "properties": {"task_id": {"type": "string"}, "status": {"type": "string"}, "attempt": {"type": "integer"},
                                     "retries": {"type": "integer"}, "input": {}, "output": {}, "error": obj, "reason": {"type": "string"},
                                     "child_execution_id": {"type": "string", "description": "harmonia.run_workflow: the child execution of the current (or last) attempt"},
                                     "instances": ref("TaskInstanceCounts")}}
    s["Signal"] = {"type": "object", "required": ["signal_id", "execution_id", "name", "status", "received_at"],
                   "properties": {"signal_id": {"type": "string"}, "execution_id": {"type": "string"}, "name": {"type": "string"},
                                  "status": {"type": "string", "enum": ["consumed", "pending"]},
                                  "consumed_by": {"type": "string"}, "received_at": {"type": "string"}}}
    count = {"type": "integer", "minimum": 0}
    s["TaskInstanceCounts"] = {"type": "object", "description": "a map task's instances by status",
                               "required": ["total", "pending", "running", "retrying", "waiting", "completed", "failed", "canceled"],
                               "properties": {k: count for k in ["total", "pending", "running", "retrying", "waiting", "completed", "failed", "canceled"]}}
    s["TaskInstance"] = {"type": "object", "required": ["task_id", "index", "item", "status", "attempt", "retries"],
                         "properties": {"task_id": {"type": "string"}, "index": count, "item": {},
                                        "status": {"type": "string", "enum": ["pending", "waiting", "running", "retrying", "completed", "failed", "skipped", "canceled"]},
                                        "attempt": count, "retries": count, "input": {}, "output": {}, "error": obj,
                                        "started_at": {"type": "string"}, "finished_at": {"type": "string"},
                                        "next_attempt_at": {"type": "string"}, "timeout_at": {"type": "string"}}}
    s["TaskInstancePage"] = {"type": "object", "required": ["execution_id", "task_id", "counts", "offset", "limit", "instances"],
                             "properties": {"execution_id": {"type": "string"}, "task_id": {"type": "string"},
                                            "counts": ref("TaskInstanceCounts"), "offset": count, "limit": {"type": "integer", "minimum": 1},
                                            "instances": {"type": "array", "items": ref("TaskInstance")}}}
    s["ExecutionAck"] = {"type": "object", "required": ["id", "execution_id", "status", "execution"],
                         "properties": {"id": {"type": "string"}, "execution_id": {"type": "string"}, "status": ref("ExecutionStatus"),
                                        "execution": ref("Execution")}}
    s["ExecutionList"] = {"type": "object", "required": ["executions", "count", "limit", "offset"],
                          "properties": {"executions": {"type": "array", "items": ref("Execution")}, "count": {"type": "integer"},
                                         "limit": {"type": "integer"}, "offset": {"type": "integer"}}}
    s["ExecutionDetail"] = {"type": "object", "required": ["execution", "summary"],
                            "properties": {"execution": ref("Execution"), "workflow_definition": ref("Workflow"),
                                           "summary": {"type": "object", "required": ["total", "progress"],
                                                       "properties": {"total": {"type": "integer"}, "progress": {"type": "number"}}}}}
    s["Event"] = {"type": "object", "required": ["seq", "event_type", "execution_id", "timestamp"],
                  "properties": {"seq": {"type": "integer", "minimum": 1}, "event_type": {"type": "string"},
                                 "execution_id": {"type": "string"}, "task_id": nullable("string"), "message": nullable("string"),
                                 "timestamp": {"type": "string"}, "details": nullable("object")}}
    s["ExecutionExplanation"] = {
        "type": "object", "required": ["execution_id", "status", "can_progress", "stuck_tasks", "summary", "tasks"],
        "properties": {
            "execution_id": {"type": "string"}, "status": ref("ExecutionStatus"), "can_progress": {"type": "boolean"},
            "stuck_tasks": {"type": "array", "items": {"type": "string"}}, "summary": {"type": "string"},
            "tasks": {"type": "array", "items": {
                "type": "object", "required": ["task_id", "status", "waiting_for", "detail", "can_progress"],
                "properties": {
                    "task_id": {"type": "string"}, "status": {"type": "string"},
                    "waiting_for": {"type": "string", "enum": ["running", "dependencies", "component", "unknown_component",
                                                               "concurrency_slot", "retry_timer", "paused", "dispatch",
                                                               "signal", "child_execution", "map_instances"]},
                    "detail": {"type": "string"}, "can_progress": {"type": "boolean"},
                    "dependencies": {"type": "array", "items": {"type": "string"}}, "component": {"type": "string"},
                    "reason": {"type": "string"}, "attempt": {"type": "integer"}, "since": {"type": "string"},
                    "timeout_at": {"type": "string"}, "due_at": {"type": "string"}, "limit": {"type": "integer"},
                    "running": {"type": "integer"}, "ahead": {"type": "integer"}, "signal": {"type": "string"},
                    "child_execution_id": {"type": "string"}, "child_status": ref("ExecutionStatus"),
                    "instances": ref("TaskInstanceCounts")}}}}}
    s["EventPage"] = {"type": "object", "required": ["execution_id", "after_seq", "next_after_seq", "events"],
                      "properties": {"execution_id": {"type": "string"}, "after_seq": {"type": "integer"},
                                     "next_after_seq": {"type": "integer"}, "events": {"type": "array", "items": ref("Event")}}}
    s["Status"] = {"type": "object", "required": ["version", "uptime", "ready", "draining", "executions", "components"],
                   "properties": {"version": {"type": "string"}, "uptime": {"type": "number"}, "ready": {"type": "boolean"},
                                  "draining": {"type": "boolean"}, "active_executions": {"type": "integer"},
                                  "in_flight_tasks": {"type": "integer"}, "recovered_executions": {"type": "integer"},
                                  "executions": {"type": "object", "additionalProperties": {"type": "integer"}},
                                  "components": {"type": "array", "items": obj}}}
    s["TemplateDraft"] = {
        "type": "object", "description": "`definition` or `workflow_definition_id` (a PUT may leave both out)",
        "properties": {"name": {"type": "string", "minLength": 1, "pattern": r"\S"}, "description": nullable("string"),
                       "tags": nullable("array", items={"type": "string"}),
                       "parameters": nullable("object", additionalProperties=ref("TemplateParameter")),
                       "definition": nullable("object"), "workflow_definition_id": nullable("string"),
                       "workflow_definition_version": nullable("integer", minimum=1), "metadata": nullable("object")},
    }
    s["TemplateParameter"] = {"type": "object",
                              "properties": {"type": {"type": "string", "enum": ["string", "number", "integer", "boolean", "object", "array"]},
                                             "required": {"type": "boolean"}, "default": {}, "enum": {"type": "array"},
                                             "minimum": {"type": "number"}, "maximum": {"type": "number"},
                                             "min_length": {"type": "integer", "minimum": 0}, "max_length": {"type": "integer", "minimum": 0},
                                             "pattern": {"type": "string"}, "description": {"type": "string"}}}
    s["Template"] = {"type": "object", "required": ["id", "template_id", "name", "version"],
                     "properties": {"id": {"type": "string"}, "template_id": {"type": "string"}, "name": {"type": "string"},
                                    "version": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}},
                                    "parameters": obj, "definition": obj}}
    s["TemplateList"] = {"type": "object", "required": ["templates", "count", "limit", "offset"],
                         "properties": {"templates": {"type": "array", "items": ref("Template")}, "count": {"type": "integer"},
                                        "limit": {"type": "integer"}, "offset": {"type": "integer"}}}
    s["TemplateDeleted"] = {"type": "object", "required": ["template_id", "deleted"],
                            "properties": {"template_id": {"type": "string"}, "deleted": {"const": True}}}
    s["InstantiateTemplateRequest"] = {"type": "object",
                                       "properties": {"parameter_values": nullable("object"), "name": nullable("string", pattern=r"\S"),
                                                      "template_version": nullable("integer", minimum=1)}}
    s["TemplateInstance"] = {"type": "object", "required": ["workflow_id", "template_id", "template_version", "workflow"],
                             "properties": {"workflow_id": {"type": "string"}, "template_id": {"type": "string"},
                                            "template_version": {"type": "integer"}, "workflow": ref("Workflow")}}
    s["TemplateDocument"] = {"type": "object", "required": ["harmonia_template"],
                             "properties": {"harmonia_template": {"const": 1}}}
    s["ScheduleRequest"] = {
        "type": "object", "description": "create: `workflow_id` and `cron` or `interval` are required; PATCH: any subset",
        "properties": {"id": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^/]*\\S[^/]*$"},
                       "name": {"type": "string"}, "workflow_id": {"type": "string", "minLength": 1, "pattern": r"\S"},
                       "workflow_version": nullable("integer", minimum=1),
                       "cron": {"type": "string", "description": "5 fields or a macro (@daily, @hourly, ...)"},
                       "timezone": {"type": "string", "description": "an IANA time zone, default UTC (cron only)"},
                       "interval": {"type": "integer", "minimum": 1, "maximum": 31622400, "description": "seconds between runs (at most 366 days)"},
                       "input": {"type": "object"}, "metadata": {"type": "object"},
                       "missed_runs": {"type": "string", "enum": ["skip", "run_once"]},
                       "overlap": {"type": "string", "enum": ["allow", "skip", "cancel_previous"]},
                       "paused": {"type": "boolean"},
                       "start_at": nullable("string", format="date-time", description="no run before this time"),
                       "end_at": nullable("string", format="date-time", description="no run after this time")},
    }
    s["ScheduleRun"] = {"type": "object", "required": ["schedule_id", "due_at", "recorded_at", "outcome", "missed_count"],
                        "properties": {"schedule_id": {"type": "string"}, "due_at": {"type": "string"}, "recorded_at": {"type": "string"},
                                       "outcome": {"type": "string", "enum": ["started", "skipped", "missed", "failed"]},
                                       "execution_id": {"type": "string"}, "canceled_execution_id": {"type": "string"},
                                       "missed_count": {"type": "integer"}, "reason": {"type": "string"}}}
    s["Schedule"] = {"type": "object",
                     "required": ["id", "name", "workflow_id", "workflow_version", "input", "metadata", "missed_runs", "overlap",
                                  "paused", "next_run_at", "next_runs", "last_runs", "created_at", "updated_at"],
                     "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "workflow_id": {"type": "string"},
                                    "workflow_version": nullable("integer"), "cron": {"type": "string"}, "timezone": {"type": "string"},
                                    "interval": {"type": "integer"}, "input": {}, "metadata": obj,
                                    "missed_runs": {"type": "string"}, "overlap": {"type": "string"}, "paused": {"type": "boolean"},
                                    "next_run_at": nullable("string"), "next_runs": {"type": "array", "items": {"type": "string"}},
                                    "last_runs": {"type": "array", "items": ref("ScheduleRun")},
                                    "start_at": nullable("string"), "end_at": nullable("string"),
                                    "created_at": {"type": "string"}, "updated_at": {"type": "string"}}}
    s["ScheduleList"] = {"type": "object", "required": ["schedules", "count", "limit", "offset"],
                         "properties": {"schedules": {"type": "array", "items": ref("Schedule")}, "count": {"type": "integer"},
                                        "limit": {"type": "integer"}, "offset": {"type": "integer"}}}
    s["ScheduleRunList"] = {"type": "object", "required": ["schedule_id", "runs", "count"],
                            "properties": {"schedule_id": {"type": "string"}, "count": {"type": "integer"},
                                           "runs": {"type": "array", "items": ref("ScheduleRun")}}}
    s["ScheduleDeleted"] = {"type": "object", "required": ["schedule_id", "deleted"],
                            "properties": {"schedule_id": {"type": "string"}, "deleted": {"const": True}}}
    s["CheckpointSummary"] = {"type": "object", "required": ["id", "checkpoint_id", "seq", "reason", "created_at", "status"],
                              "properties": {"id": {"type": "string"}, "checkpoint_id": {"type": "string"}, "execution_id": {"type": "string"},
                                             "seq": {"type": "integer"}, "reason": {"type": "string"}, "created_at": {"type": "string"},
                                             "status": ref("ExecutionStatus"), "completed_tasks": {"type": "array", "items": {"type": "string"}}}}
    s["Checkpoint"] = {"allOf": [ref("CheckpointSummary"),
                                 {"type": "object", "required": ["execution_id", "execution", "tasks"],
                                  "properties": {"execution": ref("ExecutionSnapshot"), "tasks": {"type": "array", "items": obj}}}]}
    s["ExecutionSnapshot"] = {"type": "object", "required": ["id", "status", "workflow_id"],
                              "description": "the execution's row as it was at the checkpoint",
                              "properties": {"id": {"type": "string"}, "status": ref("ExecutionStatus"), "workflow_id": {"type": "string"},
                                             "workflow_version": {"type": "integer"}, "input": {}, "metadata": obj}}
    s["CheckpointList"] = {"type": "object", "required": ["execution_id", "checkpoints", "count"],
                           "properties": {"execution_id": {"type": "string"}, "count": {"type": "integer"},
                                          "checkpoints": {"type": "array", "items": ref("CheckpointSummary")}}}
    s["RestoredExecution"] = {"type": "object", "required": ["id", "execution_id", "restored_from", "checkpoint_id", "status", "execution"],
                              "properties": {"id": {"type": "string"}, "execution_id": {"type": "string"}, "restored_from": {"type": "string"},
                                             "original_execution_id": {"type": "string"}, "checkpoint_id": {"type": "string"},
                                             "status": ref("ExecutionStatus"), "kept_tasks": {"type": "array", "items": {"type": "string"}},
                                             "execution": ref("Execution")}}
    s["Component"] = {"type": "object", "required": ["name", "source", "available", "actions"],
                      "properties": {"name": {"type": "string"}, "source": {"type": "string", "enum": ["builtin", "config", "hermes", "plugin"]},
                                     "available": {"type": "boolean"}, "reason": {"type": "string"},
                                     "actions": {"type": "array", "items": {"type": "string"}}, "endpoint": {"type": "string"},
                                     "adapter_loaded": {"type": "boolean"}, "plugin_file": {"type": "string"},
                                     "plugin_name": {"type": "string"}, "version": {"type": "string"}, "abi_version": {"type": "string"},
                                     "isolation": {"type": "string", "enum": ["process", "in_process"],
                                                   "description": "Where a plugin component runs; absent for the built-in component."},
                                     "host_state": {"type": "string", "enum": ["starting", "running", "restarting", "crash_looped", "stopped"],
                                                    "description": "Under process isolation, its plugin host child; `reason` says why it is not running."}}}
    s["ComponentList"] = {"type": "object", "required": ["components", "refused", "loaded", "directories"],
                          "properties": {"components": {"type": "array", "items": ref("Component")},
                                         "refused": {"type": "array", "items": {"type": "object", "required": ["path", "reason"]}},
                                         "loaded": {"type": "array"}, "directories": {"type": "array", "items": {"type": "string"}}}}
    s["ReloadReport"] = {"type": "object", "required": ["loaded", "updated", "removed", "refused", "components_added", "components_removed", "catalog"],
                         "properties": {k: {"type": "array"} for k in ["loaded", "updated", "removed", "refused", "components_added", "components_removed"]}
                         | {"catalog": ref("ComponentList")}}
    s["ActionDescription"] = {"type": "object", "required": ["name"],
                              "properties": {"name": {"type": "string"}, "description": {"type": "string"}, "input_schema": obj}}
    s["ComponentActions"] = {"type": "object", "required": ["component", "actions"],
                             "properties": {"component": {"type": "string"}, "actions": {"type": "array", "items": ref("ActionDescription")}}}
    s["ActionRunResult"] = {"type": "object", "required": ["component", "action", "output", "duration_ms"],
                            "properties": {"component": {"type": "string"}, "action": {"type": "string"}, "output": {},
                                           "duration_ms": {"type": "number"}}}
    endpoint = {"type": "object", "required": ["method", "path"],
                "properties": {"method": {"type": "string"}, "path": {"type": "string"}, "description": {"type": "string"}}}
    s["ServiceInfo"] = {"type": "object", "required": ["name", "version", "endpoints"],
                        "properties": {"name": {"type": "string"}, "version": {"type": "string"}, "description": {"type": "string"},
                                       "endpoints": {"type": "array", "items": endpoint}}}
    s["Discovery"] = {"type": "object", "required": ["component", "name", "version", "endpoints", "capabilities"],
                      "properties": {"component": {"type": "string"}, "name": {"type": "string"}, "version": {"type": "string"},
                                     "endpoint": {"type": "string"}, "port": {"type": "integer"},
                                     "capabilities": {"type": "array", "items": {"type": "string"}},
                                     "endpoints": {"type": "array", "items": endpoint}}}
    s["Health"] = {"type": "object", "required": ["status", "component", "version"],
                   "properties": {"status": {"type": "string", "enum": ["healthy", "degraded"]}, "component": {"type": "string"},
                                  "version": {"type": "string"}, "port": {"type": "integer"}, "registered": {"type": "boolean"},
                                  "uptime": {"type": "number"}}}
    s["Ready"] = {"type": "object", "required": ["status", "ready"],
                  "properties": {"status": {"type": "string", "enum": ["ready", "not_ready"]}, "ready": {"type": "boolean"},
                                 "version": {"type": "string"}, "uptime": {"type": "number"}, "code": {"type": "string"},
                                 "detail": {"type": "string"}}}
    s["Shutdown"] = {"type": "object", "required": ["status"],
                     "properties": {"status": {"const": "shutting_down"}, "message": {"type": "string"}}}
    return s


def embed_workflow_schema(s):
    """The editor schema's $defs become components named WorkflowDefinition_<def>."""
    raw = json.loads(WORKFLOW_SCHEMA.read_text())
    text = json.dumps(raw)
    text = re.sub(r'"#/\$defs/([A-Za-z0-9_]+)"', r'"#/components/schemas/WorkflowDefinition_\1"', text)
    raw = json.loads(text)
    for name, definition in raw["$defs"].items():
        s[f"WorkflowDefinition_{name}"] = definition
    top = {k: v for k, v in raw.items() if k not in ("$defs", "$schema")}
    top["description"] = "A workflow definition, as GET /api/v1/schemas/workflow.json describes it (docs/workflow-language.md)."
    s["WorkflowDefinition"] = top


def build():
    version = re.search(r'"([0-9][^"]*)"', VERSION_FILE.read_text()).group(1)
    paths = {}
    for method, path, operation in infrastructure_operations():
        paths.setdefault(path, {})[method] = operation
    for index, prefix in enumerate(PREFIXES):
        for method, path, operation in business_operations():
            operation = copy.deepcopy(operation)
            if index > 0:
                operation["operationId"] += "Alias"
                operation["summary"] += f" (Tekton's alias of {PREFIXES[0]}{path})"
            paths.setdefault(prefix + path, {})[method] = operation
    s = schemas()
    embed_workflow_schema(s)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Harmonia",
            "version": version,
            "description": "Workflow orchestration for the Tekton ecosystem. Business routes are served under /api/v1 and, "
                           "for older Tekton clients, the alias /api. Successes are `{status, message, data}`; errors "
                           "`{detail, code, path?, problems?}`. Requests accept snake_case and camelCase keys. "
                           "With API keys configured every route but /health and /ready needs `Authorization: Bearer <key>` "
                           "or `X-API-Key: <key>`. docs/http-api.md is the prose reference.",
        },
        "servers": [{"url": "/"}],
        "security": [{}, {"bearer": []}, {"apiKey": []}],
        "tags": [{"name": t} for t in ["workflows", "executions", "templates", "checkpoints", "schedules", "components", "status",
                                       "schemas", "infrastructure", "streams", "mcp"]],
        "paths": paths,
        "components": {
            "schemas": s,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
        },
    }


def main():
    text = json.dumps(build(), indent=1, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        if OUT.read_text() != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run python3 tools/openapi/generate.py", file=sys.stderr)
            sys.exit(1)
        return
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(build()['paths'])} paths)")


if __name__ == "__main__":
    main()
