"""Harmonia's MCP server driven by the official MCP Python SDK, over Streamable HTTP (the
server's /mcp) and over stdio (``harmonia mcp --url``): initialize, list the tools, create a
workflow, execute it, wait for it, read its status and events, all through tools; a bad
argument is a tool error naming the field; API keys apply as to REST."""

from __future__ import annotations

import contextlib
import json
from typing import Any, AsyncIterator

import httpx
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamablehttp_client

from conftest import API_KEY, Server

pytestmark = pytest.mark.anyio

ORIGINAL_TOOLS = {
    "CreateWorkflowDefinition", "UpdateWorkflowDefinition", "DeleteWorkflowDefinition", "GetWorkflowDefinition",
    "ListWorkflowDefinitions", "ExecuteWorkflow", "CancelWorkflowExecution", "PauseWorkflowExecution",
    "ResumeWorkflowExecution", "GetWorkflowExecutionStatus", "ListWorkflowExecutions", "CreateTemplate",
    "InstantiateTemplate", "ListTemplates", "ListComponents", "GetComponentActions", "ExecuteComponentAction",
}
FOLLOW_TOOLS = {
    "WaitForExecution", "GetExecutionEvents", "CheckpointExecution", "RestoreCheckpoint", "ListCheckpoints", "SendSignal",
}


@contextlib.asynccontextmanager
async def http_session(server: Server, key: str = API_KEY) -> AsyncIterator[ClientSession]:
    async with streamablehttp_client(f"{server.url}/mcp", headers={"Authorization": f"Bearer {key}"}) as (read, write, _):
        async with ClientSession(read, write) as session:
            yield session


@contextlib.asynccontextmanager
async def stdio_session(server: Server, binary: Any) -> AsyncIterator[ClientSession]:
    parameters = StdioServerParameters(command=str(binary), args=["mcp", "--url", server.url, "--api-key", API_KEY], env={})
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write) as session:
            yield session


async def call(session: ClientSession, tool: str, /, **arguments: Any) -> dict[str, Any]:
    """Calls a tool that must succeed; answers its structured content."""
    result = await session.call_tool(tool, arguments)
    assert not result.isError, f"{tool} failed: {result.content}"
    assert result.structuredContent is not None
    # The text content is the same JSON, for clients that read only text.
    assert json.loads(result.content[0].text) == result.structuredContent
    return result.structuredContent


async def run_workflow_through_tools(session: ClientSession) -> None:
    info = await session.initialize()
    assert info.serverInfo.name == "harmonia"
    assert info.capabilities.tools is not None and info.capabilities.resources is not None

    tools = {tool.name: tool for tool in (await session.list_tools()).tools}
    assert ORIGINAL_TOOLS | FOLLOW_TOOLS <= set(tools)
    for tool in tools.values():
        assert tool.inputSchema["type"] == "object" and tool.inputSchema["additionalProperties"] is False
    assert tools["ExecuteWorkflow"].inputSchema["required"] == ["workflow_id"]
    assert set(tools["ExecuteWorkflow"].inputSchema["properties"]) >= {"workflow_id", "input_data", "metadata"}

    workflow = await call(session, "CreateWorkflowDefinition", name="mcp-greeting", description="two steps", tasks={
        "greet": {"component": "harmonia", "action": "echo", "input": {"message": "Hello, ${input.who}"}},
        "shout": {"component": "harmonia", "action": "transform", "depends_on": ["greet"],
                  "input": {"value": "${tasks.greet.result}!"}},
    })
    assert workflow["version"] == 1
    started = await call(session, "ExecuteWorkflow", workflow_id=workflow["workflow_id"], input_data={"who": "Ada"})
    execution_id = started["execution_id"]

    waited = await call(session, "WaitForExecution", execution_id=execution_id, timeout_seconds=30)
    assert waited["finished"] is True and waited["status"] == "completed"

    status = await call(session, "GetWorkflowExecutionStatus", execution_id=execution_id)
    assert status["execution"]["status"] == "completed"
    assert status["execution"]["tasks"]["shout"]["output"]["result"] == "Hello, Ada!"
    assert status["summary"]["completed"] == 2

    events = await call(session, "GetExecutionEvents", execution_id=execution_id, after_seq=0)
    types = [event["event_type"] for event in events["events"]]
    assert types[0] == "workflow_started" and types[-1] == "workflow_completed"
    later = await call(session, "GetExecutionEvents", execution_id=execution_id, after_seq=events["events"][1]["seq"])
    assert [e["seq"] for e in later["events"]] == [e["seq"] for e in events["events"][2:]]

    # A bad argument: a tool error naming the field, not a protocol error.
    bad = await session.call_tool("ExecuteWorkflow", {"workflow_id": 42})
    assert bad.isError
    assert bad.structuredContent["code"] == "invalid_request"
    assert bad.structuredContent["path"] == "workflow_id"
    assert "workflow_id" in bad.content[0].text
    missing = await session.call_tool("GetWorkflowExecutionStatus", {})
    assert missing.isError and missing.structuredContent["path"] == "execution_id"
    # An error of the REST API keeps its code and detail.
    unknown = await session.call_tool("GetWorkflowExecutionStatus", {"execution_id": "no-such-execution"})
    assert unknown.isError and unknown.structuredContent["code"] == "not_found"
    assert unknown.structuredContent["status"] == 404
    cycle = await session.call_tool("CreateWorkflowDefinition", {"name": "cycle", "tasks": {
        "a": {"component": "harmonia", "action": "noop", "depends_on": ["b"]},
        "b": {"component": "harmonia", "action": "noop", "depends_on": ["a"]}}})
    assert cycle.isError and cycle.structuredContent["code"] == "dependency_cycle"
    assert cycle.structuredContent["path"].startswith("tasks.")

    # Resources: the execution by URI.
    resource = await session.read_resource(f"harmonia://executions/{execution_id}")
    assert json.loads(resource.contents[0].text)["execution"]["status"] == "completed"
    listed = {str(r.uri) for r in (await session.list_resources()).resources}
    assert f"harmonia://workflows/{workflow['workflow_id']}" in listed


async def test_streamable_http(server: Server) -> None:
    async with http_session(server) as session:
        await run_workflow_through_tools(session)


async def test_stdio(server: Server, binary: Any) -> None:
    async with stdio_session(server, binary) as session:
        await run_workflow_through_tools(session)


async def test_checkpoint_and_restore_through_tools(server: Server) -> None:
    async with http_session(server) as session:
        await session.initialize()
        workflow = await call(session, "CreateWorkflowDefinition", name="mcp-restore", tasks=[
            {"name": "one", "component": "harmonia", "action": "echo", "input": {"message": "kept"}},
            {"name": "two", "component": "harmonia", "action": "noop", "depends_on": ["one"]},
        ])
        started = await call(session, "ExecuteWorkflow", workflow_id=workflow["id"])
        await call(session, "WaitForExecution", execution_id=started["execution_id"])
        checkpoint = await call(session, "CheckpointExecution", execution_id=started["execution_id"], reason="by-an-agent")
        assert sorted(checkpoint["completed_tasks"]) == ["one", "two"]
        listed = await call(session, "ListCheckpoints", execution_id=started["execution_id"])
        assert checkpoint["checkpoint_id"] in [c["checkpoint_id"] for c in listed["checkpoints"]]
        restored = await call(session, "RestoreCheckpoint", checkpoint_id=checkpoint["checkpoint_id"])
        assert restored["restored_from"] == started["execution_id"]
        done = await call(session, "WaitForExecution", execution_id=restored["execution_id"])
        assert done["status"] == "completed"


async def test_an_agent_approves_through_send_signal(server: Server) -> None:
    async with http_session(server) as session:
        await session.initialize()
        workflow = await call(session, "CreateWorkflowDefinition", name="mcp-approval", tasks=[
            {"name": "approve", "component": "harmonia", "action": "wait_for_signal", "input": {"name": "approval"}},
        ])
        started = await call(session, "ExecuteWorkflow", workflow_id=workflow["id"])
        sent = await call(session, "SendSignal", execution_id=started["execution_id"], name="approval", payload={"ok": True})
        assert sent["name"] == "approval" and sent["status"] in ("consumed", "pending")
        done = await call(session, "WaitForExecution", execution_id=started["execution_id"])
        assert done["status"] == "completed"
        assert done["execution"]["tasks"]["approve"]["output"] == {"ok": True}
        bad = await session.call_tool("SendSignal", {"execution_id": started["execution_id"], "name": "a b"})
        assert bad.isError


def test_api_keys_apply_to_mcp(server: Server) -> None:
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "pytest", "version": "0"}}}
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    refused = httpx.post(f"{server.url}/mcp", json=initialize, headers=headers)
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"
    wrong = httpx.post(f"{server.url}/mcp", json=initialize, headers={**headers, "X-API-Key": "wrong"})
    assert wrong.status_code == 401
    accepted = httpx.post(f"{server.url}/mcp", json=initialize, headers={**headers, "X-API-Key": API_KEY})
    assert accepted.status_code == 200 and accepted.headers["mcp-session-id"]


def test_shutdown_ends_an_open_session_stream(binary: Any) -> None:
    """An agent that keeps its session's GET stream open does not hold SIGTERM up."""
    own = Server(binary)
    try:
        headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json",
                   "X-API-Key": API_KEY}
        initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "pytest", "version": "0"}}}
        answer = httpx.post(f"{own.url}/mcp", json=initialize, headers=headers)
        session = {"Mcp-Session-Id": answer.headers["mcp-session-id"], "MCP-Protocol-Version": "2025-06-18"}
        httpx.post(f"{own.url}/mcp", json={"jsonrpc": "2.0", "method": "notifications/initialized"},
                   headers={**headers, **session})
        with httpx.stream("GET", f"{own.url}/mcp", headers={"Accept": "text/event-stream", "X-API-Key": API_KEY, **session},
                          timeout=None) as stream:
            assert stream.status_code == 200
            own.process.terminate()
            assert own.process.wait(timeout=20) == 0
    finally:
        own.stop()
