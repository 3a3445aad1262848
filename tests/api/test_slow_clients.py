"""Slow clients (issue 13, item 11): a connection that trickles its request head or body is not
held forever (mockcanvas.limits).

Raw sockets against the threaded server (and one against ``mockcanvas serve``) with tiny
timeouts: ``Settings.header_timeout`` (aiohttp's keepalive_timeout: the head of each request must
be in within that long of opening the connection or of its last answer) and
``Settings.body_timeout`` (a 408 with a JSON body once the body is that late).
"""

from __future__ import annotations

import json
import socket
import sys
import time
from pathlib import Path

import pytest

from mockcanvas.seed import load_world
from mockcanvas.server import CanvasServer
from mockcanvas.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugin"))
from cli_helpers import start_cli, stop  # noqa: E402

TIMEOUT = 0.5


@pytest.fixture
def server():
    settings = Settings(header_timeout=TIMEOUT, body_timeout=TIMEOUT)
    s = CanvasServer(load_world(settings=settings), settings=settings).start()
    yield s
    s.stop()


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.settimeout(0.1)
    return sock


def closed_within(sock: socket.socket, seconds: float, trickle: bytes = b"") -> tuple[bool, bytes]:
    """Send ``trickle`` a byte at a time (every 0.1 s) until the server closes the connection or
    ``seconds`` pass; (closed, what the server sent)."""
    got = b""
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        try:
            if i < len(trickle):
                sock.sendall(trickle[i:i + 1])
                i += 1
            chunk = sock.recv(65536)
            if not chunk:
                return True, got
            got += chunk
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True, got
    return False, got


def test_a_client_trickling_its_request_head_is_disconnected(server):
    sock = connect(server.port)
    try:
        t0 = time.monotonic()
        head = b"GET /api/v1/groups/1 HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 200
        closed, got = closed_within(sock, 8.0, head)
        assert closed and got == b"", got
        assert TIMEOUT * 0.8 < time.monotonic() - t0 < TIMEOUT + 3.0
    finally:
        sock.close()


def test_an_idle_connection_is_closed(server):
    sock = connect(server.port)
    try:
        t0 = time.monotonic()
        closed, got = closed_within(sock, 8.0)
        assert closed and got == b""
        assert time.monotonic() - t0 < TIMEOUT + 3.0
    finally:
        sock.close()


def test_a_client_trickling_its_body_gets_a_408(server):
    sock = connect(server.port)
    try:
        sock.sendall(b"PUT /api/v1/groups/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer teacher-token\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nname=Sl")
        t0 = time.monotonic()
        closed, got = closed_within(sock, 8.0, b"ooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo")
        assert time.monotonic() - t0 < TIMEOUT + 3.0
        head, _, body = got.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 408 "), got
        assert json.loads(body) == {"errors": [{"message": "Request Timeout"}]}
        assert closed
    finally:
        sock.close()
    # nothing changed, and the journal says what happened
    assert server.store.get("groups", 1).name == "Project Group 1"
    assert [(e["method"], e["status"]) for e in server.requests.all()] == [("PUT", 408)]
    assert server.problems == []


def read_response(sock: socket.socket) -> bytes:
    """One HTTP response with a Content-Length: its head and body."""
    got = b""
    while b"\r\n\r\n" not in got:
        got += sock.recv(65536)
    head, _, body = got.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def test_prompt_clients_are_served_and_kept_alive(server):
    sock = connect(server.port)
    sock.settimeout(5)
    try:
        for n in range(3):
            body = b"name=Quick%d" % n
            sock.sendall(b"PUT /api/v1/groups/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer teacher-token\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            got = read_response(sock)
            assert got.startswith(b"HTTP/1.1 200 "), got[:200]
            assert json.loads(got.partition(b"\r\n\r\n")[2])["name"] == f"Quick{n}"
            time.sleep(TIMEOUT / 3)  # well within the timeout: the same connection serves the next
    finally:
        sock.close()


def test_cli_header_timeout():
    proc, url, _ = start_cli("--port", "0", "--header-timeout", "0.5", "--body-timeout", "0.5")
    try:
        port = int(url.rsplit(":", 1)[1])
        sock = connect(port)
        try:
            t0 = time.monotonic()
            closed, got = closed_within(sock, 8.0, b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100)
            assert closed and got == b"" and time.monotonic() - t0 < 4.0
        finally:
            sock.close()
    finally:
        code, err = stop(proc)
    assert code == 0, err
