// Harmonia dashboard: plain JS, no build step, no network beyond this server.
"use strict";

const STATUSES = ["pending", "waiting", "running", "retrying", "completed", "failed", "skipped", "canceled"];
const TERMINAL_EVENTS = new Set(["workflow_completed", "workflow_failed", "workflow_canceled"]);
const state = { workflows: [], executionID: null, detail: null, tasks: {}, order: [], source: null, selectedTask: null, checkpointRoute: false,
  page: { limit: 20, offset: 0, count: 0 } };
const $ = (selector) => document.querySelector(selector);

// ---- API access -------------------------------------------------------------------------

function apiKey() { return localStorage.getItem("harmonia.apiKey") || ""; }

async function api(path, options = {}) {
  const headers = Object.assign({ "Accept": "application/json" }, options.body ? { "Content-Type": "application/json" } : {});
  if (apiKey()) headers["X-API-Key"] = apiKey();
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (_) { body = { detail: text }; }
  if (response.status === 401) {
    askForKey("This server needs an API key.");
  }
  if (!response.ok) {
    const error = new Error((body && body.detail) || ("HTTP " + response.status));
    error.status = response.status; error.code = body && body.code;
    throw error;
  }
  return body && body.status === "success" && "data" in body ? body.data : body;
}

function askForKey(reason) {
  const key = prompt((reason ? reason + "\n" : "") + "API key (kept in this browser's local storage):", apiKey());
  if (key !== null) { localStorage.setItem("harmonia.apiKey", key.trim()); location.reload(); }
}

function withKey(url) {
  return apiKey() ? url + (url.includes("?") ? "&" : "?") + "api_key=" + encodeURIComponent(apiKey()) : url;
}

// ---- Formatting -------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value; else if (name.startsWith("on")) node.addEventListener(name.slice(2), value); else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? "")));
  return node;
}

function duration(start, end) {
  if (!start) return "";
  const seconds = ((end ? new Date(end) : new Date()) - new Date(start)) / 1000;
  if (seconds < 1) return Math.max(0, Math.round(seconds * 1000)) + " ms";
  if (seconds < 120) return seconds.toFixed(1) + " s";
  return Math.floor(seconds / 60) + " min " + Math.round(seconds % 60) + " s";
}

function badge(status) { return el("span", { class: "badge " + status }, status); }
function short(id) { return id ? id.slice(0, 8) : ""; }
function pretty(value) { return value === undefined || value === null ? "" : JSON.stringify(value, null, 2); }

// ---- Lists ------------------------------------------------------------------------------

async function loadWorkflows() {
  const data = await api("/api/v1/workflows?limit=200");
  state.workflows = data.workflows || [];
  $("#workflow-count").textContent = "(" + state.workflows.length + ")";
  const select = $("#workflow-select");
  const previous = select.value;
  select.replaceChildren(...state.workflows.map((w) => el("option", { value: w.id }, w.name + " (" + short(w.id) + ")")));
  if (previous) select.value = previous;
  schemaForm();
  const filter = $("#filter-workflow");
  const chosen = filter.value;
  filter.replaceChildren(el("option", { value: "" }, "any workflow"),
    ...state.workflows.map((w) => el("option", { value: w.id }, w.name + " (" + short(w.id) + ")")));
  filter.value = chosen;
  $("#workflows tbody").replaceChildren(...state.workflows.map((w) =>
    el("tr", { "data-workflow": w.id, onclick: () => { select.value = w.id; schemaForm(); showWorkflowDefinition(w); $("#input-json").focus(); } },
      el("td", {}, w.name), el("td", {}, (w.tasks || []).length), el("td", {}, w.version))));
}

async function loadExecutions() {
  const query = new URLSearchParams({ limit: String(state.page.limit + 1), offset: String(state.page.offset) });
  if ($("#filter-status").value) query.set("status", $("#filter-status").value);
  if ($("#filter-workflow").value) query.set("workflow_id", $("#filter-workflow").value);
  if ($("#filter-time").value) query.set("created_after", new Date(Date.now() - Number($("#filter-time").value) * 1000).toISOString());
  const data = await api("/api/v1/executions?" + query);
  // One row more than a page tells whether there is a next page.
  const more = (data.executions || []).length > state.page.limit;
  const executions = (data.executions || []).slice(0, state.page.limit);
  const first = executions.length ? state.page.offset + 1 : 0;
  $("#execution-count").textContent = "(" + (executions.length ? first + "–" + (state.page.offset + executions.length) : "none") + ")";
  $("#page-info").textContent = "page " + (Math.floor(state.page.offset / state.page.limit) + 1);
  $("#page-prev").disabled = state.page.offset === 0;
  $("#page-next").disabled = !more;
  $("#executions tbody").replaceChildren(...executions.map((e) => {
    const row = el("tr", { "data-id": e.id, onclick: () => { location.hash = "#/executions/" + e.id; } },
      el("td", { class: "mono" }, short(e.id)), el("td", {}, e.workflow_name || short(e.workflow_id)),
      el("td", {}, badge(e.status)), el("td", {}, duration(e.started_at, e.finished_at)));
    if (e.id === state.executionID) row.classList.add("selected");
    return row;
  }));
}

// The stored definition of a workflow clicked in the list (its newest version).
function showWorkflowDefinition(workflow) {
  $("#workflow-definition-box").hidden = false;
  $("#workflow-definition-box").open = true;
  $("#workflow-definition-name").textContent = workflow.name + " (version " + workflow.version + ")";
  $("#workflow-definition").textContent = pretty(workflow);
}

// Templates, and an instantiate form generated from the chosen one's typed parameters.
async function loadTemplates() {
  const data = await api("/api/v1/templates?limit=200");
  state.templates = data.templates || [];
  $("#template-count").textContent = "(" + state.templates.length + ")";
  $("#templates tbody").replaceChildren(...state.templates.map((t) => el("tr", { "data-template": t.id, onclick: () => chooseTemplate(t) },
    el("td", {}, t.name), el("td", { class: "wrap" }, Object.keys(t.parameters || {}).join(", ") || "—"), el("td", {}, t.version))));
}

function chooseTemplate(template) {
  state.template = template;
  for (const row of document.querySelectorAll("#templates tbody tr")) row.classList.toggle("selected", row.dataset.template === template.id);
  $("#instantiate-form").hidden = false;
  $("#template-name").textContent = template.name;
  $("#instantiate-message").textContent = "";
  $("#parameter-fields").replaceChildren(...Object.entries(template.parameters || {}).map(([name, p]) => {
    let field;
    if (Array.isArray(p.enum)) {
      field = el("select", { name }, el("option", { value: "" }, p.default !== undefined ? "(default " + JSON.stringify(p.default) + ")" : "—"),
        ...p.enum.map((v) => el("option", { value: JSON.stringify(v) }, String(v))));
    } else if (p.type === "boolean") {
      field = el("select", { name }, el("option", { value: "" }, "(default)"), el("option", { value: "true" }, "true"), el("option", { value: "false" }, "false"));
    } else if (p.type === "array" || p.type === "object") {
      field = el("textarea", { name, rows: 2, placeholder: p.default !== undefined ? JSON.stringify(p.default) : "JSON " + p.type });
    } else {
      field = el("input", { name, type: p.type === "number" || p.type === "integer" ? "number" : "text", step: p.type === "integer" ? "1" : "any",
        placeholder: p.default !== undefined ? String(p.default) : "" });
      if (p.minimum !== undefined) field.min = p.minimum;
      if (p.maximum !== undefined) field.max = p.maximum;
    }
    field.dataset.type = p.type;
    return el("label", { class: "schema-field" }, name + " (" + p.type + ")" + (p.required ? " *" : "") + (p.description ? " — " + p.description : ""), field);
  }));
}

async function instantiate(event) {
  event.preventDefault();
  const message = $("#instantiate-message");
  const values = {};
  try {
    for (const field of document.querySelectorAll("#parameter-fields [name]")) {
      const name = field.getAttribute("name"), type = field.dataset.type;
      if (field.value === "") continue;
      if (field.tagName === "SELECT" || type === "array" || type === "object") values[name] = JSON.parse(field.value);
      else if (type === "number" || type === "integer") values[name] = Number(field.value);
      else values[name] = field.value;
    }
  } catch (problem) { message.textContent = "not valid JSON: " + problem.message; return; }
  try {
    const instance = await api("/api/v1/templates/" + encodeURIComponent(state.template.id) + "/instantiate",
      { method: "POST", body: JSON.stringify({ parameter_values: values }) });
    message.textContent = "workflow " + short(instance.workflow_id) + " created; pick it above to start it";
    await loadWorkflows();
    $("#workflow-select").value = instance.workflow_id;
    $("#input-json").value = "{}";
    schemaForm();
  } catch (error) { message.textContent = "instantiate failed: " + error.message; }
}

// Schedules with their next run, paused state and latest run; a button pauses or resumes.
async function loadSchedules() {
  const data = await api("/api/v1/schedules?limit=200");
  const schedules = data.schedules || [];
  $("#schedule-count").textContent = "(" + schedules.filter((s) => !s.paused).length + " of " + schedules.length + " active)";
  const when = (s) => s.cron ? s.cron + " (" + s.timezone + ")" : "every " + s.interval + " s";
  const time = (t) => t ? new Date(t).toLocaleString() : "—";
  $("#schedules tbody").replaceChildren(...schedules.map((s) => {
    const last = (s.last_runs || [])[0];
    const toggle = el("button", { type: "button", class: "toggle", onclick: (event) => { event.stopPropagation(); toggleSchedule(s); } },
      s.paused ? "Resume" : "Pause");
    return el("tr", { "data-schedule": s.id, "data-paused": String(s.paused), class: s.paused ? "paused" : "" },
      el("td", {}, s.name, el("div", { class: "muted small" }, s.workflow_id)),
      el("td", { class: "mono wrap" }, when(s)),
      el("td", { class: "next-run", title: (s.next_runs || []).map(time).join("\n") }, s.paused ? "paused" : time(s.next_run_at)),
      el("td", {}, last ? last.outcome + " " + time(last.due_at) : "—"),
      el("td", {}, toggle));
  }));
}

async function toggleSchedule(schedule) {
  const verb = schedule.paused ? "resume" : "pause";
  try {
    await api("/api/v1/schedules/" + encodeURIComponent(schedule.id) + "/" + verb, { method: "POST", body: "{}" });
    $("#schedule-message").textContent = schedule.name + (schedule.paused ? " resumed" : " paused");
  } catch (error) { $("#schedule-message").textContent = verb + " failed: " + error.message; }
  await loadSchedules().catch(() => {});
}

// Every component the server knows, also the ones a loaded plugin serves but nothing
// enabled: their reason says how to enable them.
async function loadComponents() {
  const data = await api("/api/v1/components");
  const components = data.components || [];
  $("#component-count").textContent = "(" + components.filter((c) => c.available).length + " of " + components.length + " available)";
  $("#components tbody").replaceChildren(...components.map((c) => el("tr", { "data-component": c.name, class: c.available ? "" : "unavailable" },
    el("td", {}, c.name, el("div", { class: "muted small" }, c.source + (c.plugin_file ? " · " + c.plugin_file.split("/").pop() : ""))),
    el("td", {}, c.available ? "yes" : el("span", { class: "reason" }, "no — " + (c.reason || "not available"))),
    el("td", { class: "mono wrap" }, (c.actions || []).join(", ")))));
}

let refreshTimer = null;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => { loadExecutions().catch(() => {}); loadSchedules().catch(() => {}); }, 300);
}

// ---- One execution ----------------------------------------------------------------------

async function openExecution(id) {
  if (state.source) { state.source.close(); state.source = null; }
  state.executionID = id; state.selectedTask = null;
  $("#detail").hidden = false;
  $("#events").replaceChildren();
  state.timeline = {}; state.timelineStart = null; state.timelineEnd = null;
  $("#control-message").textContent = "";
  const detail = await api("/api/v1/executions/" + encodeURIComponent(id));
  state.detail = detail;
  const definitions = (detail.workflow_definition && detail.workflow_definition.tasks) || [];
  state.tasks = {};
  for (const task of definitions) state.tasks[task.id] = { definition: task, run: (detail.execution.tasks || {})[task.id] || { status: "pending", attempt: 0 } };
  for (const [taskID, run] of Object.entries(detail.execution.tasks || {})) if (!state.tasks[taskID]) state.tasks[taskID] = { definition: { id: taskID, depends_on: [] }, run };
  $("#detail-title").textContent = (detail.execution.workflow_name || "Execution") + " · " + short(id);
  setStatus(detail.execution.status);
  drawDAG();
  showTask(null);
  showDefinition(detail.workflow_definition);
  loadExecutions().catch(() => {});
  loadCheckpoints().catch(() => {});
  loadExplanation().catch(() => {});
  subscribe(id);
}

// At most one explanation request per second while events stream in.
let explainTimer = null;
function explainSoon() {
  if (explainTimer !== null) return;
  explainTimer = setTimeout(() => { explainTimer = null; loadExplanation().catch(() => {}); }, 1000);
}

// "Why is it waiting": the server's explanation of every unfinished task.
async function loadExplanation() {
  const id = state.executionID;
  if (!id) return;
  const data = await api("/api/v1/executions/" + encodeURIComponent(id) + "/explain");
  if (id !== state.executionID) return;
  const summary = $("#explain-summary");
  summary.textContent = data.summary;
  summary.className = data.can_progress || (data.tasks || []).length === 0 ? "muted" : "error";
  $("#explain tbody").replaceChildren(...(data.tasks || []).map((t) => el("tr", { "data-task": t.task_id },
    el("td", { class: "mono" }, t.task_id), el("td", {}, t.waiting_for.replace(/_/g, " ")), el("td", {}, t.detail))));
}

// The definition the execution runs (the version it pinned), as stored.
function showDefinition(definition) {
  $("#definition-version").textContent = definition ? "version " + definition.version + " · " + short(definition.id) : "";
  $("#definition").textContent = definition ? pretty(definition) : "";
}

async function loadCheckpoints() {
  const id = state.executionID;
  const body = $("#checkpoints tbody");
  if (!state.checkpointRoute) { body.replaceChildren(); $("#checkpoint-count").textContent = "(not available on this server)"; return; }
  const data = await api("/api/v1/executions/" + encodeURIComponent(id) + "/checkpoints");
  if (id !== state.executionID) return;
  const checkpoints = data.checkpoints || [];
  $("#checkpoint-count").textContent = "(" + checkpoints.length + ")";
  body.replaceChildren(...checkpoints.map((c) => el("tr", { "data-checkpoint": c.id },
    el("td", { class: "mono" }, short(c.id)), el("td", {}, c.reason), el("td", {}, new Date(c.created_at).toLocaleTimeString()),
    el("td", {}, (c.completed_tasks || []).length),
    el("td", {}, el("button", { type: "button", class: "restore", onclick: (event) => { event.stopPropagation(); restore(c); } }, "Restore")))));
}

// Asks in the page (not a browser dialog) before something that cannot be undone.
function confirmInline(text, action) {
  const box = $("#confirm");
  $("#confirm-text").textContent = text + " ";
  box.hidden = false;
  $("#confirm-yes").onclick = () => { box.hidden = true; action(); };
  $("#confirm-no").onclick = () => { box.hidden = true; };
}

function restore(checkpoint) {
  confirmInline("Start a new execution from checkpoint " + short(checkpoint.id) + ", keeping its " + (checkpoint.completed_tasks || []).length + " completed task(s)?", async () => {
    try {
      const restored = await api("/api/v1/checkpoints/" + encodeURIComponent(checkpoint.id) + "/restore", { method: "POST", body: "{}" });
      location.hash = "#/executions/" + restored.execution_id;
    } catch (error) { $("#control-message").textContent = "restore failed: " + error.message; }
  });
}

async function rerun() {
  const execution = state.detail && state.detail.execution;
  if (!execution) return;
  try {
    const started = await api("/api/v1/executions", { method: "POST", body: JSON.stringify({
      workflow_id: execution.workflow_id, workflow_version: execution.workflow_version, input: execution.input || {} }) });
    location.hash = "#/executions/" + (started.execution_id || started.id);
  } catch (error) { $("#control-message").textContent = "re-run failed: " + error.message; }
}

function subscribe(id) {
  // The stream replays the whole log first, so the view rebuilds from events and then stays live.
  const source = new EventSource(withKey("/events/executions/" + encodeURIComponent(id)));
  state.source = source;
  source.addEventListener("open", () => $("#live").className = "live on");
  source.addEventListener("error", () => { $("#live").className = "live off"; });
  source.addEventListener("state", (message) => {
    const snapshot = JSON.parse(message.data);
    setStatus(snapshot.status);
    for (const [taskID, status] of Object.entries(snapshot.tasks || {})) if (state.tasks[taskID]) state.tasks[taskID].run.status = status;
    updateNodes();
  });
  for (const type of ["workflow_started", "workflow_completed", "workflow_failed", "workflow_paused", "workflow_resumed", "workflow_canceled",
    "task_started", "task_completed", "task_failed", "task_skipped", "task_canceled", "retry_attempted", "timeout_occurred",
    "checkpoint_created", "state_changed", "error_occurred", "custom",
    "task_instance_started", "task_instance_completed", "task_instance_failed"]) {
    source.addEventListener(type, (message) => applyEvent(JSON.parse(message.data)));
  }
}

function applyEvent(event) {
  if (event.execution_id !== state.executionID) return;
  const item = el("li", { value: event.seq }, el("span", { class: "type" }, event.event_type), " ",
    event.task_id ? el("code", {}, event.task_id) : "", " ", event.message, " ", el("span", { class: "muted" }, new Date(event.timestamp).toLocaleTimeString()));
  const list = $("#events");
  // Follow the newest event inside the list only: scrollIntoView would scroll the page too.
  const following = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.append(item);
  if (following) list.scrollTop = list.scrollHeight;
  const task = event.task_id && state.tasks[event.task_id];
  const details = event.details || {};
  recordTimeline(event);
  if (task) {
    const run = task.run;
    switch (event.event_type) {
      case "task_started": run.status = "running"; run.attempt = details.attempt || (run.attempt || 0) + 1; run.started_at = event.timestamp; run.finished_at = null; run.error = null; break;
      case "task_completed": run.status = "completed"; run.output = details.output; run.finished_at = event.timestamp; break;
      case "task_failed": run.status = "failed"; run.error = { code: details.code, message: details.error }; run.finished_at = event.timestamp; break;
      case "task_skipped": run.status = "skipped"; run.reason = details.reason; break;
      case "task_canceled": run.status = "canceled"; run.finished_at = event.timestamp; break;
      case "retry_attempted": run.status = "retrying"; break;
      case "task_instance_started": case "task_instance_completed": case "task_instance_failed": countInstance(run, event); break;
    }
    if (event.event_type === "task_started" && details.instances !== undefined) {
      run.instances = { total: details.instances, pending: details.instances, running: 0, retrying: 0, waiting: 0, completed: 0, failed: 0, canceled: 0 };
    }
  }
  const workflowStatus = { workflow_started: "running", workflow_resumed: "running", workflow_paused: "paused",
    workflow_completed: "completed", workflow_failed: "failed", workflow_canceled: "canceled" }[event.event_type];
  if (workflowStatus) { setStatus(workflowStatus); refreshSoon(); }
  explainSoon();
  if (event.event_type === "checkpoint_created") loadCheckpoints().catch(() => {});
  updateNodes();
  if (state.selectedTask && state.selectedTask === event.task_id) showTask(event.task_id);
  if (TERMINAL_EVENTS.has(event.event_type) && state.source) {
    // The server ends the stream here; without closing, EventSource would reconnect.
    state.source.close(); state.source = null; $("#live").className = "live off";
    api("/api/v1/executions/" + encodeURIComponent(state.executionID)).then((detail) => {
      for (const [taskID, run] of Object.entries(detail.execution.tasks || {})) if (state.tasks[taskID]) state.tasks[taskID].run = run;
      if (state.selectedTask) showTask(state.selectedTask);
    }).catch(() => {});
  }
}

function setStatus(status) {
  const node = $("#detail-status");
  node.className = "badge " + status; node.textContent = status;
  document.body.dataset.executionStatus = status;
  // The list row too, without waiting for the list to be read again.
  const row = state.executionID && document.querySelector('#executions tr[data-id="' + state.executionID + '"] .badge');
  if (row) { row.className = "badge " + status; row.textContent = status; }
  const terminal = ["completed", "failed", "canceled"].includes(status);
  document.querySelector('[data-action="pause"]').disabled = status !== "running" && status !== "pending";
  document.querySelector('[data-action="resume"]').disabled = status !== "paused";
  document.querySelector('[data-action="cancel"]').disabled = terminal;
  $("#checkpoint").disabled = !state.checkpointRoute;
}

// ---- Timeline ---------------------------------------------------------------------------

// Segments per task, from the event log: an attempt runs from task_started to its end; a
// retry delay from retry_attempted to the next start; a wait for a component from its
// state_changed (waiting) to the next start.
function recordTimeline(event) {
  const at = new Date(event.timestamp).getTime();
  if (state.timelineStart === null) state.timelineStart = at;
  state.timelineEnd = TERMINAL_EVENTS.has(event.event_type) ? at : null;
  const id = event.task_id;
  if (!id) { if (TERMINAL_EVENTS.has(event.event_type)) closeAll(at); scheduleTimeline(); return; }
  const segments = state.timeline[id] = state.timeline[id] || [];
  const open = segments.length && segments[segments.length - 1].end === null ? segments[segments.length - 1] : null;
  const close = (status) => { if (open) { open.end = at; if (status) open.status = status; } };
  const details = event.details || {};
  switch (event.event_type) {
    case "task_started": close(); segments.push({ kind: "attempt", attempt: details.attempt || 1, start: at, end: null, status: "running" }); break;
    case "task_completed": close("completed"); break;
    case "task_failed": close("failed"); break;
    case "task_canceled": close("canceled"); break;
    case "retry_attempted": close("failed"); segments.push({ kind: "retry", start: at, end: null, status: "retrying" }); break;
    case "state_changed": if (details.status === "waiting") { close("waiting"); segments.push({ kind: "wait", start: at, end: null, status: "waiting" }); } break;
  }
  scheduleTimeline();
}

function closeAll(at) {
  for (const segments of Object.values(state.timeline)) for (const s of segments) if (s.end === null) s.end = at;
}

let timelineFrame = null;
function scheduleTimeline() {
  if (timelineFrame === null) timelineFrame = requestAnimationFrame(() => { timelineFrame = null; drawTimeline(); });
}

function drawTimeline() {
  const root = $("#timeline");
  const ids = Object.keys(state.tasks).filter((id) => (state.timeline[id] || []).length);
  const rowHeight = 16, label = 150, width = Math.max(300, $("#timeline-wrap").clientWidth - 2);
  const start = state.timelineStart, end = state.timelineEnd ?? Date.now();
  root.setAttribute("width", width); root.setAttribute("height", Math.max(24, ids.length * rowHeight + 22));
  if (start === null || !ids.length) { root.replaceChildren(); return; }
  const span = Math.max(1, end - start), scale = (width - label - 10) / span;
  const x = (t) => label + (t - start) * scale;
  const children = [svg("text", { class: "axis", x: label, y: 12 }, "0 s"),
    svg("text", { class: "axis", x: width - 4, y: 12, "text-anchor": "end" }, (span / 1000).toFixed(span < 10000 ? 2 : 1) + " s")];
  ids.forEach((id, row) => {
    const y = 18 + row * rowHeight;
    children.push(svg("text", { class: "label", x: 0, y: y + 11 }, id.length > 22 ? id.slice(0, 21) + "…" : id));
    for (const s of state.timeline[id]) {
      const x1 = x(s.start), x2 = x(s.end ?? end);
      const bar = svg("rect", { class: "bar " + s.kind, "data-kind": s.kind, "data-status": s.status, "data-task": id,
        x: x1, y: y + 2, width: Math.max(2, x2 - x1), height: rowHeight - 5 });
      bar.append(svg("title", {}, id + " · " + (s.kind === "attempt" ? "attempt " + s.attempt + " " + s.status : s.kind === "retry" ? "retry delay" : "waiting for its component")
        + " · " + ((((s.end ?? end) - s.start)) / 1000).toFixed(3) + " s"));
      children.push(bar);
    }
  });
  root.replaceChildren(...children);
}

// ---- DAG --------------------------------------------------------------------------------

const NODE = { width: 160, height: 46, gapX: 70, gapY: 22, pad: 20 };
const GROUP_AT = 12;

/// Layers by longest path from a root; within a layer, ordered by the mean position of
/// the parents (one barycenter pass), which keeps most edges from crossing.
function layout() {
  const ids = Object.keys(state.tasks);
  const deps = (id) => ((state.tasks[id].definition.depends_on || state.tasks[id].definition.dependsOn || [])).filter((d) => state.tasks[d]);
  const layer = {};
  const visit = (id, seen = new Set()) => {
    if (layer[id] !== undefined) return layer[id];
    if (seen.has(id)) return 0;
    seen.add(id);
    const parents = deps(id);
    layer[id] = parents.length ? 1 + Math.max(...parents.map((p) => visit(p, seen))) : 0;
    return layer[id];
  };
  ids.forEach((id) => visit(id));
  const layers = [];
  ids.forEach((id) => { (layers[layer[id]] = layers[layer[id]] || []).push(id); });
  // A fan-out stays readable: in a layer wider than GROUP_AT, siblings with the same
  // parents are drawn as one node ("998 × fetch-…") whose status sums up theirs.
  state.groups = {};
  const owner = {};
  ids.forEach((id) => { owner[id] = id; });
  layers.forEach((members, index) => {
    if (members.length <= GROUP_AT) return;
    const byParents = new Map();
    for (const id of members) {
      const key = deps(id).slice().sort().join("\u0000");
      if (!byParents.has(key)) byParents.set(key, []);
      byParents.get(key).push(id);
    }
    const next = [];
    for (const siblings of byParents.values()) {
      if (siblings.length < 3) { next.push(...siblings); continue; }
      const group = "group:" + siblings[0];
      state.groups[group] = siblings;
      siblings.forEach((id) => { owner[id] = group; });
      next.push(group);
    }
    layers[index] = next;
  });
  // A drawn node's parents: the drawn owners of its (first member's) dependencies.
  const nodeDeps = (node) => [...new Set(deps((state.groups[node] || [node])[0]).map((d) => owner[d]))];
  const row = {};
  layers.forEach((members, index) => {
    if (index > 0) {
      const mean = (id) => { const p = nodeDeps(id); return p.length ? p.reduce((s, d) => s + row[d], 0) / p.length : 0; };
      members.sort((a, b) => mean(a) - mean(b));
    }
    members.forEach((id, position) => { row[id] = position; });
  });
  const tallest = Math.max(1, ...layers.map((m) => m.length));
  const positions = {};
  layers.forEach((members, column) => {
    const offset = (tallest - members.length) * (NODE.height + NODE.gapY) / 2;
    members.forEach((id, position) => {
      positions[id] = { x: NODE.pad + column * (NODE.width + NODE.gapX), y: NODE.pad + offset + position * (NODE.height + NODE.gapY) };
    });
  });
  return { positions, deps: nodeDeps, width: NODE.pad * 2 + layers.length * (NODE.width + NODE.gapX) - NODE.gapX, height: NODE.pad * 2 + tallest * (NODE.height + NODE.gapY) - NODE.gapY };
}

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

// The graph keeps its own size and scrolls inside #dag-wrap; zoom scales it there, so a
// wide graph never widens the page.
const zoom = { level: 1, width: 200, height: 80, min: 0.1, max: 3 };

function applyZoom(level) {
  zoom.level = Math.min(zoom.max, Math.max(zoom.min, level));
  const root = $("#dag");
  root.setAttribute("viewBox", `0 0 ${zoom.width} ${zoom.height}`);
  root.setAttribute("width", Math.round(zoom.width * zoom.level));
  root.setAttribute("height", Math.round(zoom.height * zoom.level));
  $("#zoom-level").textContent = Math.round(zoom.level * 100) + "%";
}

function fitZoom() {
  const wrap = $("#dag-wrap");
  const available = Math.max(100, wrap.clientWidth - 4);
  const tall = Math.max(100, (window.innerHeight * 0.6) - 4);
  return Math.min(1, available / zoom.width, tall / zoom.height);
}

function drawDAG() {
  const { positions, deps, width, height } = layout();
  const root = $("#dag");
  zoom.width = Math.max(width, 200); zoom.height = Math.max(height, 80);
  // A new graph starts at actual size when it fits, else fitted to the panel (not below 40%,
  // where labels stop being readable: then it scrolls).
  applyZoom(Math.max(0.4, fitZoom()));
  const defs = svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
    svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#9aa4b2" })));
  const edges = [];
  for (const id of Object.keys(positions)) for (const parent of deps(id)) {
    const a = positions[parent], b = positions[id];
    const x1 = a.x + NODE.width, y1 = a.y + NODE.height / 2, x2 = b.x, y2 = b.y + NODE.height / 2, mid = (x1 + x2) / 2;
    edges.push(svg("path", { class: "edge", d: `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`, "data-from": parent, "data-to": id }));
  }
  const nodes = Object.entries(positions).map(([id, p]) => {
    const members = state.groups[id];
    const name = members ? members.length + " × " + members[0] : id;
    const label = name.length > 20 ? name.slice(0, 19) + "…" : name;
    const group = svg("g", { class: "node" + (members ? " group" : ""), "data-task": id, "data-status": "pending", transform: `translate(${p.x},${p.y})` },
      svg("rect", { width: NODE.width, height: NODE.height }),
      svg("text", { x: 10, y: 19 }, label),
      svg("text", { class: "sub", x: 10, y: 35 }, ""));
    group.addEventListener("click", () => showTask(id));
    return group;
  });
  root.replaceChildren(defs, ...edges, ...nodes);
  $("#legend").replaceChildren(...STATUSES.map((s) => el("span", {}, el("i", { style: `background: var(--${s})` }), s)));
  updateNodes();
}

function updateNodes() {
  let done = 0;
  const total = Object.keys(state.tasks).length;
  const ended = (status) => ["completed", "failed", "skipped", "canceled"].includes(status);
  for (const task of Object.values(state.tasks)) if (ended(task.run.status)) done += 1;
  for (const group of document.querySelectorAll("#dag .node")) {
    group.classList.toggle("selected", group.dataset.task === state.selectedTask);
    const members = (state.groups || {})[group.dataset.task];
    if (members) {
      // The most telling status of the members: a failure, then work in progress, then the rest.
      const statuses = members.map((id) => state.tasks[id].run.status);
      const shown = ["failed", "running", "retrying", "waiting", "pending", "canceled", "skipped", "completed"].find((s) => statuses.includes(s)) || "pending";
      group.dataset.status = shown;
      group.querySelector("text.sub").textContent = statuses.filter(ended).length + "/" + members.length + " done" +
        (statuses.includes("failed") ? " · " + statuses.filter((s) => s === "failed").length + " failed" : "");
      continue;
    }
    const run = state.tasks[group.dataset.task].run;
    group.dataset.status = run.status;
    const attempt = run.attempt > 1 ? " · try " + run.attempt : "";
    const instances = run.instances ? " · " + run.instances.completed + "/" + run.instances.total : "";
    group.querySelector("text.sub").textContent = run.status + (run.started_at ? " · " + duration(run.started_at, run.finished_at) : "") + attempt + instances;
  }
  $("#detail-progress").textContent = done + "/" + total + " tasks done";
}

// A map task's instance counts (`instances` in the execution detail), kept current from its
// instance events between reloads of the detail.
function countInstance(run, event) {
  const counts = run.instances;
  if (!counts) return;
  const details = event.details || {};
  const move = (from, to) => { if (counts[from] > 0) counts[from] -= 1; counts[to] += 1; };
  if (event.event_type === "task_instance_started") {
    if (!details.recovered) move(details.attempt > 1 ? "retrying" : "pending", "running");
  } else if (event.event_type === "task_instance_completed") {
    move("running", "completed");
  } else {
    move("running", details.will_retry ? "retrying" : "failed");
  }
}

// "37/100 instances · 4 running" for a map task, "" for any other.
function instanceProgress(run) {
  const c = run.instances;
  if (!c) return "";
  return c.completed + "/" + c.total + " instances" + (c.running ? " · " + c.running + " running" : "") +
    (c.retrying ? " · " + c.retrying + " retrying" : "") + (c.failed ? " · " + c.failed + " failed" : "");
}

function showTask(id) {
  state.selectedTask = id;
  updateNodes();
  const box = $("#task-detail");
  if (!id) { $("#task-title").textContent = "(select a node)"; box.replaceChildren(); return; }
  const members = (state.groups || {})[id];
  if (members) {
    $("#task-title").textContent = members.length + " tasks with the same dependencies";
    box.replaceChildren(el("ul", { class: "members" }, ...members.slice(0, 500).map((m) =>
      el("li", {}, el("a", { href: "#", onclick: (event) => { event.preventDefault(); showTask(m); } }, m), " ", badge(state.tasks[m].run.status)))),
      members.length > 500 ? el("p", { class: "muted" }, "… and " + (members.length - 500) + " more") : "");
    return;
  }
  const { definition, run } = state.tasks[id];
  $("#task-title").textContent = id;
  const row = (name, value) => [el("dt", {}, name), el("dd", {}, value)];
  const block = (value) => el("pre", { class: "mono" }, pretty(value));
  box.replaceChildren(el("dl", {},
    ...row("status", badge(run.status)),
    ...row("action", el("code", {}, (definition.component || "") + "." + (definition.action || ""))),
    ...row("depends on", (definition.depends_on || []).join(", ") || "—"),
    ...row("attempts", run.attempt || 0),
    ...(run.instances ? row("instances", instanceProgress(run)) : []),
    ...(run.instances ? row("instance list", el("div", { id: "instances" }, el("span", { class: "muted" }, "loading…"))) : []),
    ...row("started", run.started_at ? new Date(run.started_at).toLocaleString() : "—"),
    ...row("finished", run.finished_at ? new Date(run.finished_at).toLocaleString() : "—"),
    ...row("duration", duration(run.started_at, run.finished_at) || "—"),
    ...row("input", block(run.input !== undefined ? run.input : definition.input)),
    ...row("output", run.output !== undefined && run.output !== null ? block(run.output) : "—"),
    ...row("error", run.error ? block(run.error) : (run.reason || "—"))));
  if (run.instances) loadInstances(id, 0);
}

// A page of a map task's instances (`GET /executions/{id}/tasks/{task}/instances`): index,
// status, attempt, item and output or error, 100 at a time.
async function loadInstances(taskID, offset) {
  const executionID = state.executionID;
  const box = $("#instances");
  if (!box) return;
  try {
    const page = await api("/api/v1/executions/" + encodeURIComponent(executionID) + "/tasks/" + encodeURIComponent(taskID) +
      "/instances?offset=" + offset + "&limit=100");
    if (state.selectedTask !== taskID || state.executionID !== executionID) return;
    const short = (value) => { const text = JSON.stringify(value); return text && text.length > 80 ? text.slice(0, 77) + "…" : (text || ""); };
    const rows = page.instances.map((i) => el("tr", { "data-index": String(i.index) },
      el("td", {}, String(i.index)), el("td", {}, badge(i.status)), el("td", {}, String(i.attempt || 0)),
      el("td", { class: "mono" }, short(i.item)),
      el("td", { class: "mono" }, i.error ? short(i.error.message || i.error) : (i.output !== undefined ? short(i.output) : "—"))));
    const shown = offset + page.instances.length;
    const nav = el("p", { class: "muted" }, (offset + 1) + "–" + shown + " of " + page.counts.total,
      offset > 0 ? el("a", { href: "#", class: "previous", onclick: (e) => { e.preventDefault(); loadInstances(taskID, Math.max(0, offset - 100)); } }, " ‹ previous") : "",
      shown < page.counts.total ? el("a", { href: "#", class: "next", onclick: (e) => { e.preventDefault(); loadInstances(taskID, shown); } }, " next ›") : "");
    box.replaceChildren(el("table", { class: "instances" },
      el("thead", {}, el("tr", {}, ...["#", "status", "attempt", "item", "output / error"].map((h) => el("th", {}, h)))),
      el("tbody", {}, ...rows)), nav);
  } catch (error) {
    box.replaceChildren(el("span", { class: "muted" }, "instances not available: " + error.message));
  }
}

async function control(action, confirmed = false) {
  const id = state.executionID;
  if (action === "cancel" && !confirmed) {
    confirmInline("Cancel this execution? Its running tasks are canceled; a checkpoint keeps what is done.", () => control(action, true));
    return;
  }
  const message = $("#control-message");
  try {
    const data = await api("/api/v1/executions/" + encodeURIComponent(id) + "/" + action, { method: "POST", body: "{}" });
    message.textContent = action + ": " + (data.checkpoint_id ? "checkpoint " + data.checkpoint_id : (data.status || "ok"));
  } catch (error) {
    if (action === "checkpoint" && error.status === 404 && /no route/.test(error.message)) {
      state.checkpointRoute = false; $("#checkpoint").disabled = true;
      $("#checkpoint").title = "checkpoints are not available on this server";
    }
    message.textContent = action + " failed: " + error.message;
  }
}

// ---- Start ------------------------------------------------------------------------------

// A field per top-level property of the chosen workflow's `input_schema` (string, number,
// integer, boolean, enum); what is typed goes into the JSON input, which stays editable for
// everything else.
function schemaForm() {
  const box = $("#schema-fields");
  const workflow = state.workflows.find((w) => w.id === $("#workflow-select").value);
  const schema = workflow && workflow.input_schema;
  const properties = (schema && schema.properties) || {};
  const required = new Set((schema && schema.required) || []);
  const defaults = (workflow && workflow.default_input) || {};
  box.replaceChildren(...Object.entries(properties).map(([name, property]) => {
    const type = Array.isArray(property.type) ? property.type[0] : property.type;
    let field;
    if (Array.isArray(property.enum)) {
      field = el("select", { name }, el("option", { value: "" }, "—"), ...property.enum.map((v) => el("option", { value: JSON.stringify(v) }, String(v))));
    } else if (type === "boolean") {
      field = el("input", { name, type: "checkbox" });
    } else {
      field = el("input", { name, type: type === "number" || type === "integer" ? "number" : "text", step: type === "integer" ? "1" : "any",
        placeholder: defaults[name] !== undefined ? String(defaults[name]) : "" });
    }
    field.dataset.type = type || "string";
    field.addEventListener("input", () => fieldsToJSON());
    field.addEventListener("change", () => fieldsToJSON());
    return el("label", { class: "schema-field" }, name + (required.has(name) ? " *" : "") + (property.description ? " — " + property.description : ""), field);
  }));
}

function fieldsToJSON() {
  let input;
  try { input = JSON.parse($("#input-json").value || "{}"); } catch (_) { input = {}; }
  if (typeof input !== "object" || input === null || Array.isArray(input)) input = {};
  for (const field of document.querySelectorAll("#schema-fields [name]")) {
    const name = field.getAttribute("name"), type = field.dataset.type;
    if (field.type === "checkbox") { input[name] = field.checked; continue; }
    if (field.value === "") { delete input[name]; continue; }
    if (field.tagName === "SELECT") input[name] = JSON.parse(field.value);
    else if (type === "number" || type === "integer") input[name] = Number(field.value);
    else input[name] = field.value;
  }
  $("#input-json").value = JSON.stringify(input, null, 1);
}

async function start(event) {
  event.preventDefault();
  const error = $("#start-error");
  error.hidden = true;
  let input;
  try { input = JSON.parse($("#input-json").value || "{}"); } catch (problem) {
    error.textContent = "The input is not valid JSON: " + problem.message; error.hidden = false; return;
  }
  try {
    const execution = await api("/api/v1/executions", { method: "POST", body: JSON.stringify({ workflow_id: $("#workflow-select").value, input }) });
    location.hash = "#/executions/" + (execution.execution_id || execution.id);
  } catch (problem) { error.textContent = problem.message; error.hidden = false; }
}

// ---- Wiring -----------------------------------------------------------------------------

async function route() {
  const match = location.hash.match(/^#\/executions\/(.+)$/);
  if (match) await openExecution(decodeURIComponent(match[1])).catch((error) => { $("#control-message").textContent = error.message; });
}

async function main() {
  $("#server").textContent = location.host;
  $("#api-key").addEventListener("click", () => askForKey(""));
  $("#start-form").addEventListener("submit", start);
  for (const button of document.querySelectorAll("[data-action]")) button.addEventListener("click", () => control(button.dataset.action));
  $("#rerun").addEventListener("click", rerun);
  $("#explain-refresh").addEventListener("click", () => loadExplanation().catch(() => {}));
  $("#workflow-select").addEventListener("change", () => { $("#input-json").value = "{}"; schemaForm(); });
  for (const filter of ["#filter-status", "#filter-workflow", "#filter-time"]) $(filter).addEventListener("change", () => { state.page.offset = 0; loadExecutions().catch(() => {}); });
  $("#page-prev").addEventListener("click", () => { state.page.offset = Math.max(0, state.page.offset - state.page.limit); loadExecutions().catch(() => {}); });
  $("#page-next").addEventListener("click", () => { state.page.offset += state.page.limit; loadExecutions().catch(() => {}); });
  for (const button of document.querySelectorAll("[data-zoom]")) button.addEventListener("click", () => {
    const how = button.dataset.zoom;
    applyZoom(how === "in" ? zoom.level * 1.25 : how === "out" ? zoom.level / 1.25 : how === "fit" ? fitZoom() : 1);
  });
  $("#dag-wrap").addEventListener("wheel", (event) => {
    if (!event.ctrlKey) return;
    event.preventDefault();
    applyZoom(zoom.level * (event.deltaY < 0 ? 1.1 : 1 / 1.1));
  }, { passive: false });
  window.addEventListener("hashchange", route);
  try {
    const discovery = await api("/discovery");
    state.checkpointRoute = (discovery.endpoints || []).some((e) => e.method === "POST" && /\/executions\/\{id\}\/checkpoint$/.test(e.path));
  } catch (_) { state.checkpointRoute = false; }
  $("#checkpoint").disabled = !state.checkpointRoute;
  if (!state.checkpointRoute) $("#checkpoint").title = "checkpoints are not available on this server";
  $("#instantiate-form").addEventListener("submit", instantiate);
  await Promise.all([loadWorkflows(), loadExecutions(), loadComponents(), loadTemplates(), loadSchedules()]).catch((error) => { $("#start-error").textContent = error.message; $("#start-error").hidden = false; });
  // Every execution's events, to keep the list current; ends only with the page.
  const all = new EventSource(withKey("/events/executions"));
  for (const type of ["workflow_started", "workflow_completed", "workflow_failed", "workflow_paused", "workflow_resumed", "workflow_canceled"]) {
    all.addEventListener(type, refreshSoon);
  }
  setInterval(() => { if (state.executionID) { updateNodes(); if (state.timelineEnd === null) scheduleTimeline(); } }, 1000);
  document.body.dataset.ready = "true";
  await route();
}

main();
