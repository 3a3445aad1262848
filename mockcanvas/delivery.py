"""Delivery of live events to a consumer over HTTP: each event POSTed as JSON, in order.

Canvas publishes to a stream (Kinesis or SQS) and, through Live Events subscriptions, to HTTPS
endpoints; the mock POSTs ``{"metadata": ..., "body": ...}`` to one URL. Delivery runs on its own
thread and event loop: recording an event only puts it on a queue, so a consumer that is down or
slow never slows or breaks the API call that caused the event. Each event is tried ``attempts``
times (any 2xx answer is success; a refused connection, a timeout or another status is retried
after a short backoff), then counted as failed, and the next event is sent.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

import aiohttp

from .events import LiveEvent, LiveEvents


class Delivery:
    def __init__(self, url: str, *, attempts: int = 3, timeout: float = 5.0, backoff: float = 0.1) -> None:
        self.url = url
        self.attempts = max(1, attempts)
        self.timeout = timeout
        self.backoff = backoff
        self.delivered = 0
        self.failed = 0
        self.retries = 0
        self.last_error: str | None = None
        self._queued = 0  # events accepted and not yet delivered or failed
        self._lock = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[LiveEvent | None] | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._sources: list[LiveEvents] = []

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> Delivery:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="mockcanvas-live-events", daemon=True)
            self._thread.start()
            self._ready.wait(10)
        return self

    def attach(self, events: LiveEvents) -> None:
        """Deliver every event recorded by ``events`` from now on."""
        events.add_listener(self.enqueue)
        self._sources.append(events)

    def stop(self, flush_timeout: float = 2.0) -> None:
        """Stop listening, give queued events ``flush_timeout`` seconds, then stop the thread."""
        for events in self._sources:
            events.remove_listener(self.enqueue)
        self._sources.clear()
        if self._thread is None:
            return
        self.flush(flush_timeout)
        loop, queue = self._loop, self._queue
        if loop is not None and queue is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(queue.put_nowait, None)
            except RuntimeError:
                pass
        self._thread.join(flush_timeout + self.timeout + 1)
        self._thread = None

    # -- the listener --------------------------------------------------------------------------
    def enqueue(self, event: LiveEvent) -> None:
        loop, queue = self._loop, self._queue
        if loop is None or queue is None or loop.is_closed():
            with self._lock:
                self.failed += 1
                self.last_error = "delivery is not running"
            return
        with self._lock:
            self._queued += 1
        loop.call_soon_threadsafe(queue.put_nowait, event)

    # -- state ---------------------------------------------------------------------------------
    @property
    def pending(self) -> int:
        return self._queued

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every queued event is delivered or failed; False if the timeout passed."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._queued > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
        return True

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {"url": self.url, "delivered": self.delivered, "failed": self.failed,
                    "pending": self._queued, "retries": self.retries, "last_error": self.last_error}

    # -- the delivery thread -------------------------------------------------------------------
    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._main(loop))
        finally:
            loop.close()

    async def _main(self, loop: asyncio.AbstractEventLoop) -> None:
        self._queue = asyncio.Queue()
        self._loop = loop
        self._ready.set()
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while True:
                event = await self._queue.get()
                if event is None:
                    break
                ok, error = await self._send(session, event)
                with self._lock:
                    if ok:
                        self.delivered += 1
                    else:
                        self.failed += 1
                        self.last_error = error
                    self._queued -= 1
                    self._lock.notify_all()
        self._loop = None

    async def _send(self, session: aiohttp.ClientSession, event: LiveEvent) -> tuple[bool, str | None]:
        data = json.dumps(event.to_dict())
        error = None
        for attempt in range(self.attempts):
            if attempt:
                with self._lock:
                    self.retries += 1
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                async with session.post(self.url, data=data,
                                        headers={"Content-Type": "application/json"}) as resp:
                    await resp.read()
                    if 200 <= resp.status < 300:
                        return True, None
                    error = f"HTTP {resp.status} from {self.url}"
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
                error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return False, error
