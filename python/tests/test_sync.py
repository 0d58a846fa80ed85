"""The blocking wrapper, in a plain script (no event loop of its own)."""

from __future__ import annotations

import json

from .support import run_python

SCRIPT = r'''
import json
from harmonia.sync import get_harmonia_client, get_harmonia_state_client
from harmonia.errors import NotFoundError

with get_harmonia_client() as client:
    workflow = client.create_workflow(
        name="sync_script",
        tasks=[{"name": "a", "component": "harmonia", "action": "echo", "input": {"message": "${input.word}"}},
               {"name": "b", "component": "harmonia", "action": "transform",
                "input": {"value": "${tasks.a.output.result}?"}, "depends_on": ["a"]}],
    )
    run = client.execute_workflow(workflow["workflow_id"], input={"word": "sync"})
    streamed = [event["event_type"] for event in client.stream_events(run["execution_id"])]
    done = client.wait_for_execution(run["execution_id"], timeout=30)
    try:
        client.get_workflow("00000000-0000-0000-0000-000000000000")
        missing = None
    except NotFoundError as error:
        missing = error.code
    state = get_harmonia_state_client()
    checkpoint = state.create_checkpoint(run["execution_id"])
    state.close()
    print(json.dumps({"status": done["status"], "b": done["tasks"]["b"]["output"]["result"],
                      "streamed": streamed, "missing": missing, "checkpoint": checkpoint["checkpoint_id"],
                      "base_url": client.base_url}))
'''


def test_sync_client_in_a_plain_script(harmonia_url: str) -> None:
    result = run_python(SCRIPT, {"HARMONIA_URL": harmonia_url})
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == "completed"
    assert answer["b"] == "sync?"
    assert answer["streamed"][0] == "workflow_started" and answer["streamed"][-1] == "workflow_completed"
    assert answer["missing"] == "not_found"
    assert answer["checkpoint"]
    assert answer["base_url"] == harmonia_url


def test_sync_client_inside_a_running_event_loop(harmonia_url: str) -> None:
    code = (
        "import asyncio\nfrom harmonia.sync import HarmoniaSyncClient\n"
        "async def main():\n"
        "    with HarmoniaSyncClient() as client:\n"
        "        print(client.health()['status'])\n"
        "asyncio.run(main())\n"
    )
    result = run_python(code, {"HARMONIA_URL": harmonia_url})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "healthy\n"
