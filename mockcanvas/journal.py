"""The request journal: every call made to the mock's Canvas routes, in order (not a Canvas feature).

Each entry is ``{"position", "method", "path", "query", "route", "user_id", "real_user_id",
"status"}``; ``route`` is the route's template (``/api/v1/groups/{group_id}``), or None for an
unknown route; ``user_id`` is the effective user (after ``as_user_id``). Kept by the store, so every
app serving a world shares it and the per-test rollback clears it. Control-plane calls
(``/__mockcanvas__/``) are not journaled.

The journal keeps the last ``limit`` entries (10,000 by default; ``mockcanvas serve --journal-limit``):
a long-running server does not grow without bound. Positions keep counting, so ``after=`` still
works across the entries dropped; ``dropped`` says how many were.

``access_token`` values in a query string are recorded as ``[FILTERED]`` (Rails' parameter filter
word): the journal is read over the unauthenticated control plane. :func:`mask_access_token` does the
same for live events' ``url`` and ``referrer``.

:class:`ProblemLog` is the app's list of recorded problems (unknown ``/api/v1`` routes, 500s, for the
pytest plugin to fail the test that caused them): it keeps the first ``Settings.max_problems`` and
counts the rest in ``dropped`` (the first problem is the one that explains a failure).
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, ClassVar

__all__ = ["ProblemLog", "RequestJournal", "mask_access_token"]

FILTERED = "[FILTERED]"
_ACCESS_TOKEN = re.compile(r"((?:^|[?&;])access_token=)[^&;#]*")


def mask_access_token(text: str) -> str:
    """``...?access_token=secret&x=1`` -> ``...?access_token=[FILTERED]&x=1`` (a query string or a URL)."""
    if "access_token=" not in text:
        return text
    return _ACCESS_TOKEN.sub(lambda m: m.group(1) + FILTERED, text)


class ProblemLog(list):
    """The recorded problems: a list (the pytest plugin and ``CanvasServer.problems`` read and clear
    it) that keeps its first ``limit`` entries; later ones are counted in ``dropped``, so a
    long-running server hit by unknown routes keeps a bounded list."""

    def __init__(self, limit: int = 1000) -> None:
        super().__init__()
        self.limit = max(1, int(limit))
        self.dropped = 0

    def append(self, problem: Any) -> None:  # type: ignore[override]
        if len(self) >= self.limit:
            self.dropped += 1
            return
        super().append(problem)

    def extend(self, problems: Any) -> None:  # type: ignore[override]
        for problem in problems:
            self.append(problem)

    def clear(self) -> None:
        super().clear()
        self.dropped = 0


class RequestJournal:
    #: Called with (a copy of) every entry any journal records; empty unless a tool adds itself
    #: (the route log of ``python -m mockcanvas.coverage --run-tests``). Not used by the mock.
    observers: ClassVar[list[Callable[[dict[str, Any]], None]]] = []

    DEFAULT_LIMIT = 10_000

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=self._check(limit))
        self._position = 0
        self.dropped = 0

    @staticmethod
    def _check(limit: int) -> int:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"the journal limit must be a positive integer, not {limit!r}")
        return limit

    @property
    def limit(self) -> int:
        """How many entries are kept (the oldest are dropped first)."""
        return self._entries.maxlen  # type: ignore[return-value]

    @limit.setter
    def limit(self, value: int) -> None:
        with self._lock:
            kept = deque(self._entries, maxlen=self._check(value))
            self.dropped += len(self._entries) - len(kept)
            self._entries = kept

    def record(self, **entry: Any) -> dict[str, Any]:
        query = entry.get("query")
        if query and "access_token=" in query:
            entry["query"] = mask_access_token(query)
        with self._lock:
            self._position += 1
            entry = {"position": self._position, **entry}
            if len(self._entries) == self._entries.maxlen:
                self.dropped += 1
            self._entries.append(entry)
        for observer in RequestJournal.observers:
            observer(dict(entry))
        return entry

    @property
    def position(self) -> int:
        return self._position

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def since(self, position: int) -> list[dict[str, Any]]:
        return [e for e in self.all() if e["position"] > position]

    def clear(self) -> int:
        with self._lock:
            n = len(self._entries)
            self._entries.clear()
            self.dropped = 0
            return n

    def calls(self, method: str | None = None, route: str | None = None, *, path: str | None = None,
              user_id: int | None = None, status: int | None = None, after: int = 0) -> list[dict[str, Any]]:
        """Entries matching every given field, recorded after position ``after``. ``route`` is a
        template (``/api/v1/groups/{group_id}``) and ``path`` a concrete path (``/api/v1/groups/1``)."""
        out = []
        for e in self.all():
            if e["position"] <= after:
                continue
            if method is not None and e["method"] != method.upper():
                continue
            if route is not None and e["route"] != route:
                continue
            if path is not None and e["path"] != path:
                continue
            if user_id is not None and e["user_id"] != user_id:
                continue
            if status is not None and e["status"] != status:
                continue
            out.append(e)
        return out

    def assert_called(self, method: str | None = None, route: str | None = None, *,
                      times: int | None = None, **fields: Any) -> list[dict[str, Any]]:
        """Assert a matching call was made (exactly ``times`` times when given); the failure lists
        the calls that were made instead."""
        found = self.calls(method, route, **fields)
        if (times is None and not found) or (times is not None and len(found) != times):
            want = " ".join(str(x) for x in (method, route or fields.get("path")) if x) or "a call"
            extra = ", ".join(f"{k}={v!r}" for k, v in fields.items() if k != "path")
            expected = "any" if times is None else str(times)
            raise AssertionError(self._explain(
                f"expected {expected} {want}{' with ' + extra if extra else ''}, found {len(found)}"))
        return found

    def assert_not_called(self, method: str | None = None, route: str | None = None, **fields: Any) -> None:
        self.assert_called(method, route, times=0, **fields)

    def _explain(self, headline: str) -> str:
        entries = self.all()
        if not entries:
            return f"{headline}; no requests were made"
        lines = [f"{headline}; requests made:"]
        if self.dropped:
            lines[0] = f"{headline}; requests made (the {self.dropped} oldest were dropped, limit {self.limit}):"
        lines.extend(f"  #{e['position']} {e['method']} {e['path']} -> {e['status']} (user {e['user_id']})"
                     for e in entries)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<RequestJournal {len(self._entries)} entries, limit {self.limit}>"
