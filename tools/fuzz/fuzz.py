#!/usr/bin/env python3
"""HTTP fuzzer for Harmonia: hostile requests over every route, and raw malformed HTTP.

Starts `harmonia serve` on a fresh data directory, learns the routes from `GET /` (served
under both prefixes), and sends property-based requests generated with Hypothesis: odd
path parameters (slashes, percent signs, dot segments, very long ids, non-ASCII), query
strings, and bodies (JSON of any shape with huge or out-of-range numbers and deep nesting,
YAML with aliases, random bytes, wrong content types). Then raw bytes over sockets: bad
request lines, long URIs, bad Content-Length, partial heads, header floods.

Counts requests sent, 5xx answers, hangs (no answer and no close within the timeout),
crashes (the server process exited) and the server's peak RSS, prints them as one JSON line
and exits 1 if any of 5xx, hangs or crashes is not zero. The graceful-shutdown routes
(`POST /shutdown`, `POST /api/shutdown`) and the endless event streams are left out.

    python3 tools/fuzz/fuzz.py --binary .build/debug/harmonia --requests 1500 --raw 300
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

from hypothesis import HealthCheck, given, settings, seed as hypothesis_seed
from hypothesis import strategies as st

EXCLUDED = {("POST", "/shutdown"), ("POST", "/api/shutdown")}
STREAM_PREFIXES = ("/events/", "/ws/")
REQUEST_TIMEOUT = 15.0


class Stats:
    def __init__(self) -> None:
        self.requests = 0
        self.raw = 0
        self.server_errors: list[str] = []
        self.hangs: list[str] = []
        self.crashes = 0
        self.status_counts: dict[int, int] = {}
        self.peak_rss_kb = 0


class Server:
    """`harmonia serve --port 0` on a temporary data directory."""

    def __init__(self, binary: str, head_timeout: float) -> None:
        self.directory = tempfile.mkdtemp(prefix="harmonia-fuzz-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("HARMONIA_")}
        env["HARMONIA_REQUEST_HEAD_TIMEOUT"] = str(head_timeout)
        env["HARMONIA_REQUEST_BODY_TIMEOUT"] = str(head_timeout)
        env["HARMONIA_LOG_LEVEL"] = "error"
        self.process = subprocess.Popen(
            [binary, "serve", "--port", "0", "--data-dir", self.directory],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
        deadline = time.time() + 60
        self.port = None
        assert self.process.stdout is not None
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            match = re.search(r"harmonia listening on http://[^:]+:(\d+)", line)
            if match:
                self.port = int(match.group(1))
                break
        if self.port is None:
            self.stop()
            raise SystemExit("harmonia serve did not start")

    def alive(self) -> bool:
        return self.process.poll() is None

    def rss_kb(self) -> int:
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.directory, ignore_errors=True)


def request(server: Server, stats: Stats, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, bytes] | None:
    """One request on a fresh connection; records the outcome."""
    stats.requests += 1
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
    label = f"{method} {path[:120]}"
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        stats.status_counts[response.status] = stats.status_counts.get(response.status, 0) + 1
        if response.status >= 500 and not (response.status == 503 and b"not_ready" in data):
            stats.server_errors.append(f"{label} -> {response.status} {data[:200]!r}")
        return response.status, data
    except socket.timeout:
        stats.hangs.append(label)
    except (ConnectionError, http.client.HTTPException, OSError):
        if not server.alive():
            stats.crashes += 1
            raise SystemExit(f"the server died on {label}")
    finally:
        connection.close()
    return None


def routes(server: Server, stats: Stats) -> list[tuple[str, str]]:
    """Every (method, path template) served, from `GET /`, under both prefixes."""
    answer = request(server, stats, "GET", "/", headers={"Accept": "application/json"})
    assert answer is not None and answer[0] == 200, answer
    found = set()
    for endpoint in json.loads(answer[1])["endpoints"]:
        method, path = endpoint["method"], endpoint["path"]
        if path.startswith(STREAM_PREFIXES):
            continue
        found.add((method, path))
        if path.startswith("/api/v1/"):
            found.add((method, "/api/" + path[len("/api/v1/"):]))
    return sorted(found - EXCLUDED)


# Values for the strategies -------------------------------------------------------------

odd_numbers = st.sampled_from(["1e400", "-1e400", "1e21", "1e308", "-0", "0.0000001", "123456789012345678901234567890",
                               "NaN", "Infinity", "1E999", "-9223372036854775809", "4.9e-324"])
segments = st.one_of(
    st.text(min_size=1, max_size=40),
    st.sampled_from(["a/b/c", "../x", "..", ".", "  ", "%2e%2e", "%", "%zz", "%00", "ä", "x" * 5000, "team%3Aflow",
                     "..%2f..%2fetc%2fpasswd", "{id}", "null", "-1", "0"]),
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
              st.text(max_size=50)),
    lambda children: st.one_of(st.lists(children, max_size=6), st.dictionaries(st.text(max_size=12), children, max_size=6)),
    max_leaves=30)
field_names = st.sampled_from(["name", "id", "tasks", "timeout", "checkpoint_interval", "retry_policy", "input",
                               "workflow_id", "input_schema", "max_concurrency", "parameter_values", "definition",
                               "parameters", "depends_on", "component", "action", "idempotency_key", "limit"])


def as_json(value) -> str:
    return json.dumps(value, allow_nan=False)


@st.composite
def bodies(draw) -> tuple[bytes | None, str | None]:
    kind = draw(st.sampled_from(["json", "definition", "number", "yaml", "bytes", "empty", "deep"]))
    if kind == "json":
        return as_json(draw(json_values)).encode(), "application/json"
    if kind == "definition":
        task = {"component": draw(st.sampled_from(["harmonia", "nope", ""])),
                "action": draw(st.sampled_from(["noop", "echo", "transform", "sleep", "fail", "x"]))}
        definition = {"name": draw(st.text(max_size=10)), "tasks": {draw(st.text(min_size=1, max_size=8)): task}}
        definition.update(draw(st.dictionaries(field_names, json_values, max_size=3)))
        return as_json(definition).encode(), "application/json"
    if kind == "number":
        text = '{"name": "n", "%s": %s, "tasks": {"a": {"component": "harmonia", "action": "noop", "timeout": %s}}}' % (
            draw(field_names), draw(odd_numbers), draw(odd_numbers))
        return text.encode(), "application/json"
    if kind == "yaml":
        blob = "x" * draw(st.integers(0, 2000))
        levels = draw(st.integers(0, 6))
        yaml = f"name: y\nb0: &a0 \"{blob}\"\n"
        for level in range(1, levels + 1):
            yaml += f"b{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]\n"
        yaml += f"tasks:\n  t:\n    component: harmonia\n    action: echo\n    input: {{v: *a{levels}}}\n"
        return yaml.encode(), draw(st.sampled_from(["application/yaml", "text/yaml", "application/json", None]))
    if kind == "bytes":
        return draw(st.binary(max_size=300)), draw(st.sampled_from(["application/json", "application/yaml", None]))
    if kind == "deep":
        depth = draw(st.integers(100, 5000))
        return ("[" * depth + "]" * depth).encode(), "application/json"
    return None, None


queries = st.one_of(st.just(""), st.dictionaries(
    st.sampled_from(["limit", "offset", "status", "workflow_id", "after_seq", "version", "name", "tag", "api_key"]),
    st.one_of(st.text(max_size=20), odd_numbers, st.integers().map(str)), max_size=3).map(
        lambda q: "?" + urllib.parse.urlencode(q) if q else ""))


def fuzz_routes(server: Server, stats: Stats, count: int, seed_value: int, known: dict[str, str]) -> None:
    table = routes(server, stats)

    @hypothesis_seed(seed_value)
    @settings(max_examples=count, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(route=st.sampled_from(table), segment=segments, use_known=st.booleans(), body=bodies(), query=queries,
           encode=st.booleans(), wrong_method=st.integers(0, 20))
    def one(route, segment, use_known, body, query, encode, wrong_method):
        method, template = route
        if wrong_method == 0:
            method = random.choice(["GET", "POST", "PUT", "DELETE", "PATCH"])
            if (method, template) in EXCLUDED:
                return

        def fill(match: re.Match) -> str:
            name = match.group(1)
            if use_known and name in known:
                return known[name]
            return urllib.parse.quote(segment, safe="") if encode else segment.replace(" ", "%20").replace("?", "%3F").replace("#", "%23")

        path = re.sub(r"\{(\w+)\}", fill, template) + query
        if not path.isascii():
            path = urllib.parse.quote(path, safe="/%?=&")
        data, content_type = body
        headers = {"Content-Type": content_type} if content_type else {}
        request(server, stats, method, path, body=data if method in ("POST", "PUT", "PATCH") else None, headers=headers)
        if not server.alive():
            stats.crashes += 1
            raise SystemExit(f"the server died on {method} {path[:120]}")

    one()


# Raw malformed HTTP -------------------------------------------------------------------

RAW_CASES = [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/9.9\r\n\r\n",
    b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    b"POST /api/v1/workflows HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{}",
    b"POST /api/v1/workflows HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    b"POST /api/v1/workflows HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"GET /health HTTP/1.1\r\nHost: x\r\n",
    b"GET /hea",
    b"",
    b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /health HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(2000)) + b"\r\n",
    b"GET /health HTTP/1.1\r\nX-Big: " + b"b" * 200_000 + b"\r\n\r\n",
    b"\x00\x01\x02\xff\xfe" * 20,
    b"GET /ws/executions HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n",
    b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n" * 50,
]


def raw_exchange(server: Server, stats: Stats, payload: bytes, wait: float) -> None:
    """Sends `payload` and waits for an answer or a close; neither within `wait` is a hang."""
    stats.raw += 1
    stats.requests += 1
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    try:
        sock.settimeout(wait)
        try:
            sock.sendall(payload)
        except OSError:
            return  # closed on us mid-send (a limit): an answer
        received = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
                sock.settimeout(0.5)  # answered: a kept-alive connection need not be waited out
        except socket.timeout:
            if not received:
                stats.hangs.append(f"raw {payload[:60]!r}")
                return
        except OSError:
            return
        for status in re.findall(rb"HTTP/1\.1 (\d{3})", received):
            code = int(status)
            stats.status_counts[code] = stats.status_counts.get(code, 0) + 1
            if code >= 500 and b"too_many_connections" not in received:
                stats.server_errors.append(f"raw {payload[:60]!r} -> {code}")
    finally:
        sock.close()


def fuzz_raw(server: Server, stats: Stats, count: int, seed_value: int, head_timeout: float) -> None:
    rng = random.Random(seed_value)
    # Keep-alive connections are closed by the idle timeout (60 s), not within `wait`; so
    # only requests that end their connection are waited on to the end.
    wait = head_timeout + 5
    for case in RAW_CASES:
        if case.endswith(b"\r\n\r\n") and b"Content-Length" not in case and not case.startswith(b"GARBAGE"):
            case = case.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1) if case.count(b"\r\n\r\n") == 1 else case
        raw_exchange(server, stats, case, wait)
    for _ in range(max(0, count - len(RAW_CASES))):
        base = bytearray(rng.choice(RAW_CASES)[:2000] or b"GET / HTTP/1.1\r\n\r\n")
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(base) + 1)
            operation = rng.random()
            if operation < 0.4:
                base[position:position] = bytes([rng.randrange(256)])
            elif operation < 0.7 and len(base) > 1:
                del base[min(position, len(base) - 1)]
            else:
                base[position:position] = rng.choice([b"\r\n", b":", b" ", b"\x00", b"Content-Length: 5\r\n", b"%"])
        if rng.random() < 0.5:
            base += b"\r\nConnection: close\r\n\r\n"
        raw_exchange(server, stats, bytes(base), wait)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=".build/debug/harmonia")
    parser.add_argument("--requests", type=int, default=1500, help="property-based requests over the routes")
    parser.add_argument("--raw", type=int, default=300, help="raw malformed HTTP exchanges")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--head-timeout", type=float, default=2.0, help="server.request_head_timeout for the run")
    args = parser.parse_args()

    random.seed(args.seed)
    stats = Stats()
    started = time.time()
    server = Server(args.binary, args.head_timeout)
    try:
        # Known ids, so some requests reach real objects.
        known: dict[str, str] = {"name": "harmonia", "action": "echo"}
        created = request(server, stats, "POST", "/api/v1/workflows",
                          json.dumps({"name": "fuzz", "tasks": {"a": {"component": "harmonia", "action": "sleep",
                                                                      "input": {"seconds": 30}}}}).encode(),
                          {"Content-Type": "application/json"})
        if created and created[0] == 201:
            known["id"] = json.loads(created[1])["data"]["workflow_id"]
        fuzz_routes(server, stats, args.requests, args.seed, known)
        fuzz_raw(server, stats, args.raw, args.seed, args.head_timeout)
        if not server.alive():
            stats.crashes += 1
        health = request(server, stats, "GET", "/health")
        if health is None or health[0] != 200:
            stats.hangs.append("GET /health after the run")
        stats.peak_rss_kb = server.rss_kb()
    finally:
        server.stop()

    report = {
        "requests": stats.requests, "raw": stats.raw, "server_errors_5xx": len(stats.server_errors),
        "hangs": len(stats.hangs), "crashes": stats.crashes, "peak_rss_mib": round(stats.peak_rss_kb / 1024, 1),
        "seconds": round(time.time() - started, 1),
        "statuses": {str(k): v for k, v in sorted(stats.status_counts.items())},
    }
    print(json.dumps(report))
    for line in stats.server_errors[:20]:
        print("5xx:", line, file=sys.stderr)
    for line in stats.hangs[:20]:
        print("hang:", line, file=sys.stderr)
    return 0 if not stats.server_errors and not stats.hangs and not stats.crashes else 1


if __name__ == "__main__":
    sys.exit(main())
