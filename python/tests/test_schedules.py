"""Schedules through the client against the real server: create (cron with a time zone,
and an interval that really runs), list, read, change, pause, resume, runs, delete, and
the errors naming the field."""

from __future__ import annotations

import asyncio
import time

import pytest

from harmonia.client import HarmoniaClient
from harmonia.errors import ConflictError, NotFoundError, ValidationError


async def test_schedule_life_cycle(client: HarmoniaClient) -> None:
    workflow = await client.create_workflow(
        name="py-scheduled", tasks=[{"id": "say", "component": "harmonia", "action": "echo", "input": {"message": "${input.who}"}}]
    )
    workflow_id = workflow["id"]
    created = await client.create_schedule(
        workflow_id, cron="30 2 * * *", timezone="America/New_York", input={"who": "py"},
        missed_runs="run_once", schedule_id="py-nightly",
    )
    assert created["id"] == "py-nightly" and created["timezone"] == "America/New_York"
    assert len(created["next_runs"]) == 5 and created["next_run_at"] == created["next_runs"][0]
    assert created["missed_runs"] == "run_once" and created["overlap"] == "skip"

    with pytest.raises(ConflictError):
        await client.create_schedule(workflow_id, cron="@daily", schedule_id="py-nightly")
    assert any(s["id"] == "py-nightly" for s in await client.list_schedules(limit=1000))

    paused = await client.pause_schedule("py-nightly")
    assert paused["paused"] and paused["next_runs"] == []
    resumed = await client.resume_schedule("py-nightly")
    assert not resumed["paused"] and resumed["next_runs"] == created["next_runs"]
    changed = await client.update_schedule("py-nightly", {"overlap": "cancel_previous", "name": "nightly (py)"})
    assert changed["overlap"] == "cancel_previous" and changed["name"] == "nightly (py)"
    assert (await client.get_schedule("py-nightly"))["name"] == "nightly (py)"

    # A one-second interval really runs: the execution names its schedule and due time.
    await client.create_schedule(workflow_id, interval=1, input={"who": "tick"}, schedule_id="py-tick")
    deadline = time.monotonic() + 30
    runs: list = []
    while not any(r["outcome"] == "started" for r in runs):
        assert time.monotonic() < deadline, f"no run started: {runs}"
        await asyncio.sleep(0.05)
        runs = await client.list_schedule_runs("py-tick")
    await client.pause_schedule("py-tick")
    run = next(r for r in runs if r["outcome"] == "started")
    execution = await client.get_execution(run["execution_id"])
    metadata = execution["execution"]["metadata"]
    assert metadata["schedule_id"] == "py-tick" and metadata["scheduled_for"] == run["due_at"]

    assert (await client.delete_schedule("py-tick"))["deleted"] is True
    assert (await client.delete_schedule("py-nightly"))["deleted"] is True
    with pytest.raises(NotFoundError):
        await client.get_schedule("py-nightly")


async def test_schedule_errors_name_the_field(client: HarmoniaClient) -> None:
    workflow = await client.create_workflow(name="py-scheduled-errors", tasks=[{"id": "a", "component": "harmonia", "action": "noop"}])
    with pytest.raises(ValidationError) as bad_cron:
        await client.create_schedule(workflow["id"], cron="0 24 * * *")
    assert bad_cron.value.code == "invalid_schedule" and bad_cron.value.status == 422
    assert "hour" in bad_cron.value.detail
    with pytest.raises(ValidationError) as bad_zone:
        await client.create_schedule(workflow["id"], cron="@daily", timezone="Atlantis/Capital")
    assert "Atlantis/Capital" in bad_zone.value.detail
    with pytest.raises(ValidationError) as both:
        await client.create_schedule(workflow["id"], cron="@daily", interval=60)
    assert both.value.code == "invalid_schedule"
    with pytest.raises(NotFoundError):
        await client.create_schedule("no-such-workflow", interval=60)
