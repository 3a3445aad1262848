"""Live-event delivery semantics (issue 13, items 6 and 7): at least once, with an id to
de-duplicate on, failed events kept for a retry, a bounded queue, and a shutdown that never hangs.

mockcanvas.delivery: each POST carries ``X-Mockcanvas-Event-Id`` (the event's id, the same for
every attempt); an event is counted once, as pending, delivered, failed (kept for
``POST /__mockcanvas__/live_events/delivery/retry``) or dropped, so ``accepted == pending +
delivered + failed + dropped``; a consumer that answers after the timeout gets the event again and
it counts as failed, never as delivered. The consumer here is an ``http.server`` on 127.0.0.1 that
can be stopped and started again on the same port (a consumer that is down refuses connections).
"""

from __future__ import annotations

import json
import logging
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from mockcanvas.delivery import EVENT_ID_HEADER, Delivery
from mockcanvas.events import LiveEvents
from mockcanvas.seed import load_world
from mockcanvas.server import CanvasServer
from mockcanvas.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugin"))
from cli_helpers import TIMEOUT, start_cli, stop  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
TEACHER = {"Authorization": "Bearer teacher-token"}


class Consumer:
    """Records (event id header, body) of every POST; answers ``status`` after ``delay`` seconds.
    ``down()`` stops listening (connections are refused); ``up()`` listens again on the same port."""

    def __init__(self) -> None:
        self.delay = 0.0
        self.status = 204
        self.got: list[tuple[str | None, Any]] = []
        self._lock = threading.Lock()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self._httpd: ThreadingHTTPServer | None = None
        self.up()

    def up(self) -> None:
        consumer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                with consumer._lock:
                    consumer.got.append((self.headers.get(EVENT_ID_HEADER), body))
                time.sleep(consumer.delay)
                try:
                    self.send_response(consumer.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the mock gave up waiting and closed the connection
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def down(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/events"

    def ids(self) -> list[str | None]:
        with self._lock:
            return [i for i, _ in self.got]


@pytest.fixture
def consumer():
    c = Consumer()
    yield c
    c.down()


@pytest.fixture
def serve(consumer):
    """``serve(**settings)``: a default world delivering to the consumer (stopped after the test)."""
    servers: list[CanvasServer] = []

    def start(**kw: Any) -> CanvasServer:
        settings = Settings(live_events_url=consumer.url, **kw)
        server = CanvasServer(load_world(settings=settings), settings=settings).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def rename(server: CanvasServer, *names: str) -> None:
    with requests.Session() as s:
        for name in names:
            r = s.put(f"{server.url}/api/v1/groups/1", data={"name": name}, headers=TEACHER, timeout=TIMEOUT)
            assert r.status_code == 200, r.text


def stats(server: CanvasServer) -> dict[str, Any]:
    r = requests.get(server.url + "/__mockcanvas__/live_events/delivery", timeout=TIMEOUT)
    assert r.status_code == 200
    s = r.json()
    assert s["accepted"] == s["pending"] + s["delivered"] + s["failed"] + s["dropped"], s
    return s


def retry(server: CanvasServer) -> dict[str, Any]:
    r = requests.post(server.url + "/__mockcanvas__/live_events/delivery/retry", timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()


# -- at least once, with an id ---------------------------------------------------------------------

def test_every_post_carries_the_events_id(consumer, serve):
    consumer.status = 500  # the first event fails (and is retried) while the consumer answers 500
    server = serve()
    rename(server, "One")
    time.sleep(0.15)
    consumer.status = 204
    rename(server, "Two")
    assert server.delivery.flush(TIMEOUT)
    events = server.live_events.all()
    assert len({e.id for e in events}) == 2 and all(e.id.endswith(f"-{e.position}") for e in events)
    ids = consumer.ids()
    assert set(ids) == {e.id for e in events}
    assert ids[-1] == events[1].id
    assert [json.dumps(b, sort_keys=True) for i, b in consumer.got if i == events[0].id] == \
        [json.dumps(events[0].to_dict(), sort_keys=True)] * ids.count(events[0].id)
    # the id is not in the metadata (Canvas's keys only)
    assert "id" not in events[0].metadata and "event_id" not in events[0].metadata


def test_a_late_consumer_gets_the_event_again_and_it_counts_as_failed_until_retried(consumer, serve):
    consumer.delay = 0.6
    server = serve(live_events_timeout=0.2)
    rename(server, "Late")
    assert server.delivery.flush(TIMEOUT)
    (event,) = server.live_events.all()
    s = stats(server)
    assert (s["delivered"], s["failed"], s["pending"], s["timeouts"], s["retries"]) == (0, 1, 0, 3, 2)
    assert s["timeout"] == 0.2 and "within 0.2s" in s["last_error"]
    deadline = time.monotonic() + TIMEOUT
    while len(consumer.got) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert consumer.ids() == [event.id] * 3  # received three times: one event for a de-duplicating consumer
    # redelivered on demand, now that the consumer answers in time
    consumer.delay = 0.0
    answer = retry(server)
    assert answer["retried"] == 1
    assert server.delivery.flush(TIMEOUT)
    s = stats(server)
    assert (s["delivered"], s["failed"], s["pending"], s["dropped"], s["accepted"]) == (1, 0, 0, 0, 1)
    assert consumer.ids() == [event.id] * 4 and len(set(consumer.ids())) == 1


def test_events_missed_while_the_consumer_was_down_are_delivered_by_a_retry(consumer, serve):
    server = serve()
    consumer.down()
    rename(server, "Down 1", "Down 2", "Down 3")
    assert server.delivery.flush(TIMEOUT)
    assert (stats(server)["failed"], stats(server)["delivered"]) == (3, 0)
    consumer.up()
    rename(server, "Back")
    assert server.delivery.flush(TIMEOUT)
    assert retry(server)["retried"] == 3
    assert retry(server)["retried"] == 0  # nothing failed any more (or still queued)
    assert server.delivery.flush(TIMEOUT)
    s = stats(server)
    assert (s["delivered"], s["failed"], s["dropped"], s["accepted"]) == (4, 0, 0, 4)
    names = [b["body"]["group_name"] for _, b in consumer.got]
    assert names == ["Back", "Down 1", "Down 2", "Down 3"]  # the retried ones, oldest first
    assert sorted(consumer.ids()) == sorted(e.id for e in server.live_events.all())


def test_retry_without_delivery_retries_nothing(canvas_server):
    answer = retry(canvas_server)
    assert (answer["retried"], answer["url"], answer["failed"]) == (0, None, 0)


# -- bounds: the queue, the failed list, shutdown ------------------------------------------------------

def test_the_queue_drops_its_oldest_events_when_full(consumer):
    consumer.delay = 0.3  # the first event is in flight while the others queue
    events = LiveEvents()
    delivery = Delivery(consumer.url, queue_max=3, drain_timeout=0.0).start()
    delivery.attach(events)
    try:
        recorded = [events.record({"event_name": "group_updated"}, {"n": n}) for n in range(10)]
        s = delivery.stats()
        assert s["pending"] <= 4 and s["dropped"] >= 6, s
        assert s["accepted"] == 10 == s["pending"] + s["delivered"] + s["failed"] + s["dropped"]
        consumer.delay = 0.0
        assert delivery.flush(TIMEOUT)
        got = [b["body"]["n"] for _, b in consumer.got]
        assert got[-3:] == [7, 8, 9]  # the newest were kept
        assert delivery.stats()["dropped"] == 10 - len(got)
        assert set(consumer.ids()) == {e.id for e in recorded if e.body["n"] in got}
    finally:
        delivery.stop()


def test_the_failed_list_drops_its_oldest(consumer):
    consumer.down()
    events = LiveEvents()
    delivery = Delivery(consumer.url, failed_max=2, attempts=1).start()
    delivery.attach(events)
    try:
        for n in range(5):
            events.record({"event_name": "group_updated"}, {"n": n})
        assert delivery.flush(TIMEOUT)
        assert [e.body["n"] for e in delivery.failed_events()] == [3, 4]
        s = delivery.stats()
        assert (s["failed"], s["dropped"], s["accepted"]) == (2, 3, 5)
    finally:
        delivery.stop()


def test_shutdown_with_a_backlog_is_bounded_and_says_what_it_dropped(consumer, serve, caplog):
    consumer.delay = 0.5
    server = serve(live_events_drain_timeout=0.3, live_events_timeout=2.0)
    rename(server, *[f"Backlog {n}" for n in range(40)])
    delivery = server.delivery
    t0 = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="mockcanvas"):
        server.stop()
    took = time.monotonic() - t0
    assert took < 6.0, took  # not 40 x 0.5 s
    s = delivery.stats()
    assert s["pending"] == 0 and s["dropped"] >= 30 and s["accepted"] == 40, s
    assert s["accepted"] == s["delivered"] + s["failed"] + s["dropped"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(f"stopped with {s['dropped']} event(s) undelivered" in w for w in warnings), warnings


# -- the CLI ---------------------------------------------------------------------------------------

def test_cli_sets_the_delivery_timeout_and_queue(consumer):
    proc, url, _ = start_cli("--port", "0", "--live-events-url", consumer.url, "--live-events-timeout", "0.25",
                             "--live-events-queue-max", "7")
    try:
        s = requests.get(url + "/__mockcanvas__/live_events/delivery", timeout=TIMEOUT).json()
        assert (s["timeout"], s["queue_max"], s["attempts"]) == (0.25, 7, 3)
    finally:
        code, err = stop(proc)
    assert code == 0, err


@pytest.mark.parametrize("flag,value", [("--live-events-timeout", "0"), ("--live-events-timeout", "nan"),
                                        ("--live-events-queue-max", "0"), ("--header-timeout", "-1")])
def test_cli_refuses_bad_bounds(flag, value):
    import subprocess

    from cli_helpers import ROOT, env

    proc = subprocess.run([sys.executable, "-m", "mockcanvas", "serve", "--port", "0", flag, value],
                          check=False, cwd=ROOT, env=env(), capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 2 and flag in proc.stderr, proc.stderr
