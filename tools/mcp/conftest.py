"""A real ``harmonia serve`` (with an API key) for the MCP tests, on a free loopback port."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator, Optional

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
API_KEY = "mcp-test-key"


def find_binary() -> Path:
    explicit = os.environ.get("HARMONIA_BIN")
    candidates = [Path(explicit)] if explicit else [REPO_ROOT / ".build" / b / "harmonia" for b in ("release", "debug")]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(f"no harmonia binary (tried {', '.join(map(str, candidates))}); build it or set HARMONIA_BIN")


class Server:
    def __init__(self, binary: Path) -> None:
        self.binary = binary
        self.data_dir = tempfile.mkdtemp(prefix="harmonia-mcp-test-")
        self.stderr = open(Path(self.data_dir) / "stderr.log", "wb")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HARMONIA_", "HERMES_"))}
        self.process = subprocess.Popen(
            [str(binary), "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", self.data_dir, "--api-key", API_KEY],
            stdout=subprocess.PIPE, stderr=self.stderr, env=env, cwd=str(REPO_ROOT))
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_for_url()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            self.lines.append(raw.decode(errors="replace").rstrip("\n"))

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for line in list(self.lines):
                match = re.match(r"^harmonia listening on (http\S+)$", line)
                if match:
                    url = match.group(1).replace("://0.0.0.0:", "://127.0.0.1:")
                    if self._healthy(url):
                        return url
            if self.process.poll() is not None:
                raise AssertionError(f"harmonia serve exited {self.process.returncode}: {self.logs()}")
            time.sleep(0.02)
        self.stop()
        raise AssertionError(f"harmonia serve did not come up: {self.logs()}")

    @staticmethod
    def _healthy(url: str) -> bool:
        try:
            return httpx.get(f"{url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def logs(self) -> str:
        self.stderr.flush()
        return (Path(self.data_dir) / "stderr.log").read_text(errors="replace")[-4000:]

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                return self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                return self.process.wait()
        return self.process.returncode


@pytest.fixture(scope="session")
def binary() -> Path:
    return find_binary()


@pytest.fixture(scope="session")
def server(binary: Path) -> Iterator[Server]:
    running = Server(binary)
    yield running
    status = running.stop()
    assert status == 0, f"harmonia serve exited {status} after SIGTERM: {running.logs()}"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
