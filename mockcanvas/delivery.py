"""Delivery of live events to a consumer over HTTP: each event POSTed as JSON, in order.

Canvas publishes to a stream (Kinesis or SQS) and, through Live Events subscriptions, to HTTPS
endpoints; the mock POSTs ``{"metadata": ..., "body": ...}`` to one URL. Delivery runs on its own
thread and event loop: recording an event only puts it on a queue, so a consumer that is down or
slow never slows or breaks the API call that caused the event.

Semantics (at least once):

* each event is tried up to ``attempts`` times; a 2xx answer within ``timeout`` seconds delivers
  it; a refused connection, another status or no answer within the timeout is retried after a
  short backoff. Every POST of one event carries the same ``X-Mockcanvas-Event-Id`` header (the
  event's ``id``): a consumer that answers after the timeout, or whose 2xx is lost, receives the
  event again and de-duplicates on that id;
* an event is counted once, in exactly one state: ``pending`` (queued or being sent),
  ``delivered`` (a 2xx was read), ``failed`` (every attempt failed; kept, in order, for
  ``POST /__mockcanvas__/live_events/delivery/retry``, which queues them again) or ``dropped``
  (let go: the oldest of a full queue, the oldest of a full failed list, or what was still queued
  when the server stopped). So ``accepted == pending + delivered + failed + dropped`` at all times;
  ``timeouts`` counts the attempts that timed out (the consumer may have received those: a
  late answer is a failed attempt, never a delivery), ``retries`` the attempts after the first;
* the queue holds at most ``queue_max`` events and the failed list ``failed_max``; shutdown waits
  ``drain_timeout`` seconds for the queue, then drops what is left, cancels the POST in flight and
  logs how many events were dropped.

Canvas's own worker (gems/live_events/lib/live_events/async_worker.rb) refuses a new event when
its queue is full (``LiveEvents.max_queue_size``); the mock drops the oldest instead, so that the
events a test is waiting for, the newest, are the ones kept.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Any

import aiohttp

from .events import LiveEvent, LiveEvents

if TYPE_CHECKING:
    from .settings import Settings

log = logging.getLogger("mockcanvas")
EVENT_ID_HEADER = "X-Mockcanvas-Event-Id"


class Delivery:
    def __init__(self, url: str, *, attempts: int = 3, timeout: float = 5.0, backoff: float = 0.1,
                 queue_max: int = 10_000, failed_max: int = 10_000, drain_timeout: float = 2.0) -> None:
        self.url = url
        self.attempts = max(1, attempts)
        self.timeout = timeout
        self.backoff = backoff
        self.queue_max = max(1, queue_max)
        self.failed_max = max(1, failed_max)
        self.drain_timeout = drain_timeout
        self.accepted = 0
        self.delivered = 0
        self.dropped = 0
        self.retries = 0
        self.timeouts = 0
        self.last_error: str | None = None
        self._queue: deque[LiveEvent] = deque()
        self._failed: deque[LiveEvent] = deque()
        self._inflight: LiveEvent | None = None
        self._lock = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._idle = False  # the thread waits for an event (and must be woken)
        self._wake_scheduled = False
        self._stopping = False
        self._task: asyncio.Task | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._sources: list[LiveEvents] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> Delivery:
        return cls(settings.live_events_url or "", attempts=settings.live_events_attempts,
                   timeout=settings.live_events_timeout, queue_max=settings.live_events_queue_max,
                   failed_max=settings.live_events_failed_max, drain_timeout=settings.live_events_drain_timeout)

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> Delivery:
        if self._thread is None:
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="mockcanvas-live-events", daemon=True)
            self._thread.start()
            self._ready.wait(10)
        return self

    def attach(self, events: LiveEvents) -> None:
        """Deliver every event recorded by ``events`` from now on."""
        events.add_listener(self.enqueue)
        self._sources.append(events)

    def stop(self, drain_timeout: float | None = None) -> int:
        """Stop listening, give queued events ``drain_timeout`` seconds (default ``self.drain_timeout``),
        then drop what is left, stop the thread and return how many events were dropped now."""
        for events in self._sources:
            events.remove_listener(self.enqueue)
        self._sources.clear()
        thread = self._thread
        if thread is None:
            return 0
        self.flush(self.drain_timeout if drain_timeout is None else drain_timeout)
        with self._lock:
            self._stopping = True
            left = len(self._queue)
            self._queue.clear()
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._cancel_main)
            except RuntimeError:  # the loop closed meanwhile
                pass
        thread.join(5.0)
        self._thread = None
        with self._lock:
            if self._inflight is not None:  # cancelled mid-POST
                self._inflight = None
                left += 1
            self.dropped += left
            self._lock.notify_all()
        if left:
            log.warning("mockcanvas: live-event delivery to %s stopped with %d event(s) undelivered "
                        "(dropped; %d failed event(s) were kept until now)", self.url, left, len(self._failed))
        return left

    def _cancel_main(self) -> None:
        if self._task is not None:
            self._task.cancel()

    # -- the listener --------------------------------------------------------------------------
    def enqueue(self, event: LiveEvent) -> None:
        """Queue ``event`` (the oldest queued event is dropped when the queue is full); without a
        running delivery thread the event is failed at once (``retry`` queues it again)."""
        wake = None
        with self._lock:
            self.accepted += 1
            loop = self._loop
            if loop is None or self._stopping or loop.is_closed():
                self._fail(event, "delivery is not running")
                return
            if len(self._queue) >= self.queue_max:
                self._queue.popleft()
                self.dropped += 1
            self._queue.append(event)
            if self._idle and not self._wake_scheduled:
                self._wake_scheduled = True
                wake = loop
        if wake is not None:
            try:
                wake.call_soon_threadsafe(self._wake_up)
            except RuntimeError:  # the loop closed between the check and now: stop() counts it
                pass

    def _wake_up(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def _fail(self, event: LiveEvent, error: str | None) -> None:
        """(Under the lock.) Keep ``event`` for retry, dropping the oldest failed one when full."""
        if len(self._failed) >= self.failed_max:
            self._failed.popleft()
            self.dropped += 1
        self._failed.append(event)
        self.last_error = error

    def retry(self) -> int:
        """Queue every failed event again, oldest first and ahead of the queue (they are older);
        returns how many. The queue's bound still holds: its oldest are dropped when it is full."""
        wake = None
        with self._lock:
            loop = self._loop
            if loop is None or self._stopping or not self._failed:
                return 0
            n = len(self._failed)
            self._queue.extendleft(reversed(self._failed))
            self._failed.clear()
            while len(self._queue) > self.queue_max:
                self._queue.popleft()
                self.dropped += 1
            if self._idle and not self._wake_scheduled:
                self._wake_scheduled = True
                wake = loop
        if wake is not None:
            wake.call_soon_threadsafe(self._wake_up)
        return n

    # -- state ---------------------------------------------------------------------------------
    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue) + (self._inflight is not None)

    @property
    def failed(self) -> int:
        return len(self._failed)

    def failed_events(self) -> list[LiveEvent]:
        with self._lock:
            return list(self._failed)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until no event is pending (each delivered or failed); False if the timeout passed."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._queue or self._inflight is not None:
                left = deadline - time.monotonic()
                if left <= 0 or self._thread is None:
                    return False
                self._lock.wait(min(left, 0.5))
        return True

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {"url": self.url, "delivered": self.delivered, "failed": len(self._failed),
                    "pending": len(self._queue) + (self._inflight is not None), "retries": self.retries,
                    "last_error": self.last_error, "dropped": self.dropped, "timeouts": self.timeouts,
                    "accepted": self.accepted, "timeout": self.timeout, "attempts": self.attempts,
                    "queue_max": self.queue_max, "failed_max": self.failed_max}

    # -- the delivery thread -------------------------------------------------------------------
    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._main_task(loop))
        finally:
            loop.close()

    async def _main_task(self, loop: asyncio.AbstractEventLoop) -> None:
        self._task = asyncio.current_task()
        self._wake = asyncio.Event()
        with self._lock:
            self._loop = loop
        self._ready.set()
        try:
            await self._main()
        except asyncio.CancelledError:
            pass  # stop(): whatever was in flight is counted there
        finally:
            with self._lock:
                self._loop = None
                self._idle = False
                self._lock.notify_all()

    async def _main(self) -> None:
        assert self._wake is not None
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while True:
                with self._lock:
                    event = self._queue.popleft() if self._queue else None
                    self._inflight = event
                    if event is None:
                        if self._stopping:
                            return
                        self._idle = True
                        self._wake.clear()
                    else:
                        self._idle = False
                if event is None:
                    await self._wake.wait()
                    with self._lock:
                        self._wake_scheduled = False
                    continue
                ok, error = await self._send(session, event)
                with self._lock:
                    if self._inflight is event:
                        self._inflight = None
                        if ok:
                            self.delivered += 1
                        else:
                            self._fail(event, error)
                    self._lock.notify_all()

    async def _send(self, session: aiohttp.ClientSession, event: LiveEvent) -> tuple[bool, str | None]:
        data = json.dumps(event.to_dict())
        headers = {"Content-Type": "application/json"}
        if event.id:
            headers[EVENT_ID_HEADER] = event.id
        error = None
        for attempt in range(self.attempts):
            if attempt:
                with self._lock:
                    self.retries += 1
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                async with session.post(self.url, data=data, headers=headers) as resp:
                    await resp.read()
                    if 200 <= resp.status < 300:
                        return True, None
                    error = f"HTTP {resp.status} from {self.url}"
            except asyncio.TimeoutError:
                with self._lock:
                    self.timeouts += 1
                error = f"no answer from {self.url} within {self.timeout:g}s"
            except (aiohttp.ClientError, OSError) as exc:
                error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return False, error
