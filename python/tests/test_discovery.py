"""``get_harmonia_client()`` finds the server: HARMONIA_URL, Hermes (a double speaking the
real Hermes' ``GET /api/components/{name}``), or the default port; and sends the API key."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

from harmonia.client import HarmoniaClient, get_harmonia_client, get_harmonia_state_client
from harmonia.discovery import hermes_url_from_env
from harmonia.errors import AuthenticationError

from .support import Server, free_port, require_binary


class HermesDouble:
    """A loopback HTTP server answering like Hermes' registry for one ``harmonia`` record."""

    def __init__(self, endpoint: Optional[str]) -> None:
        self.endpoint = endpoint
        self.requests: list[str] = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                double.requests.append(self.path)
                if self.path == "/api/components/harmonia" and double.endpoint is not None:
                    self._answer(200, double.record())
                else:
                    self._answer(404, {"detail": f"Component {self.path.rsplit('/', 1)[-1]} not found"})

            def _answer(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.http.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self._thread.start()

    def record(self) -> dict[str, Any]:
        now = datetime.now(timezone.utc).isoformat()
        return {
            "component_id": "harmonia",
            "name": "harmonia",
            "version": "0.1.0",
            "type": None,
            "port": None,
            "status": "unknown",
            "capabilities": ["workflow_orchestration", "state_management", "event_streaming"],
            "endpoint": self.endpoint,
            "last_heartbeat": None,
            "registered_at": now,
            "metadata": {},
        }

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def hermes_for(server: Server) -> Iterator[HermesDouble]:
    double = HermesDouble(server.url)
    yield double
    double.close()


async def test_harmonia_url_wins(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARMONIA_URL", server.url + "/")
    monkeypatch.setenv("HERMES_URL", "http://127.0.0.1:9")  # would fail; never asked
    client = await get_harmonia_client()
    try:
        assert client.base_url == server.url
        assert (await client.health())["status"] == "healthy"
    finally:
        await client.close()


async def test_discovery_through_hermes_url(
    hermes_for: HermesDouble, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HERMES_URL", hermes_for.url)
    async with await get_harmonia_client() as client:
        assert client.base_url == server.url
        assert (await client.health())["component"] == "harmonia"
    assert hermes_for.requests == ["/api/components/harmonia"]


async def test_discovery_through_hermes_host_and_port(
    hermes_for: HermesDouble, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HERMES_HOST", "127.0.0.1")
    monkeypatch.setenv("HERMES_PORT", str(hermes_for.port))
    assert hermes_url_from_env() == hermes_for.url
    async with await get_harmonia_state_client() as client:
        assert client.base_url == server.url
    # The original's hermes_url argument works too.
    monkeypatch.delenv("HERMES_HOST")
    monkeypatch.delenv("HERMES_PORT")
    async with await get_harmonia_client(hermes_url=hermes_for.url + "/api") as client:
        assert client.base_url == server.url


async def test_hermes_failures_fall_back_to_the_default_port(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    port = server.url.rsplit(":", 1)[1]
    monkeypatch.setenv("HARMONIA_PORT", port)
    # Hermes does not list harmonia (404), lists a dead endpoint, or is not there at all.
    not_listed = HermesDouble(None)
    dead = HermesDouble(f"http://127.0.0.1:{free_port()}")
    try:
        for hermes in (not_listed.url, dead.url, f"http://127.0.0.1:{free_port()}"):
            monkeypatch.setenv("HERMES_URL", hermes)
            async with await get_harmonia_client() as client:
                assert client.base_url == f"http://localhost:{port}"
                assert (await client.health())["status"] == "healthy"
    finally:
        not_listed.close()
        dead.close()
    assert not_listed.requests == ["/api/components/harmonia"]


async def test_defaults_without_any_environment() -> None:
    client = await get_harmonia_client()
    assert client.base_url == "http://localhost:8007"
    await client.close()
    client = await get_harmonia_client(host="127.0.0.1", port=1234)
    assert client.base_url == "http://127.0.0.1:1234"
    await client.close()


async def test_api_key_is_sent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = Server(require_binary(), tmp_path / "data", extra=("--api-key", "s3cret"))
    try:
        async with HarmoniaClient(server.url) as anonymous:
            with pytest.raises(AuthenticationError) as refused:
                await anonymous.list_workflows()
            assert refused.value.code == "unauthorized" and refused.value.status == 401
        async with HarmoniaClient(server.url, api_key="s3cret") as keyed:
            assert await keyed.list_workflows() == []
        monkeypatch.setenv("HARMONIA_API_KEY", "s3cret")
        monkeypatch.setenv("HARMONIA_URL", server.url)
        async with await get_harmonia_client() as from_env:
            assert await from_env.list_workflows() == []
            workflow = await from_env.create_workflow(
                name="keyed", tasks={"a": {"component": "harmonia", "action": "noop"}}
            )
            run = await from_env.execute_workflow(workflow["workflow_id"])
            events = [event async for event in from_env.stream_events(run["execution_id"])]
            assert events[-1]["event_type"] == "workflow_completed"
    finally:
        status = server.stop()
    assert status == 0
