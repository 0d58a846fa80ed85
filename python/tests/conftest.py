"""Fixtures for the tests that run against the real ``harmonia serve`` (see support.py)."""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator, Iterator

import pytest

from harmonia.client import HarmoniaClient

from .support import CLIENT_ENV, Server, missing_binary_reasons, require_binary


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if missing_binary_reasons:
        terminalreporter.write_sep("!", "HARMONIA SERVER BINARY MISSING", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(missing_binary_reasons)} test(s) did not run against a server: {missing_binary_reasons[0]}",
            red=True,
            bold=True,
        )


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CLIENT_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def server_binary() -> Path:
    return require_binary()


@pytest.fixture(scope="session")
def server(server_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A plain server (built-in component only), shared by the session."""
    running = Server(server_binary, tmp_path_factory.mktemp("harmonia-data"))
    yield running
    status = running.stop()
    assert status == 0, f"harmonia serve exited {status} after SIGTERM\n{running.logs()}"


@pytest.fixture
async def client(server: Server) -> AsyncIterator[HarmoniaClient]:
    async with HarmoniaClient(server.url) as harmonia:
        yield harmonia


@pytest.fixture
def harmonia_url(server: Server, monkeypatch: pytest.MonkeyPatch) -> str:
    """``HARMONIA_URL`` pointing at the session's server (for code that discovers it)."""
    monkeypatch.setenv("HARMONIA_URL", server.url)
    return server.url
