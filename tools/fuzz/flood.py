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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/debug/harmonia")
    parser.add_argument("--connections", type=int, default=5000)
    parser.add_argument("--cap", type=int, default=1000)
    parser.add_argument("--head-timeout", type=float, default=3.0)
    args = parser.parse_args()

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
