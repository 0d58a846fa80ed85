"""The client's methods against the real server: workflows, executions, control, events,
templates, checkpoints, components, and the errors the server answers with."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from harmonia.client import HarmoniaClient, HarmoniaStateClient
from harmonia.errors import (
    HarmoniaConnectionError,
    HarmoniaError,
    HarmoniaTimeoutError,
    ConflictError,
    InvalidStateError,
    NotFoundError,
    UnsupportedError,
    ValidationError,
)

from .support import free_port

UNKNOWN = "00000000-0000-0000-0000-000000000000"


async def status_becomes(client: HarmoniaClient, execution_id: str, wanted: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        status = await client.get_workflow_status(execution_id)
        if status["status"] == wanted:
            return status
        assert time.monotonic() < deadline, f"still {status['status']} after {timeout} s, wanted {wanted}"
        await asyncio.sleep(0.02)


async def test_workflow_crud_and_list(client: HarmoniaClient) -> None:
    created = await client.create_workflow(
        "crud_workflow",
        {"only": {"component": "harmonia", "action": "noop"}},
        description="tasks keyed by id",
        timeout=60,
    )
    workflow_id = created["workflow_id"]
    assert created["id"] == workflow_id and created["version"] == 1
    assert created["description"] == "tasks keyed by id" and created["timeout"] == 60
    assert (await client.get_workflow(workflow_id))["name"] == "crud_workflow"
    assert [w["workflow_id"] for w in await client.list_workflows(name="crud_workflow")] == [workflow_id]

    updated = await client.update_workflow(
        workflow_id, {"name": "crud_workflow", "tasks": {"other": {"component": "harmonia", "action": "noop"}}}
    )
    assert updated["version"] == 2

    yaml_made = await client.create_workflow_from_yaml(
        "name: crud_yaml\ntasks:\n  hi: {component: harmonia, action: echo, input: {message: yaml}}\n"
    )
    assert yaml_made["tasks"][0]["id"] == "hi"

    assert (await client.delete_workflow(workflow_id))["deleted"] is True
    with pytest.raises(NotFoundError):
        await client.get_workflow(workflow_id)


async def test_execute_status_events_and_wait(client: HarmoniaClient) -> None:
    workflow = await client.create_workflow(
        name="status_workflow",
        tasks=[
            {"name": "hello", "component": "harmonia", "action": "echo", "input": {"message": "${input.who}"}},
            {
                "name": "shout",
                "component": "harmonia",
                "action": "transform",
                "input": {"value": "${tasks.hello.output.result}!"},
                "depends_on": ["hello"],
            },
        ],
        input_schema={"type": "object", "required": ["who"], "properties": {"who": {"type": "string"}}},
    )
    run = await client.execute_workflow(workflow["workflow_id"], input={"who": "Ada"}, idempotency_key="ada-1")
    assert run["status"] in ("pending", "running")
    again = await client.execute_workflow(workflow["workflow_id"], input_data={"who": "Ada"}, idempotency_key="ada-1")
    assert again["execution_id"] == run["execution_id"]

    done = await client.wait_for_execution(run["execution_id"], timeout=30)
    assert done["status"] == "completed"
    assert done["execution_id"] == run["execution_id"]
    assert done["tasks"]["shout"]["output"]["result"] == "Ada!"
    assert done["summary"]["total"] == 2 and done["summary"]["progress"] == 1
    assert done["workflow_definition"]["workflow_id"] == workflow["workflow_id"]

    with pytest.raises(ConflictError) as reused:
        await client.execute_workflow(workflow["workflow_id"], input={"who": "Bob"}, idempotency_key="ada-1")
    assert reused.value.code == "idempotency_key_reused"
    assert run["execution_id"] in str(reused.value)

    finished = await client.explain_execution(run["execution_id"])
    assert finished["can_progress"] is False and finished["tasks"] == [] and "finished" in finished["summary"]

    events = await client.get_execution_events(run["execution_id"])
    assert events[0]["event_type"] == "workflow_started" and events[-1]["event_type"] == "workflow_completed"
    assert await client.get_execution_events(run["execution_id"], after_seq=events[-1]["seq"]) == []
    assert [e["seq"] for e in await client.get_execution_events(run["execution_id"], after_seq=1, limit=2)] == [2, 3]

    rows = await client.list_executions(workflow_id=workflow["workflow_id"], status="completed")
    assert [row["execution_id"] for row in rows] == [run["execution_id"]]


async def test_pause_resume_cancel(client: HarmoniaClient) -> None:
    workflow = await client.create_workflow(
        name="control_workflow",
        tasks={
            "first": {"component": "harmonia", "action": "sleep", "input": {"seconds": 0.3}},
            "second": {"component": "harmonia", "action": "sleep", "input": {"seconds": 30}, "depends_on": ["first"]},
        },
    )
    run = await client.execute_workflow(workflow["workflow_id"])
    execution_id = run["execution_id"]
    await status_becomes(client, execution_id, "running")
    paused = await client.pause_execution(execution_id)
    assert paused["status"] == "paused"
    with pytest.raises(InvalidStateError) as not_running:
        await client.pause_execution(execution_id)
    assert not_running.value.code == "invalid_state" and not_running.value.status == 409
    resumed = await client.resume_execution(execution_id)
    assert resumed["status"] == "running"
    canceled = await client.cancel_execution(execution_id, reason="test")
    assert canceled["status"] == "canceled"
    assert await client.cancel_workflow(execution_id) is False  # the original's bool: already over
    assert (await client.wait_for_execution(execution_id, timeout=10))["status"] == "canceled"


async def test_signals_and_child_workflows(client: HarmoniaClient) -> None:
    child = await client.create_workflow(
        name="signal_child",
        tasks={"approve": {"component": "harmonia", "action": "wait_for_signal", "input": {"name": "approval"}}},
    )
    parent = await client.create_workflow(
        name="signal_parent",
        tasks={
            "sub": {
                "component": "harmonia",
                "action": "run_workflow",
                "input": {"workflow_id": child["workflow_id"], "input": {}},
            }
        },
    )
    run = await client.execute_workflow(parent["workflow_id"])
    deadline = time.monotonic() + 30
    while not (children := await client.list_executions(parent_execution_id=run["execution_id"])):
        assert time.monotonic() < deadline, "no child execution appeared"
        await asyncio.sleep(0.02)
    child_id = children[0]["execution_id"]
    assert children[0]["parent"] == {"execution_id": run["execution_id"], "task_id": "sub", "depth": 1}
    await status_becomes(client, child_id, "running")
    with pytest.raises(ValidationError) as bad_name:
        await client.send_signal(child_id, "not valid!", {"x": 1})
    assert bad_name.value.status == 400
    sent = await client.send_signal(child_id, "approval", {"approved": True})
    assert sent["name"] == "approval" and sent["status"] in ("consumed", "pending")
    done = await client.wait_for_execution(run["execution_id"], timeout=30)
    assert done["status"] == "completed"
    assert done["tasks"]["sub"]["output"]["outputs"]["approve"] == {"approved": True}
    assert done["tasks"]["sub"]["child_execution_id"] == child_id
    with pytest.raises(InvalidStateError):
        await client.send_signal(child_id, "approval")
    with pytest.raises(NotFoundError):
        await client.send_signal(UNKNOWN, "approval")


async def test_map_task_instances(client: HarmoniaClient) -> None:
    workflow = await client.create_workflow(
        name="map_py",
        tasks={
            "fan": {
                "component": "harmonia",
                "action": "echo",
                "for_each": [f"item-{i}" for i in range(12)],
                "input": {"message": "${item}#${index}"},
            }
        },
    )
    run = await client.execute_workflow(workflow["workflow_id"])
    done = await client.wait_for_execution(run["execution_id"], timeout=30)
    assert done["status"] == "completed"
    assert [o["result"] for o in done["tasks"]["fan"]["output"]] == [f"item-{i}#{i}" for i in range(12)]
    page = await client.get_task_instances(run["execution_id"], "fan", offset=10, limit=5)
    assert page["counts"]["total"] == 12 and page["counts"]["completed"] == 12
    assert [i["index"] for i in page["instances"]] == [10, 11]
    assert page["instances"][0]["item"] == "item-10" and page["instances"][0]["status"] == "completed"
    with pytest.raises(NotFoundError):
        await client.get_task_instances(UNKNOWN, "fan")


async def test_retry_from_failure(client: HarmoniaClient) -> None:
    workflow = await client.create_workflow(
        name="retry_py",
        tasks={
            "ok": {"component": "harmonia", "action": "echo", "input": {"message": "kept"}},
            "boom": {
                "component": "harmonia",
                "action": "fail",
                "input": {"message": "no", "retryable": False},
                "depends_on": ["ok"],
            },
        },
    )
    run = await client.execute_workflow(workflow["workflow_id"])
    assert (await client.wait_for_execution(run["execution_id"], timeout=30))["status"] == "failed"
    again = await client.retry_execution(run["execution_id"])
    assert again["execution_id"] != run["execution_id"]
    rerun = await client.wait_for_execution(again["execution_id"], timeout=30)
    assert rerun["status"] == "failed" and rerun["tasks"]["ok"]["output"]["result"] == "kept"
    completed = await client.create_workflow(name="retry_done_py", tasks={"a": {"component": "harmonia", "action": "noop"}})
    done = await client.execute_workflow(completed["workflow_id"])
    await client.wait_for_execution(done["execution_id"], timeout=30)
    with pytest.raises(InvalidStateError):
        await client.retry_execution(done["execution_id"])


async def test_templates_inline_definition(client: HarmoniaClient) -> None:
    template = await client.create_template(
        name="greeting_py",
        parameters={"who": {"type": "string", "required": True}, "times": {"type": "integer", "default": 1}},
        definition={
            "name": "greet ${params.who}",
            "tasks": {"hello": {"component": "harmonia", "action": "echo", "input": {"message": "Hello, ${params.who}!"}}},
        },
        tags=["python"],
    )
    assert [t["template_id"] for t in await client.list_templates(tag="python")] == [template["template_id"]]
    assert (await client.get_template(template["template_id"]))["name"] == "greeting_py"
    instance = await client.instantiate_template(template["template_id"], {"who": "Ada"})
    run = await client.execute_workflow(instance["workflow_id"])
    done = await client.wait_for_execution(run["execution_id"], timeout=30)
    assert done["tasks"]["hello"]["output"]["result"] == "Hello, Ada!"

    with pytest.raises(ValidationError) as bad:
        await client.instantiate_template(template["template_id"], {"times": "many"})
    assert bad.value.code == "invalid_parameters" and bad.value.status == 400
    assert {problem["path"] for problem in bad.value.problems} == {"parameter_values.who", "parameter_values.times"}

    document = await client.export_template(template["template_id"])
    imported = await client.import_template(document)
    assert imported["template_id"] != template["template_id"]
    assert (await client.delete_template(imported["template_id"]))["deleted"] is True


async def test_state_client_checkpoints(client: HarmoniaClient, harmonia_url: str) -> None:
    from harmonia.client import get_harmonia_state_client

    workflow = await client.create_workflow(
        name="state_workflow", tasks={"a": {"component": "harmonia", "action": "echo", "input": {"message": "a"}}}
    )
    run = await client.execute_workflow(workflow["workflow_id"])
    await client.wait_for_execution(run["execution_id"], timeout=30)
    state = await get_harmonia_state_client()
    try:
        assert isinstance(state, HarmoniaStateClient)
        checkpoint = await state.create_checkpoint(run["execution_id"], reason="python")
        assert checkpoint["completed_tasks"] == ["a"]
        listed = await state.list_checkpoints(run["execution_id"])
        assert checkpoint["checkpoint_id"] in [c["checkpoint_id"] for c in listed]
        assert (await state.get_checkpoint(checkpoint["checkpoint_id"]))["reason"] == "python"
        assert (await state.load_state(run["execution_id"]))["status"] == "completed"
        restored = await state.restore_from_checkpoint(checkpoint["checkpoint_id"])
        assert restored["kept_tasks"] == ["a"] and restored["execution_id"] != run["execution_id"]
        with pytest.raises(UnsupportedError):
            await state.save_state(run["execution_id"], {"x": 1})
    finally:
        await state.close()


async def test_components(client: HarmoniaClient) -> None:
    components = await client.list_components()
    builtin = next(c for c in components if c["name"] == "harmonia")
    assert builtin["available"] and "sleep" in builtin["actions"]
    actions = await client.get_component_actions("harmonia")
    assert {"noop", "echo", "sleep", "fail", "transform"} <= {a["name"] for a in actions}
    assert (await client.get_component_action("harmonia", "sleep"))["name"] == "sleep"
    ran = await client.execute_component_action("harmonia", "echo", {"message": "hi"})
    assert ran["output"]["result"] == "hi"
    with pytest.raises(NotFoundError):
        await client.execute_component_action("nosuchcomponent", "x")
    with pytest.raises(HarmoniaError) as failed:
        await client.execute_component_action("harmonia", "fail", {"message": "boom", "code": "my_code"})
    # The built-in component's failures come from its input: 422 with the action's own code.
    assert failed.value.code == "my_code" and failed.value.status == 422 and "boom" in failed.value.detail


async def test_infrastructure(client: HarmoniaClient) -> None:
    health = await client.health()
    assert health["status"] == "healthy" and health["component"] == "harmonia"
    assert await client.is_ready()
    assert (await client.status())["ready"] is True
    assert (await client.discovery())["component"] == "harmonia"


async def test_errors_carry_the_servers_code_and_detail(client: HarmoniaClient) -> None:
    with pytest.raises(NotFoundError) as missing:
        await client.get_workflow_status(UNKNOWN)
    assert missing.value.code == "not_found" and missing.value.status == 404
    assert UNKNOWN in missing.value.detail

    with pytest.raises(ValidationError) as cycle:
        await client.create_workflow(
            name="cyclic",
            tasks={
                "a": {"component": "harmonia", "action": "noop", "depends_on": ["b"]},
                "b": {"component": "harmonia", "action": "noop", "depends_on": ["a"]},
            },
        )
    assert cycle.value.code == "dependency_cycle" and cycle.value.status == 422
    assert "cycle" in cycle.value.detail and cycle.value.problems

    with pytest.raises(ValidationError) as empty:
        await client.create_workflow(name="empty", tasks=[])
    assert empty.value.code == "empty_workflow"

    with pytest.raises(ValidationError) as bad_list:
        await client.list_executions(limit=0)
    assert bad_list.value.code == "invalid_request" and bad_list.value.status == 400

    with pytest.raises(NotFoundError) as no_workflow:
        await client.execute_workflow(UNKNOWN)
    assert no_workflow.value.code == "not_found"


async def test_connection_and_timeout_errors(client: HarmoniaClient) -> None:
    async with HarmoniaClient(f"http://127.0.0.1:{free_port()}") as nowhere:
        with pytest.raises(HarmoniaConnectionError) as refused:
            await nowhere.health()
    assert refused.value.code == "connection_failed" and refused.value.status == 0
    assert isinstance(refused.value, ConnectionError)

    workflow = await client.create_workflow(
        name="slow", tasks={"s": {"component": "harmonia", "action": "sleep", "input": {"seconds": 30}}}
    )
    run = await client.execute_workflow(workflow["workflow_id"])
    with pytest.raises(HarmoniaTimeoutError) as late:
        await client.wait_for_execution(run["execution_id"], timeout=0.3, poll_interval=0.05)
    assert late.value.code == "timeout" and isinstance(late.value, TimeoutError)
    await client.cancel_execution(run["execution_id"])


async def test_client_without_context_manager_is_closed_by_close(harmonia_url: str) -> None:
    from harmonia.client import get_harmonia_client

    harmonia = await get_harmonia_client()
    assert harmonia.base_url == harmonia_url
    assert (await harmonia.health())["status"] == "healthy"
    await harmonia.close()
    assert harmonia.closed
