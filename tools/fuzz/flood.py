#!/usr/bin/env python3
"""Connection flood against the real binary: thousands of connections that never send a
request (slowloris), in a process of their own.

(Not a Swift test: thousands of descriptors held inside the test process made
Foundation's `Process.run` of concurrently running CLI tests crash.)

Starts `harmonia serve` with `server.max_connections` = --cap and a 3 s head timeout, opens
--connections silent connections, and checks: the server's open descriptors stay under the
cap, the surplus is answered 503 at once, the held ones are closed by the head timeout, a
normal client is served within 1 s afterwards. Prints one JSON line; exits 1 on a failure.

    python3 tools/fuzz/flood.py --binary .build/debug/harmonia --connections 5000 --cap 1000
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fuzz import Server  # noqa: E402


def descriptors(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


def closed_by_peer(sock: socket.socket) -> bool:
    """Reads what arrived without waiting; True once end of file is reached."""
    try:
        while True:
            chunk = sock.recv(65536, socket.MSG_DONTWAIT)
            if not chunk:
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True


def slowloris(server: Server, count: int, head_timeout: float) -> dict:
    """`count` connections that send half a head; a normal client is timed meanwhile."""
    failures: list[str] = []
    slow = []
    opened = time.time()
    for n in range(count):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow-%d: " % n)
        slow.append(sock)

    def health() -> tuple[int, float]:
        asked = time.time()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("GET", "/health")
        status = connection.getresponse().status
        connection.close()
        return status, time.time() - asked

    # The first waits behind the half-open ones in the accept queue; the second is timed
    # while every one of them is held open.
    health()
    status, latency = health()
    if time.time() - opened >= head_timeout:
        failures.append("the timed request came after the head timeout; raise --slowloris-timeout")
    if status != 200 or latency >= 1:
        failures.append(f"a normal client waited {latency:.2f} s (status {status}) with {count} half-open connections")
    answered = 0
    for sock in slow:
        sock.settimeout(max(0.01, opened + head_timeout + 10 - time.time()))
        received = b""
        try:
            while True:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                received += chunk
        except OSError:
            pass
        if received.startswith(b"HTTP/1.1 408"):
            answered += 1
        sock.close()
    closed_after = time.time() - opened
    if answered != count:
        failures.append(f"only {answered} of {count} half-open connections were answered 408 and closed")
    return {"half_open": count, "health_latency_seconds": round(latency, 3), "answered_408": answered,
            "all_closed_after_seconds": round(closed_after, 1), "failures": failures}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/debug/harmonia")
    parser.add_argument("--connections", type=int, default=5000)
    parser.add_argument("--cap", type=int, default=1000)
    parser.add_argument("--head-timeout", type=float, default=3.0)
    parser.add_argument("--slowloris", type=int, default=0, help="run the slowloris check with this many connections instead")
    parser.add_argument("--slowloris-timeout", type=float, default=10.0, help="head timeout for the slowloris check")
    args = parser.parse_args()
    if args.slowloris:
        server = Server(args.binary, args.slowloris_timeout)
        try:
            report = slowloris(server, args.slowloris, args.slowloris_timeout)
        finally:
            server.stop()
        print(json.dumps(report))
        return 1 if report["failures"] else 0

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    os.environ["HARMONIA_MAX_CONNECTIONS"] = str(args.cap)
    server = Server(args.binary, args.head_timeout)
    failures: list[str] = []
    try:
        pid = server.process.pid
        before = descriptors(pid)
        flood: list[socket.socket] = []
        started = time.time()
        for _ in range(args.connections):
            flood.append(socket.create_connection(("127.0.0.1", server.port), timeout=30))
        opened = time.time() - started
        peak, refused = 0, 0
        deadline = time.time() + 60
        open_ = set(range(len(flood)))
        while time.time() < deadline:
            peak = max(peak, descriptors(pid))
            for index in list(open_):
                if closed_by_peer(flood[index]):
                    open_.discard(index)
            refused = len(flood) - len(open_)
            if refused >= args.connections - args.cap - 50:
                break
            time.sleep(0.1)
        accepted = time.time()
        # The held ones: closed within the head timeout of their accept.
        while time.time() < accepted + args.head_timeout + 10 and open_:
            peak = max(peak, descriptors(pid))
            for index in list(open_):
                if closed_by_peer(flood[index]):
                    open_.discard(index)
            time.sleep(0.1)
        closed_after = time.time() - accepted
        for sock in flood:
            sock.close()
        asked = time.time()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", "/health")
        status = connection.getresponse().status
        latency = time.time() - asked
        connection.close()
        alive = server.alive()
        if peak >= before + args.cap + 100:
            failures.append(f"the server held {peak} descriptors (cap {args.cap})")
        if open_:
            failures.append(f"{len(open_)} connections still open {closed_after:.1f} s after the last was accepted")
        if status != 200 or latency >= 1:
            failures.append(f"/health answered {status} after {latency:.2f} s")
        if not alive:
            failures.append("the server died")
        print(json.dumps({
            "connections": args.connections, "cap": args.cap, "opened_seconds": round(opened, 1),
            "closed_by_server_when_first_checked": refused, "server_descriptors_before": before, "server_descriptors_peak": peak,
            "all_closed_seconds_after_accept": round(closed_after, 1), "health_latency_seconds": round(latency, 3),
            "failures": failures}))
    finally:
        server.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
