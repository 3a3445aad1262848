"""Live events: what Canvas would publish, recorded so that tests can read, wait for and assert on it.

Canvas posts an event after each create or update of a group category, group or group membership
(``lib/canvas/live_events_callbacks.rb``, bodies in ``lib/canvas/live_events.rb``) as
``{"metadata": {...}, "body": {...}}``. The store decides *when* an event fires and builds it
(``store/live.py``); this module only keeps them: :class:`LiveEvents` is an ordered, thread-safe log
with filters, a blocking ``wait_for`` and an assertion helper, and listeners (delivery to a consumer).

Who caused a change is a :class:`RequestSource` (set by the app's middleware for each API request)
or a :class:`JobSource` (set while a Progress job runs), held in a context variable so that the
store, which knows nothing of HTTP, can fill the metadata.

Each event has an ``id`` unique across logs and processes (``<16 hex digits of the log>-<position>``),
which delivery sends as ``X-Mockcanvas-Event-Id`` so that a consumer can de-duplicate (delivery is
at least once, see ``mockcanvas.delivery``). It is not in the metadata: Canvas's metadata has no
such key (``request_id`` is shared by every event of one request). ``access_token`` values in the
metadata's ``url`` and ``referrer`` are recorded as ``[FILTERED]``: the log is read over the
unauthenticated control plane and posted to consumers.
"""

from __future__ import annotations

import contextvars
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .journal import mask_access_token

__all__ = ["SOURCE", "JobSource", "LiveEvent", "LiveEvents", "RequestSource", "current_source",
           "using_source"]


@dataclass(slots=True)
class RequestSource:
    """The HTTP request behind a change (``ApplicationController#setup_live_events_context``)."""

    http_method: str
    url: str
    hostname: str
    request_id: str
    user_agent: str | None = None
    referrer: str | None = None
    client_ip: str | None = None
    session_id: str | None = None
    user_id: int | None = None
    real_user_id: int | None = None
    # the request's context as (table, path id), e.g. ("courses", "1"); resolved by the store
    context: tuple[str, str] | None = None
    cache: dict[str, Any] | None = field(default=None, repr=False)


@dataclass(slots=True)
class JobSource:
    """A background job (Delayed::Worker sets ``job.live_events_context``: job id and tag)."""

    job_id: int
    job_tag: str
    root_account_id: int | None = None


Source = RequestSource | JobSource | Callable[[], RequestSource] | None
# the source of the change being made; ``using_source`` sets it for a block, and the request
# middleware sets and resets it directly (a generator-based context manager per request costs more)
SOURCE: contextvars.ContextVar[Source] = contextvars.ContextVar("mockcanvas_live_event_source", default=None)


def current_source() -> RequestSource | JobSource | None:
    """The source of the change being made; a callable (a read request, which seldom writes) is
    asked for its :class:`RequestSource` only when an event needs it."""
    source = SOURCE.get()
    return source() if callable(source) else source


@contextmanager
def using_source(source: Source) -> Iterator[None]:
    token = SOURCE.set(source)
    try:
        yield
    finally:
        SOURCE.reset(token)


@dataclass(frozen=True, slots=True)
class LiveEvent:
    """One recorded event. ``position`` counts every event recorded by the store, from 1."""

    position: int
    metadata: dict[str, Any]
    body: dict[str, Any]
    id: str = field(default="", compare=False)  # unique across logs and processes; "" if made by hand

    @property
    def name(self) -> str:
        return self.metadata["event_name"]

    def to_dict(self) -> dict[str, Any]:
        """The event as Canvas posts it."""
        return {"metadata": self.metadata, "body": self.body}

    def matches(self, name: str | None = None, **body: Any) -> bool:
        """Same name (when given) and each given body field equal. An int matches its string form,
        so ``group_id=5`` matches ``"5"`` (ids in events are strings, as in Canvas)."""
        if name is not None and self.name != name:
            return False
        for key, want in body.items():
            if key not in self.body:
                return False
            got = self.body[key]
            if got != want and not (isinstance(want, int) and not isinstance(want, bool)
                                    and got == str(want)):
                return False
        return True

    def __str__(self) -> str:
        return f"#{self.position} {self.name} {json.dumps(self.body, sort_keys=True)}"


Listener = Callable[[LiveEvent], None]
_MASKED = ("url", "referrer")  # metadata that may carry a query string


class LiveEvents:
    """The ordered log of live events of one store.

    Thread-safe: the server's thread appends while a test's thread reads or waits. ``clear`` (and
    the store's rollback) empties the log; positions keep counting, so a reader that remembers the
    last position it saw (``since``) never reads an event twice. The log keeps the last ``limit``
    events (10,000 by default), so a long-running server does not grow without bound (``dropped``
    counts the events it let go); listeners (delivery) see every event.
    """

    DEFAULT_LIMIT = 10_000

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self._cond = threading.Condition()
        self._events: deque[LiveEvent] = deque(maxlen=limit)
        self._position = 0
        self._listeners: list[Listener] = []
        self.stream = os.urandom(8).hex()  # the first part of each event's id
        self.dropped = 0  # events let go because the log was full

    @property
    def limit(self) -> int:
        return self._events.maxlen  # type: ignore[return-value]

    @limit.setter
    def limit(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"the live-event limit must be a positive integer, not {value!r}")
        with self._cond:
            kept = deque(self._events, maxlen=value)
            self.dropped += len(self._events) - len(kept)
            self._events = kept

    # -- writing (the store) ------------------------------------------------------------------
    def record(self, metadata: dict[str, Any], body: dict[str, Any]) -> LiveEvent:
        for key in _MASKED:
            value = metadata.get(key)
            if value and "access_token=" in value:
                metadata = {**metadata, key: mask_access_token(value)}
        with self._cond:
            self._position += 1
            event = LiveEvent(self._position, metadata, body, f"{self.stream}-{self._position}")
            if len(self._events) == self._events.maxlen:
                self.dropped += 1
            self._events.append(event)
            listeners = list(self._listeners)
            self._cond.notify_all()
        for listener in listeners:
            listener(event)
        return event

    def add_listener(self, listener: Listener) -> None:
        with self._cond:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self._cond:
            if listener in self._listeners:
                self._listeners.remove(listener)

    # -- reading ------------------------------------------------------------------------------
    @property
    def position(self) -> int:
        """The position of the last event recorded (0 before any)."""
        return self._position

    def all(self) -> list[LiveEvent]:
        with self._cond:
            return list(self._events)

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[LiveEvent]:
        return iter(self.all())

    def named(self, *names: str) -> list[LiveEvent]:
        return [e for e in self.all() if e.name in names]

    def since(self, position: int) -> list[LiveEvent]:
        """Events recorded after ``position`` (what is new since a reader last looked)."""
        with self._cond:
            # positions are consecutive within the log, so the first new one is found by arithmetic
            if not self._events:
                return []
            start = max(0, position - self._events[0].position + 1)
            return list(islice(self._events, start, None))

    def matching(self, name: str | None = None, **body: Any) -> list[LiveEvent]:
        return [e for e in self.all() if e.matches(name, **body)]

    def bodies(self, name: str | None = None) -> list[dict[str, Any]]:
        return [e.body for e in self.all() if name is None or e.name == name]

    def names(self) -> list[str]:
        return [e.name for e in self.all()]

    def clear(self) -> int:
        """Forget every event (and the count of those dropped); returns how many there were."""
        with self._cond:
            n = len(self._events)
            self._events.clear()
            self.dropped = 0
            return n

    # -- waiting and asserting -------------------------------------------------------------------
    def wait_for(self, name: str | None = None, timeout: float = 5.0, *, after: int = 0,
                 count: int = 1, **body: Any) -> LiveEvent:
        """Block until ``count`` events match (recorded after position ``after``); return the last
        of them. Raises ``AssertionError`` listing what was recorded if the timeout passes first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [e for e in self._events if e.position > after and e.matches(name, **body)]
                if len(found) >= count:
                    return found[count - 1]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(self._explain(
                        f"no {_describe(name, body)} within {timeout:g}s"
                        + (f" ({len(found)} of {count} seen)" if count > 1 else ""), self._events))
                self._cond.wait(left)

    def assert_emitted(self, name: str | None = None, *, count: int | None = None,
                       **body: Any) -> list[LiveEvent]:
        """Assert that events matching ``name`` and ``body`` were recorded (exactly ``count`` of
        them when given); return them. The failure message lists what was recorded instead."""
        events = self.all()
        found = [e for e in events if e.matches(name, **body)]
        if (count is None and not found) or (count is not None and len(found) != count):
            want = "any" if count is None else str(count)
            raise AssertionError(self._explain(
                f"expected {want} {_describe(name, body)}, found {len(found)}", events))
        return found

    def assert_not_emitted(self, name: str | None = None, **body: Any) -> None:
        self.assert_emitted(name, count=0, **body)

    def assert_names(self, expected: Iterable[str]) -> None:
        """Assert the exact sequence of event names recorded."""
        expected = list(expected)
        events = self.all()
        if [e.name for e in events] != expected:
            raise AssertionError(self._explain(f"expected events {expected}", events))

    @staticmethod
    def _explain(headline: str, events: Iterable[LiveEvent]) -> str:
        events = list(events)
        if not events:
            return f"{headline}; no live events were recorded"
        lines = [f"{headline}; recorded {len(events)} live event(s):"]
        lines.extend(f"  {e}" for e in events)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<LiveEvents {len(self._events)} recorded, position {self._position}>"


def _describe(name: str | None, body: dict[str, Any]) -> str:
    what = name or "live event"
    if body:
        what += " with " + ", ".join(f"{k}={v!r}" for k, v in body.items())
    return what
