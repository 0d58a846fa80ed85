"""``stream_events``: every event once, in order, even when the connection is cut mid-stream.

The client talks to the server through a small loopback TCP proxy that the test cuts
(aborting both sockets) while events are flowing; the client must reconnect by itself and
resume from the last seq it yielded.
"""

from __future__ import annotations

import asyncio
from typing import Any, Optional

from harmonia.client import HarmoniaClient
from harmonia.errors import NotFoundError

from .support import Server


class CuttableProxy:
    """Forwards loopback TCP connections to ``target``; :meth:`cut` aborts the open ones."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.connections = 0
        self.cuts = 0
        self._open: set[asyncio.StreamWriter] = set()
        self._server: Optional[asyncio.AbstractServer] = None

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._open.update({writer, upstream_writer})

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while chunk := await source.read(65536):
                    sink.write(chunk)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.transport.abort()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))
        self._open.difference_update({writer, upstream_writer})

    def cut(self) -> None:
        """Aborts every open connection, both sides (no FIN: a dropped connection)."""
        self.cuts += 1
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


def chain(steps: int, seconds: float) -> dict[str, Any]:
    tasks: dict[str, Any] = {}
    for index in range(steps):
        task: dict[str, Any] = {"component": "harmonia", "action": "sleep", "input": {"seconds": seconds}}
        if index:
            task["depends_on"] = [f"step{index - 1}"]
        tasks[f"step{index}"] = task
    return tasks


async def test_stream_resumes_after_dropped_connections_without_gap_or_duplicate(
    client: HarmoniaClient, server: Server
) -> None:
    workflow = await client.create_workflow(name="stream_chain", tasks=chain(30, 0.03))
    run = await client.execute_workflow(workflow["workflow_id"])
    execution_id = run["execution_id"]

    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    proxy = CuttableProxy(host, int(port))
    proxied = HarmoniaClient(await proxy.start())
    seen: list[dict[str, Any]] = []
    cut_at = {8, 25, 50}
    try:
        async for event in proxied.stream_events(execution_id, reconnect_delay=0.05):
            seen.append(event)
            if len(seen) in cut_at:
                proxy.cut()
    finally:
        await proxied.close()
        await proxy.close()

    log = await client.get_all_execution_events(execution_id)
    seqs = [event["seq"] for event in seen]
    assert seqs == list(range(1, len(seqs) + 1)), seqs
    assert seen == log, "the stream and the stored log differ"
    assert seen[-1]["event_type"] == "workflow_completed"
    assert len(seen) >= 2 + 2 * 30  # started, 30 x (task_started, task_completed), completed
    assert proxy.cuts >= 3
    assert proxy.connections >= 4, f"the client did not reconnect after each cut ({proxy.connections} connections)"


async def test_stream_from_after_seq_and_of_a_finished_execution(client: HarmoniaClient) -> None:
    workflow = await client.create_workflow(name="stream_short", tasks=chain(3, 0))
    run = await client.execute_workflow(workflow["workflow_id"])
    done = await client.wait_for_execution(run["execution_id"], timeout=30)
    assert done["status"] == "completed"
    log = await client.get_all_execution_events(run["execution_id"])

    everything = [event async for event in client.stream_events(run["execution_id"])]
    assert everything == log
    rest = [event async for event in client.stream_events(run["execution_id"], after_seq=3)]
    assert rest == log[3:]
    # A cursor at the end: the stream ends at once, with nothing.
    assert [event async for event in client.stream_events(run["execution_id"], after_seq=log[-1]["seq"])] == []


async def test_stream_of_unknown_execution_raises_not_found(client: HarmoniaClient) -> None:
    try:
        async for _ in client.stream_events("00000000-0000-0000-0000-000000000000"):
            raise AssertionError("an unknown execution yielded an event")
    except NotFoundError as error:
        assert error.code == "not_found" and error.status == 404
    else:
        raise AssertionError("no NotFoundError")
