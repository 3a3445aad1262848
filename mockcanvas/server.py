"""``CanvasServer``: the mock Canvas on a real port, served from a daemon thread.

For synchronous clients (``requests``, ``canvasapi``) that need a URL rather than an in-process
test client. It mirrors the ``ThreadedMotoServer`` pattern from moto: the aiohttp app runs under
``web.AppRunner`` + ``web.TCPSite`` on the thread's own event loop, and the caller's thread only
touches the store (under ``store.lock``) and the problem list.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from os import PathLike
from typing import Any

from aiohttp import web

from .app import create_app
from .delivery import Delivery
from .events import LiveEvents
from .journal import RequestJournal
from .keys import DELIVERY, PROBLEMS
from .settings import Settings
from .store import Store

_START_TIMEOUT = 30.0
_STOP_TIMEOUT = 30.0


class CanvasServer:
    """The mock on ``http://host:port`` until :meth:`stop`; also a context manager.

    ``store`` is served as is; without it, ``world`` (paths for ``load_world``, default world when
    None) is loaded. ``port=0`` lets the OS choose a free port; :attr:`url` has the bound one.
    """

    def __init__(self, store: Store | None = None, *, host: str = "127.0.0.1", port: int = 0,
                 settings: Settings | None = None,
                 world: str | PathLike[str] | Iterable[str | PathLike[str]] | None = None) -> None:
        if store is None:
            from .seed import load_world

            store = load_world(world, settings=settings)
        self.store: Store = store
        self.app: web.Application = create_app(store, settings)
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._started = False

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> "CanvasServer":
        """Listen and return self; raises what binding raised (e.g. ``OSError``: address in use)."""
        if self._started:
            # an aiohttp app is frozen by its first runner and cannot be served twice
            raise RuntimeError("CanvasServer can be started only once; make a new one")
        self._started = True
        self._thread = threading.Thread(target=self._run, name=f"mockcanvas-{self.host}:{self.port}",
                                        daemon=True)
        self._thread.start()
        if not self._ready.wait(_START_TIMEOUT):
            raise RuntimeError(f"mockcanvas server did not start within {_START_TIMEOUT:.0f}s")
        if self._error is not None:
            self._thread.join(_STOP_TIMEOUT)
            self._thread = None
            raise self._error
        return self

    def stop(self) -> None:
        """Close the listening socket and connections, stop the loop and join the thread."""
        thread, loop, event = self._thread, self._loop, self._stop_event
        if thread is None:
            return
        if loop is not None and event is not None and thread.is_alive():
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # the loop closed already
                pass
        thread.join(_STOP_TIMEOUT)
        if thread.is_alive():
            raise RuntimeError(f"mockcanvas server did not stop within {_STOP_TIMEOUT:.0f}s")
        self._thread = None

    def __enter__(self) -> "CanvasServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as e:  # reported to start() when binding failed
            if not self._ready.is_set():
                self._error = e
                self._ready.set()
        finally:
            try:
                loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                loop.close()

    async def _serve(self) -> None:
        self._stop_event = asyncio.Event()
        # no access log: the test output stays quiet; a short shutdown_timeout because requests to
        # an in-memory store finish at once and a test suite should not wait on idle clients
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            self.port = runner.addresses[0][1]
            self._ready.set()
            await self._stop_event.wait()
        finally:
            await runner.cleanup()

    # -- state -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def problems(self) -> list[dict[str, Any]]:
        """Unknown ``/api/v1`` routes and handler exceptions seen since the last reset/check."""
        return self.app[PROBLEMS]

    @property
    def live_events(self) -> LiveEvents:
        """The live events recorded by this server's store (cleared by :meth:`reset`)."""
        return self.store.live_events

    @property
    def requests(self) -> RequestJournal:
        """The calls made to this server's Canvas routes (cleared by :meth:`reset`)."""
        return self.store.requests

    @property
    def delivery(self) -> Delivery | None:
        """Delivery to ``Settings.live_events_url`` while the server runs (None without a URL)."""
        return self.app[DELIVERY]

    @property
    def tokens(self) -> dict[str, str]:
        """token -> name of the user it belongs to."""
        from .seed import world_summary

        return {row["token"]: row["name"] for row in world_summary(self.store)}

    def reset(self) -> None:
        """Back to the loaded world (in place) and forget the problems."""
        with self.store.lock:
            self.store.rollback()
            self.problems.clear()

    def check(self) -> None:
        """Raise ``AssertionError`` naming each recorded problem, and forget them."""
        text = format_problems(self.problems)
        self.problems.clear()
        if text:
            raise AssertionError(text)

    def __repr__(self) -> str:
        state = "running" if self._thread is not None else "stopped"
        return f"<CanvasServer {self.url} {state}>"


def format_problems(problems: list[dict[str, Any]]) -> str:
    """One paragraph per problem: ``kind: METHOD path`` then the detail (a traceback for 500s)."""
    dropped = getattr(problems, "dropped", 0)  # a ProblemLog keeps its first Settings.max_problems
    if not problems and not dropped:
        return ""
    lines = [f"mockcanvas recorded {len(problems)} problem(s):"]
    if dropped:
        lines[0] = (f"mockcanvas recorded {len(problems) + dropped} problem(s) "
                    f"(the first {len(problems)} kept, {dropped} more counted):")
    for p in list(problems):
        lines.append(f"- {p.get('kind', 'problem')}: {p.get('method')} {p.get('path')}")
        detail = str(p.get("detail") or "").rstrip()
        plain = f"{p.get('method')} {str(p.get('path')).partition('?')[0]}"
        if detail and detail != plain:
            lines.extend("    " + line for line in detail.splitlines())
    return "\n".join(lines)
