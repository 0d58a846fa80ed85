"""The fake-Tekton launch: ``scripts/install-tekton.sh --skip-build`` lays out a Tekton tree,
then ``python -m harmonia`` runs there exactly as Tekton's launcher runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import httpx
import pytest

from .support import REPO_ROOT, eventually, free_port, require_binary

INSTALL = REPO_ROOT / "scripts" / "install-tekton.sh"


def install(tekton_root: Path, bin_dir: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["bash", str(INSTALL), "--skip-build", str(bin_dir), str(tekton_root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def tekton_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    binary = require_binary()
    root = tmp_path_factory.mktemp("tekton")
    # Tekton's own (Python) Harmonia is there: the install moves it aside.
    (root / "Harmonia" / "harmonia").mkdir(parents=True)
    (root / "Harmonia" / "harmonia" / "__init__.py").write_text("# Tekton's original\n")
    first = install(root, binary.parent)
    assert "moved Tekton's own Harmonia aside" in first.stdout
    asides = list(root.glob("Harmonia.original-*"))
    assert len(asides) == 1 and (asides[0] / "harmonia" / "__init__.py").read_text() == "# Tekton's original\n"
    # Idempotent: a second run updates in place and moves nothing.
    second = install(root, binary.parent)
    assert "moved" not in second.stdout
    assert len(list(root.glob("Harmonia.original-*"))) == 1
    return root


def test_install_layout(tekton_root: Path) -> None:
    binary = require_binary()
    harmonia = tekton_root / "Harmonia"
    assert os.access(harmonia / "bin" / "harmonia", os.X_OK)
    assert (harmonia / "bin" / "harmonia").read_bytes() == binary.read_bytes()
    adapters = sorted(path.name for path in binary.parent.glob("libHarmonia*.so"))
    assert sorted(path.name for path in (harmonia / "bin").glob("libHarmonia*.so")) == adapters
    for module in ("__init__.py", "__main__.py", "client.py", "launcher.py", "sync.py", "py.typed"):
        assert (harmonia / "harmonia" / module).is_file(), module


def launch(
    tekton_root: Path, port: int, logs: Path, extra_env: Optional[dict[str, str]] = None
) -> subprocess.Popen[bytes]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "HARMONIA_PORT": str(port),
        "TEKTON_ROOT": str(tekton_root),
        "PYTHONPATH": str(tekton_root),
        "TEKTON_NAME": "harmonia",
        **(extra_env or {}),
    }
    with open(logs / "stdout", "wb") as stdout, open(logs / "stderr", "wb") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "harmonia"], cwd=tekton_root / "Harmonia", env=env, stdout=stdout, stderr=stderr
        )


def health(port: int) -> Optional[dict[str, object]]:
    try:
        answer = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
    except httpx.HTTPError:
        return None
    return answer.json() if answer.status_code == 200 else None


@pytest.mark.parametrize("host", [None, "0.0.0.0"], ids=["plain", "HARMONIA_HOST=0.0.0.0"])
def test_python_dash_m_harmonia_as_tektons_launcher_runs_it(
    tekton_root: Path, host: Optional[str], tmp_path: Path
) -> None:
    port = free_port()
    data_dir = tekton_root / ".tekton" / "data" / "harmonia"
    process = launch(tekton_root, port, tmp_path, {"HARMONIA_HOST": host} if host else None)

    def output() -> str:
        return "\n".join(
            f"--- {name}\n" + (tmp_path / name).read_text(errors="replace")[-3000:] for name in ("stdout", "stderr")
        )

    started = time.monotonic()
    try:
        # Tekton's launcher: alive after 1 s, then /health 200 within 5 s.
        answer = None
        while answer is None and time.monotonic() - started < 5 and process.poll() is None:
            answer = health(port)
            if answer is None:
                time.sleep(0.05)
        if answer is None:
            process.kill()
            process.wait(timeout=10)
            raise AssertionError(f"no /health 200 within 5 s (exit {process.returncode})\n{output()}")
        assert answer["component"] == "harmonia" and answer["port"] == port
        # execv: the process Tekton started is the server itself.
        assert Path(f"/proc/{process.pid}/exe").resolve() == (tekton_root / "Harmonia" / "bin" / "harmonia").resolve()
        assert eventually("harmonia.sqlite in Tekton's data dir", lambda: (data_dir / "harmonia.sqlite").is_file(), 5)
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=30)
        assert status == 0, output()
        assert "harmonia: exec " in (tmp_path / "stderr").read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
