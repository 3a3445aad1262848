"""Soak: does the mock's memory stay flat under a long stream of mixed requests? (issue 13)

Runs the threaded server (``CanvasServer``, default world) in this process with live-event delivery
to a consumer that is down (a port that refuses connections), and sends ``--requests`` requests
(default 100,000) from ``--workers`` load processes over keep-alive connections, in a fixed mix:

* 40% unknown routes (``GET /api/v1/no_such_thing/N``): each one is a recorded problem;
* 30% group renames (``PUT /api/v1/groups/1``): each records a live event the consumer never takes;
* 15% reads (``GET /api/v1/groups/1``);
* 15% file uploads in three steps (preflight, bytes, confirm), each replacing the same file name.

Every ``--every`` requests it prints the resident memory of the server's process (VmRSS; the load
runs in other processes), the problems kept and counted, the journal, the live events and the delivery's
queue; at the end, how long the server took to stop with the delivery backlog. Bounded: it stops after
``--max-seconds`` (default 240) whatever the count. Usage::

    .venv/bin/python bench/soak.py --requests 20000
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import multiprocessing
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
TEACHER = "Bearer teacher-token"
STUDENT = "Bearer student-token"
FORM = "application/x-www-form-urlencoded"
UPLOAD_BYTES = 16 * 1024


def rss_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class Client:
    """One keep-alive connection; ``call`` returns (status, headers, body)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                resp = self.conn.getresponse()
                return resp.status, resp.headers, resp.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()  # an idle keep-alive connection closed by the server: reconnect
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def upload(self, n: int) -> int:
        """Three steps; returns how many requests they took."""
        status, _, body = self.call("POST", "/api/v1/groups/1/files",
                                    urlencode({"name": "soak.bin", "size": UPLOAD_BYTES}).encode(),
                                    {"Authorization": STUDENT, "Content-Type": FORM})
        assert status == 200, (status, body[:200])
        pre = json.loads(body)
        boundary = "soak-boundary"
        parts = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                         for k, v in pre["upload_params"].items())
        parts += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="soak.bin"\r\n'
                  "Content-Type: application/octet-stream\r\n\r\n").encode()
        parts += bytes([n % 256]) * UPLOAD_BYTES + f"\r\n--{boundary}--\r\n".encode()
        path = urlsplit(pre["upload_url"]).path + ("?" + urlsplit(pre["upload_url"]).query
                                                    if urlsplit(pre["upload_url"]).query else "")
        status, headers, body = self.call("POST", path, parts,
                                          {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert status == 302, (status, body[:200])
        loc = urlsplit(headers["Location"])
        status, _, body = self.call("GET", f"{loc.path}?{loc.query}", None, {"Authorization": STUDENT})
        assert status == 200, (status, body[:200])
        return 3


def refused_url() -> tuple[socket.socket, str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}/events"


def send(client: Client, n: int) -> int:
    """Request ``n`` of the mix; returns how many requests it took."""
    kind = n % 20
    if kind < 8:
        status, _, _ = client.call("GET", f"/api/v1/no_such_thing/{n}", None, {"Authorization": TEACHER})
        assert status == 404, status
    elif kind < 14:
        status, _, body = client.call("PUT", "/api/v1/groups/1", f"name=Soak+{n}".encode(),
                                      {"Authorization": TEACHER, "Content-Type": FORM})
        assert status == 200, (status, body[:200])
    elif kind < 17:
        status, _, _ = client.call("GET", "/api/v1/groups/1", None, {"Authorization": TEACHER})
        assert status == 200, status
    else:
        return client.upload(n)
    return 1


def worker(port: int, k: int, workers: int, total: int, counter, deadline: float, errors) -> None:
    """A load process: requests k, k + workers, ... until ``total`` are counted or the deadline."""
    client = Client(port)
    n = k
    try:
        while time.time() < deadline and counter.value < total:
            used = send(client, n)
            n += workers
            with counter.get_lock():
                counter.value += used
    except Exception as exc:  # reported by the main process
        errors.put(f"{type(exc).__name__}: {exc}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100_000, help="requests to send (default 100000)")
    parser.add_argument("--workers", type=int, default=2, help="load processes (default 2)")
    parser.add_argument("--every", type=int, default=0, help="report every N requests (default requests/10)")
    parser.add_argument("--max-seconds", type=float, default=240.0, help="stop after this long (default 240)")
    args = parser.parse_args()
    every = args.every or max(1, args.requests // 10)
    # imported here: the load processes (spawned, importing this module) never need the mock
    sys.path.insert(0, str(ROOT))
    from mockcanvas.seed import load_world
    from mockcanvas.server import CanvasServer
    from mockcanvas.settings import Settings

    holder, url = refused_url()
    settings = Settings(live_events_url=url, live_events_drain_timeout=2.0)
    server = CanvasServer(load_world(settings=settings), settings=settings).start()
    port = server.port
    probe = Client(port)
    t0 = time.monotonic()

    def report(done: int) -> None:
        gc.collect()
        d = server.delivery.stats()
        health = json.loads(probe.call("GET", "/__mockcanvas__/health")[2])
        print(f"{done:>8,} requests {time.monotonic() - t0:6.1f}s  RSS {rss_mb():7.1f} MB  "
              f"problems {health['problems']}+{health['problems_dropped']:,} dropped  "
              f"journal {health['requests']}+{health['requests_dropped']:,}  "
              f"events {health['live_events']}+{health['live_events_dropped']:,}  "
              f"delivery pending {d['pending']:,} failed {d['failed']:,} dropped {d['dropped']:,}", flush=True)

    print(f"soak: {args.requests:,} requests from {args.workers} load processes to the threaded server of this "
          f"process; live events to a consumer that is down ({url}); RSS at start {rss_mb():.1f} MB", flush=True)
    ctx = multiprocessing.get_context("spawn")  # the load processes do not share the server's memory
    counter, errors = ctx.Value("q", 0), ctx.Queue()
    deadline = time.time() + args.max_seconds
    procs = [ctx.Process(target=worker, args=(port, k, args.workers, args.requests, counter, deadline, errors),
                         daemon=True) for k in range(args.workers)]
    for proc in procs:
        proc.start()
    next_report = every
    while any(proc.is_alive() for proc in procs):
        time.sleep(0.2)
        if counter.value >= next_report:
            report(counter.value)
            while next_report <= counter.value:
                next_report += every
    for proc in procs:
        proc.join(10)
    took = time.monotonic() - t0
    done = counter.value
    report(done)
    delivery = server.delivery
    t1 = time.monotonic()
    server.stop()
    stopped = time.monotonic() - t1
    holder.close()
    d = delivery.stats()
    print(f"done: {done:,} requests in {took:.1f}s ({done / took:,.0f}/s); server stopped in {stopped:.1f}s with "
          f"the consumer down: delivery accepted {d['accepted']:,}, delivered {d['delivered']}, failed (kept) "
          f"{d['failed']:,}, dropped {d['dropped']:,}; RSS {rss_mb():.1f} MB", flush=True)
    found = []
    while not errors.empty():
        found.append(errors.get())
    if found:
        print("errors:\n  " + "\n  ".join(found[:10]), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
