"""Delivery of live events to a real consumer over HTTP (``Settings.live_events_url``).

The consumer is a small ``http.server`` on 127.0.0.1 (port 0) in a thread: it records each JSON
body it is sent, and can answer 500 the first N times (or always) or sleep before answering. A
consumer that is down is a port bound by a socket that does not listen (connections are refused,
and no other process can take the port meanwhile). Every server and consumer started here is
stopped by a fixture. Timing assertions are only "the API does not wait for the consumer" checks,
with wide margins.
"""

from __future__ import annotations

import json
import logging
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from mockcanvas import load_world
from mockcanvas.server import CanvasServer
from mockcanvas.settings import Settings

# the helpers that start ``mockcanvas serve`` as a subprocess live beside the CLI tests
_PLUGIN_TESTS = str(Path(__file__).resolve().parents[1] / "plugin")
if _PLUGIN_TESTS not in sys.path:
    sys.path.insert(0, _PLUGIN_TESTS)
from cli_helpers import ROOT, TIMEOUT, env, start_cli, stop

# an exception on the delivery thread must fail the test that caused it
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")

TEACHER = {"Authorization": "Bearer teacher-token"}
EVENTS_PATH = "/events"


# -- the consumer -------------------------------------------------------------------------------


@dataclass
class Received:
    """One request the consumer answered."""

    path: str
    content_type: str | None
    body: Any  # the decoded JSON (None when the body was not JSON)
    status: int


class Consumer:
    """A live events consumer on ``127.0.0.1``: records every request, answers 204, or 500 for the
    first ``fail_first`` requests (all of them with ``always_fail``), after sleeping ``delay``."""

    def __init__(self, *, fail_first: int = 0, always_fail: bool = False, delay: float = 0.0) -> None:
        self.fail_first = fail_first
        self.always_fail = always_fail
        self.delay = delay
        self.requests: list[Received] = []
        self._cond = threading.Condition()
        consumer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if consumer.delay:
                    time.sleep(consumer.delay)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                with consumer._cond:
                    n = len(consumer.requests) + 1
                    status = 500 if consumer.always_fail or n <= consumer.fail_first else 204
                    consumer.requests.append(Received(self.path, self.headers.get("Content-Type"),
                                                      body, status))
                    consumer._cond.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # quiet test output
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="live-events-consumer", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{EVENTS_PATH}"

    @property
    def received(self) -> list[Any]:
        """The bodies the consumer accepted (2xx), in arrival order."""
        with self._cond:
            return [r.body for r in self.requests if 200 <= r.status < 300]

    def wait_for(self, n: int, timeout: float = TIMEOUT) -> list[Any]:
        """Block (bounded) until ``n`` bodies were accepted; returns them."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len([r for r in self.requests if 200 <= r.status < 300]) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"consumer got {len(self.requests)} request(s), wanted {n} accepted")
                self._cond.wait(left)
        return self.received

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(TIMEOUT)


@pytest.fixture
def make_consumer() -> Iterator[Callable[..., Consumer]]:
    made: list[Consumer] = []

    def make(**kw: Any) -> Consumer:
        consumer = Consumer(**kw)
        made.append(consumer)
        return consumer

    try:
        yield make
    finally:
        for consumer in made:
            consumer.close()


@pytest.fixture
def start_server(make_consumer) -> Iterator[Callable[[str | None], CanvasServer]]:
    """``start_server(url)``: a fresh default world served with delivery to ``url``. Depends on
    ``make_consumer`` so that servers stop before the consumers they deliver to."""
    servers: list[CanvasServer] = []

    def start(url: str | None) -> CanvasServer:
        settings = Settings(live_events_url=url)
        server = CanvasServer(load_world(settings=settings), settings=settings)
        servers.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A URL on a port where nothing listens (held by a bound, non-listening socket)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}{EVENTS_PATH}"
    finally:
        sock.close()


def delivery_stats(server: CanvasServer) -> dict[str, Any]:
    r = requests.get(server.url + "/__mockcanvas__/live_events/delivery", timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()


def recorded(server: CanvasServer) -> list[dict[str, Any]]:
    """The recorded events as Canvas posts them, JSON round-tripped."""
    return [json.loads(json.dumps(e.to_dict())) for e in server.live_events.all()]


def rename_group(server: CanvasServer, session: requests.Session, group_id: int, name: str) -> requests.Response:
    r = session.put(f"{server.url}/api/v1/groups/{group_id}", data={"name": name}, headers=TEACHER,
                    timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    assert r.json()["name"] == name
    return r


# -- delivery -----------------------------------------------------------------------------------


def test_consumer_receives_exactly_the_recorded_events_in_order(make_consumer, start_server) -> None:
    consumer = make_consumer()
    server = start_server(consumer.url)
    assert server.delivery is not None and server.delivery.url == consumer.url
    with requests.Session() as s:
        r = s.post(server.url + "/api/v1/courses/1/group_categories", data={"name": "Delivered Set"},
                   headers=TEACHER, timeout=TIMEOUT)
        assert r.status_code == 200, r.text
        cat = r.json()["id"]
        groups = []
        for name in ("Red", "Blue"):
            r = s.post(f"{server.url}/api/v1/group_categories/{cat}/groups", data={"name": name},
                       headers=TEACHER, timeout=TIMEOUT)
            assert r.status_code == 200, r.text
            groups.append(r.json()["id"])
        for user_id, group_id in ((15, groups[0]), (16, groups[0]), (17, groups[1])):
            r = s.post(f"{server.url}/api/v1/groups/{group_id}/memberships", data={"user_id": str(user_id)},
                       headers=TEACHER, timeout=TIMEOUT)
            assert r.status_code == 200, r.text
        # a move within the new category: a new membership and the old one deleted
        r = s.post(f"{server.url}/api/v1/groups/{groups[1]}/memberships", data={"user_id": "15"},
                   headers=TEACHER, timeout=TIMEOUT)
        assert r.status_code == 200, r.text

    assert server.delivery.flush(TIMEOUT)
    events = recorded(server)
    names = [e["metadata"]["event_name"] for e in events]
    assert names[:3] == ["group_category_created", "group_created", "group_created"]
    assert names.count("group_membership_created") == 4
    assert names.count("group_membership_updated") >= 1
    assert consumer.received == events
    assert [(r.path, r.content_type, r.status) for r in consumer.requests] == [
        (EVENTS_PATH, "application/json", 204)] * len(events)
    assert events[1]["body"]["group_id"] == str(groups[0])
    assert consumer.received[-1]["metadata"]["url"] == f"{server.url}/api/v1/groups/{groups[1]}/memberships"
    stats = delivery_stats(server)
    assert stats == {"url": consumer.url, "delivered": len(events), "failed": 0, "pending": 0,
                     "retries": 0, "last_error": None, "dropped": 0, "timeouts": 0, "accepted": len(events),
                     "timeout": 5.0, "attempts": 3, "queue_max": 10_000, "failed_max": 10_000}
    assert server.problems == []


def test_without_a_url_nothing_is_delivered(canvas_server) -> None:
    assert canvas_server.delivery is None
    assert delivery_stats(canvas_server) == {"url": None, "delivered": 0, "failed": 0, "pending": 0,
                                             "retries": 0, "last_error": None, "dropped": 0, "timeouts": 0,
                                             "accepted": 0, "timeout": 5.0, "attempts": 3,
                                             "queue_max": 10_000, "failed_max": 10_000}


def test_failed_attempts_are_retried(make_consumer, start_server) -> None:
    consumer = make_consumer(fail_first=2)
    server = start_server(consumer.url)
    with requests.Session() as s:
        rename_group(server, s, 1, "Retried")
    assert server.delivery.flush(TIMEOUT)
    (event,) = recorded(server)
    assert event["metadata"]["event_name"] == "group_updated"
    assert [r.status for r in consumer.requests] == [500, 500, 204]
    assert [r.body for r in consumer.requests] == [event] * 3  # the same event each time
    assert consumer.received == [event]
    stats = delivery_stats(server)
    assert (stats["delivered"], stats["failed"], stats["pending"], stats["retries"]) == (1, 0, 0, 2)
    assert stats["last_error"] is None


def test_a_consumer_that_always_fails(make_consumer, start_server) -> None:
    consumer = make_consumer(always_fail=True)
    server = start_server(consumer.url)
    with requests.Session() as s:
        rename_group(server, s, 1, "Never Delivered")
        r = s.post(server.url + "/api/v1/group_categories/1/groups", data={"name": "Still Created"},
                   headers=TEACHER, timeout=TIMEOUT)
        assert r.status_code == 200, r.text
        assert r.json()["name"] == "Still Created"
        r = s.get(f"{server.url}/api/v1/groups/{r.json()['id']}", headers=TEACHER, timeout=TIMEOUT)
        assert (r.status_code, r.json()["name"]) == (200, "Still Created")
    assert server.delivery.flush(TIMEOUT)
    events = recorded(server)
    assert [e["metadata"]["event_name"] for e in events] == ["group_updated", "group_created"]
    attempts = server.delivery.attempts
    # every attempt of the first event, then every attempt of the second: in order, never mixed
    assert [r.body for r in consumer.requests] == [events[0]] * attempts + [events[1]] * attempts
    assert consumer.received == []
    stats = delivery_stats(server)
    assert (stats["delivered"], stats["failed"], stats["pending"]) == (0, 2, 0)
    assert stats["retries"] == 2 * (attempts - 1)
    assert "500" in stats["last_error"] and consumer.url in stats["last_error"]
    assert server.problems == []


def test_a_consumer_that_is_down_never_slows_or_breaks_the_api(
        start_server, refused_url, canvas_server, caplog: pytest.LogCaptureFixture) -> None:
    def changes(server: CanvasServer) -> tuple[list[float], list[Any]]:
        took, bodies = [], []
        with requests.Session() as s:
            for i in range(3):
                t0 = time.monotonic()
                r = s.post(server.url + "/api/v1/group_categories/1/groups", data={"name": f"Down {i}"},
                           headers=TEACHER, timeout=TIMEOUT)
                took.append(time.monotonic() - t0)
                assert r.status_code == 200, r.text
                bodies.append({k: r.json()[k] for k in ("id", "name", "group_category_id", "members_count")})
        return took, bodies

    baseline, expected = changes(canvas_server)  # the same world, no delivery
    server = start_server(refused_url)
    took, bodies = changes(server)
    assert bodies == expected
    assert max(took) < 1.0, took
    assert sum(took) < 5 * sum(baseline) + 2.0, (took, baseline)  # loose: no delivery in the way

    assert server.delivery.flush(TIMEOUT)
    stats = delivery_stats(server)
    assert (stats["delivered"], stats["failed"], stats["pending"]) == (0, 3, 0)
    assert stats["last_error"]
    # the failed count grows with each further event
    with requests.Session() as s:
        rename_group(server, s, 2, "Still Down")
    assert server.delivery.flush(TIMEOUT)
    assert delivery_stats(server)["failed"] == 4
    assert len(server.live_events) == 4  # recorded all the same
    assert server.problems == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_slow_consumer_does_not_slow_the_api(make_consumer, start_server) -> None:
    delay = 0.5
    consumer = make_consumer(delay=delay)
    server = start_server(consumer.url)
    names = [f"Slow {i}" for i in range(10)]
    with requests.Session() as s:
        # open the connection before the clock starts (a read: no event)
        assert s.get(server.url + "/api/v1/groups/1", headers=TEACHER, timeout=TIMEOUT).status_code == 200
        t0 = time.monotonic()
        for name in names:
            rename_group(server, s, 1, name)
        took = time.monotonic() - t0
    assert took < 2.5, took  # 10 events x 0.5 s at the consumer: the API did not wait for them
    # and so at most 2.5 / 0.5 of them can have been delivered yet
    assert server.delivery.pending > 0

    assert server.delivery.flush(TIMEOUT)
    events = recorded(server)
    assert [e["body"]["group_name"] for e in events] == names
    assert consumer.received == events
    stats = delivery_stats(server)
    assert (stats["delivered"], stats["failed"], stats["pending"]) == (10, 0, 0)


# -- the CLI ------------------------------------------------------------------------------------


def test_cli_delivers_events_to_the_url(make_consumer) -> None:
    consumer = make_consumer()
    proc, url, _ = start_cli("--port", "0", "--live-events-url", consumer.url)
    try:
        r = requests.post(url + "/api/v1/group_categories/1/groups", data={"name": "From The CLI"},
                          headers=TEACHER, timeout=TIMEOUT)
        assert r.status_code == 200, r.text
        (event,) = consumer.wait_for(1)
        assert event["metadata"]["event_name"] == "group_created"
        assert event["metadata"]["http_method"] == "POST"
        assert event["metadata"]["url"] == url + "/api/v1/group_categories/1/groups"
        assert event["body"]["group_name"] == "From The CLI"
        assert event["body"]["group_id"] == str(r.json()["id"])
        # the same event as the control plane lists
        listed = requests.get(url + "/__mockcanvas__/live_events", timeout=TIMEOUT).json()["events"]
        assert listed == [event]
        deadline = time.monotonic() + TIMEOUT
        while True:  # the consumer saw it; the counters follow once its answer is read
            stats = requests.get(url + "/__mockcanvas__/live_events/delivery", timeout=TIMEOUT).json()
            if stats["pending"] == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        assert (stats["url"], stats["delivered"], stats["failed"], stats["pending"]) == (consumer.url, 1, 0, 0)
    finally:
        code, err = stop(proc, signal.SIGTERM)
    assert code == 0, err
    assert [r.content_type for r in consumer.requests] == ["application/json"]


def test_cli_rejects_a_url_that_is_not_http() -> None:
    proc = subprocess.run([sys.executable, "-m", "mockcanvas", "serve", "--port", "0",
                           "--live-events-url", "ftp://x"],
                          check=False, cwd=ROOT, env=env(), capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "--live-events-url" in proc.stderr and "ftp://x" in proc.stderr
    assert "listening" not in proc.stdout
