"""Pieces that need no server: the SSE parser, URL rules, errors, the launcher's choices."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from harmonia.discovery import default_base_url, explicit_base_url, hermes_url_from_env
from harmonia.errors import InvalidStateError, NotFoundError, ValidationError, error_from_response
from harmonia.launcher import build_command, find_binary
from harmonia.sse import SSEParser

from .support import PYTHON_DIR


def test_sse_parser_handles_any_split() -> None:
    stream = (
        "retry: 2000\n\nevent: connected\ndata: {\"type\":\"connected\"}\n\n: keepalive\n\n"
        "id: 5\r\nevent: task_completed\r\ndata: {\"seq\":5,\"m\":\"h\u00e9\"}\r\n\r\n"
        "data: a\ndata: b\n\n"
    ).encode()
    whole = SSEParser().feed(stream)
    for size in (1, 2, 3, 7):
        parser = SSEParser()
        pieces = [stream[i : i + size] for i in range(0, len(stream), size)]
        assert [m for piece in pieces for m in parser.feed(piece)] == whole
        assert parser.comments == 1
    assert [(m.id, m.event, m.data) for m in whole] == [
        (None, "connected", '{"type":"connected"}'),
        ("5", "task_completed", '{"seq":5,"m":"h\u00e9"}'),
        ("5", "message", "a\nb"),
    ]


def test_url_rules() -> None:
    assert default_base_url({}) == "http://localhost:8007"
    assert default_base_url({"HARMONIA_PORT": "9001"}) == "http://localhost:9001"
    assert explicit_base_url(None, None, None, {"HARMONIA_URL": "http://h:1/"}) == "http://h:1"
    assert explicit_base_url(None, "example", None, {"HARMONIA_PORT": "5"}) == "http://example:5"
    assert explicit_base_url(None, None, None, {"HARMONIA_URL": ""}) is None
    assert hermes_url_from_env({}) is None
    assert hermes_url_from_env({"TEKTON_HOST": "t"}) == "http://t:8001"
    assert hermes_url_from_env({"HERMES_PORT": "18001"}) == "http://localhost:18001"
    assert hermes_url_from_env({"HERMES_HOST": "h", "TEKTON_HOST": "t", "HERMES_PORT": "2"}) == "http://h:2"
    assert hermes_url_from_env({"HERMES_URL": "http://x:3/", "HERMES_HOST": "h"}) == "http://x:3"


def test_errors_map_codes_and_statuses() -> None:
    error = error_from_response(404, {"code": "not_found", "detail": "no workflow with id x"})
    assert isinstance(error, NotFoundError) and error.code == "not_found" and error.status == 404
    state = error_from_response(409, {"code": "invalid_state", "detail": "running"})
    assert isinstance(state, InvalidStateError)
    problem = {"code": "dependency_cycle", "message": "m", "path": "tasks.a.depends_on"}
    cycle = error_from_response(422, {"code": "dependency_cycle", "detail": "d", "path": "tasks.a", "problems": [problem]})
    assert isinstance(cycle, ValidationError) and cycle.path == "tasks.a" and cycle.problems == [problem]
    odd = error_from_response(502, None, fallback="<html>bad gateway</html>")
    assert odd.code == "http_502" and "bad gateway" in odd.detail


def _fake_binary(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_launcher_finds_the_binary_in_order(tmp_path: Path) -> None:
    package = tmp_path / "Harmonia" / "harmonia"
    package.mkdir(parents=True)
    env = {"PATH": str(tmp_path / "path")}
    assert find_binary(env, package)[0] is None
    on_path = _fake_binary(tmp_path / "path" / "harmonia")
    assert find_binary(env, package)[0] == str(on_path)
    beside = _fake_binary(tmp_path / "Harmonia" / "bin" / "harmonia")
    assert find_binary(env, package)[0] == str(beside)
    explicit = _fake_binary(tmp_path / "elsewhere" / "server")
    assert find_binary({**env, "HARMONIA_BIN": str(explicit)}, package)[0] == str(explicit)
    binary, _, problem = find_binary({**env, "HARMONIA_BIN": str(tmp_path / "missing")}, package)
    assert binary is None and problem is not None and "HARMONIA_BIN" in problem

    checkout = tmp_path / "checkout"
    (checkout / "python" / "harmonia").mkdir(parents=True)
    (checkout / "Package.swift").write_text("")
    debug = _fake_binary(checkout / ".build" / "debug" / "harmonia")
    assert find_binary(env, checkout / "python" / "harmonia")[0] == str(debug)
    release = _fake_binary(checkout / ".build" / "release" / "harmonia")
    assert find_binary(env, checkout / "python" / "harmonia")[0] == str(release)


def test_launcher_command() -> None:
    assert build_command("/b/harmonia", [], {}) == ["/b/harmonia", "serve"]
    assert build_command("/b/harmonia", ["--port", "1"], {"TEKTON_ROOT": "/t"}) == [
        "/b/harmonia", "serve", "--data-dir", "/t/.tekton/data/harmonia", "--port", "1",
    ]
    assert build_command("/b/harmonia", [], {"TEKTON_ROOT": "/t", "HARMONIA_DATA_DIR": "/d"}) == ["/b/harmonia", "serve"]
    assert build_command("/b/harmonia", ["--data-dir=/x"], {"TEKTON_ROOT": "/t"}) == ["/b/harmonia", "serve", "--data-dir=/x"]


def test_launcher_needs_no_httpx_and_fails_clearly_without_a_binary(tmp_path: Path) -> None:
    # Copy the package to a folder with no bin/ and no checkout around it.
    import shutil

    copy = tmp_path / "Harmonia"
    shutil.copytree(PYTHON_DIR / "harmonia", copy / "harmonia", ignore=shutil.ignore_patterns("__pycache__"))
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "httpx.py").write_text("raise ImportError('httpx must not be imported by the launcher')\n")
    env = {"PATH": "/nonexistent", "PYTHONPATH": str(blocker)}
    result = subprocess.run(
        [sys.executable, "-m", "harmonia"], cwd=copy, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2, result.stderr
    assert "no harmonia server binary found" in result.stderr
    assert str(copy / "bin" / "harmonia") in result.stderr
