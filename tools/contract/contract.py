#!/usr/bin/env python3
"""Contract test: schemathesis drives every operation of Harmonia's OpenAPI document
(served by the server itself at /openapi.json) with schema-valid and schema-invalid inputs
against a real ``harmonia serve``, and checks every answer: no 5xx, status codes, content
types, headers and bodies as documented, invalid input refused, valid input accepted.

    tools/contract/run.sh --binary .build/release/harmonia [--max-examples 20]

Excluded, because an HTTP request/response test cannot drive them: ``POST /shutdown`` and
``POST /api/shutdown`` (they stop the server under test), ``GET /events/executions`` (an SSE
stream of every execution that never ends) and ``GET /ws/executions[/{id}]`` (WebSocket
upgrades; Tests/HarmoniaStreamingTests drive them with a WebSocket client).

Checks: all of schemathesis's but ``positive_data_acceptance``: a workflow definition has
rules JSON Schema cannot state (dependencies form no cycle and name existing tasks, ``${...}``
expressions parse and refer to earlier tasks, a retry policy's ``max_delay`` is at least its
``initial_delay``), so a schema-valid definition may rightly be refused with a documented 422.
Every answer is still checked against the document, and schema-invalid input must be
refused. Prints the operations, cases and failures, and exits non-zero on any failure.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def start_server(binary: str, data_dir: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", data_dir, "--log-level", "error"],
        stdout=subprocess.PIPE, stderr=open(Path(data_dir) / "stderr.log", "wb"))
    lines: list[str] = []

    def read() -> None:
        for raw in process.stdout:  # type: ignore[union-attr]
            lines.append(raw.decode(errors="replace").strip())

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for line in list(lines):
            match = re.match(r"^harmonia listening on (http\S+)$", line)
            if match:
                url = match.group(1).replace("://0.0.0.0:", "://127.0.0.1:")
                try:
                    with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                        if answer.status == 200:
                            return process, url
                except OSError:
                    pass
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise SystemExit(f"harmonia serve did not come up:\n{(Path(data_dir) / 'stderr.log').read_text()[-3000:]}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--max-examples", type=int, default=20)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--workers", default="2")
    args, extra = parser.parse_known_args()

    data_dir = tempfile.mkdtemp(prefix="harmonia-contract-")
    process, url = start_server(args.binary, data_dir)
    report = Path(data_dir) / "report"
    command = [str(HERE / ".venv" / "bin" / "st"), "--config-file", str(HERE / "schemathesis.toml"), "run", f"{url}/openapi.json", "--url", url,
               "--checks", "all", "--exclude-checks", "positive_data_acceptance", "--mode", "all", "--max-examples", str(args.max_examples), "--seed", str(args.seed),
               "--workers", args.workers, "--request-timeout", "30", "--continue-on-failure", "--no-color",
               "--report", "ndjson", "--report-dir", str(report), "--output-truncate", "true"]
    command += ["--exclude-operation-id", "shutdown", "--exclude-operation-id", "shutdownAlias",
                "--exclude-operation-id", "streamAllEvents", "--exclude-operation-id", "websocketAllEvents",
                "--exclude-operation-id", "websocketExecutionEvents"]
    command += extra
    started = time.monotonic()
    try:
        status = subprocess.run(command, env={**os.environ, "NO_COLOR": "1"}).returncode
    finally:
        process.terminate()
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            code = -9
    elapsed = time.monotonic() - started
    print(f"contract: schemathesis exit {status} in {elapsed:.0f} s; server exit {code} after SIGTERM")
    if code != 0:
        print((Path(data_dir) / "stderr.log").read_text()[-3000:], file=sys.stderr)
    return status or (1 if code != 0 else 0)


if __name__ == "__main__":
    sys.exit(main())
