"""Helpers: the real ``harmonia serve`` binary, started by the tests on a free port.

The binary is ``HARMONIA_BIN``, else the checkout's ``.build/release/harmonia``, else
``.build/debug/harmonia``. Without one, the tests that need it are skipped loudly (a banner
at the end of the run) — except under ``CI=true``, where a missing binary fails them.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Optional, TypeVar

import httpx
import pytest


PYTHON_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = PYTHON_DIR.parent
T = TypeVar("T")

#: Every environment variable the client or the launcher reads: cleared for each test so
#: the developer's own settings cannot leak in.
CLIENT_ENV = (
    "HARMONIA_URL",
    "HARMONIA_PORT",
    "HARMONIA_HOST",
    "HARMONIA_API_KEY",
    "HARMONIA_API_KEYS",
    "HARMONIA_DATA_DIR",
    "HERMES_URL",
    "HERMES_HOST",
    "HERMES_PORT",
    "TEKTON_HOST",
    "TEKTON_ROOT",
)

missing_binary_reasons: list[str] = []


def find_server_binary() -> Optional[Path]:
    explicit = os.environ.get("HARMONIA_BIN")
    if explicit:
        return Path(explicit)
    for build in ("release", "debug"):
        candidate = REPO_ROOT / ".build" / build / "harmonia"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def require_binary() -> Path:
    """The server binary, or a skip (a failure under ``CI=true``) saying why."""
    binary = find_server_binary()
    problem = None
    if binary is None:
        problem = (
            "no harmonia server binary: set HARMONIA_BIN or build one "
            f"(swift build) so {REPO_ROOT}/.build/debug/harmonia exists"
        )
    elif not (binary.is_file() and os.access(binary, os.X_OK)):
        problem = f"HARMONIA_BIN={binary} is not an executable file"
    if problem is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {problem}")
        missing_binary_reasons.append(problem)
        pytest.skip(f"SKIPPED LOUDLY: {problem}")
    assert binary is not None
    return binary


def eventually(what: str, check: Callable[[], Optional[T]], timeout: float = 30.0, interval: float = 0.02) -> T:
    """Polls ``check`` until it returns something other than None/False, or fails at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value is not None and value is not False:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """One ``harmonia serve`` process on a free loopback port with its own data dir."""

    def __init__(self, binary: Path, data_dir: Path, extra: tuple[str, ...] = (), env: Optional[dict[str, str]] = None):
        self.binary = binary
        self.data_dir = data_dir
        self.log_dir = Path(tempfile.mkdtemp(prefix="harmonia-pytest-log-"))
        self.stderr_path = self.log_dir / "stderr"
        environment = {key: value for key, value in os.environ.items() if key not in CLIENT_ENV}
        environment.update(env or {})
        command = [str(binary), "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", str(data_dir), *extra]
        self._stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=self._stderr, env=environment, cwd=str(REPO_ROOT)
        )
        self._lines: list[str] = []
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()
        self.url = ""
        try:
            self.url = eventually("the 'harmonia listening on' line", self._listening_url, timeout=60)
            eventually("GET /health == 200", self._healthy, timeout=30)
        except BaseException:
            self.stop()
            raise AssertionError(f"harmonia serve did not come up:\n{self.logs()}")

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            self._lines.append(raw.decode("utf-8", errors="replace").rstrip("\n"))

    def _listening_url(self) -> Optional[str]:
        for line in list(self._lines):
            match = re.match(r"^harmonia listening on (http\S+)$", line)
            if match:
                return match.group(1).replace("://0.0.0.0:", "://127.0.0.1:")
        if self.process.poll() is not None:
            raise AssertionError(f"harmonia serve exited with {self.process.returncode}:\n{self.logs()}")
        return None

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def logs(self, lines: int = 40) -> str:
        try:
            text = self.stderr_path.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            text = []
        return "--- stdout\n" + "\n".join(self._lines[-10:]) + "\n--- stderr (tail)\n" + "\n".join(text)

    def stop(self) -> Optional[int]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._stderr.close()
        return self.process.returncode



def run_python(code: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Runs ``code`` as a script in a fresh interpreter that imports this checkout's package."""
    environment = {key: value for key, value in os.environ.items() if key not in CLIENT_ENV}
    environment["PYTHONPATH"] = str(PYTHON_DIR)
    environment.update(env)
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "example.py"
        script.write_text(code)
        return subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, env=environment, cwd=folder, timeout=timeout
        )
