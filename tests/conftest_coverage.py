"""pytest plugin (loaded by tests/conftest.py): the route log for ``docs/coverage.md``.

With ``MOCKCANVAS_ROUTE_LOG=PATH`` set, every entry any store's request journal records during the
run (``RequestJournal.observers``) is counted by ``METHOD route-template`` and status, with the test
modules that made it, and written to PATH as JSON at the end of the session:

    {"routes": {"GET /api/v1/groups/{group_id}": {"calls": 12, "statuses": {"200": 9, "404": 3},
                                                  "modules": ["tests/api/test_groups_read.py", ...]}},
     "unknown_routes": 0, "excluded_calls": 0}

Calls made by the tests under ``tests/openapi/`` (fuzzing, schema conformance) are counted apart
(``excluded_calls``): they reach every route by construction and say nothing of behaviour tests.
``python -m mockcanvas.coverage --run-tests`` sets the variable and reads the file. Without the
variable the plugin does nothing.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from mockcanvas.journal import RequestJournal

ENV = "MOCKCANVAS_ROUTE_LOG"
EXCLUDED = ("tests/openapi/",)


class RouteLog:
    def __init__(self, path: str, rootdir: Path) -> None:
        self.path = path
        self.rootdir = rootdir
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.modules: dict[str, set[str]] = defaultdict(set)
        self.unknown = 0
        self.excluded = 0
        self.current: str | None = None  # the running test's module, relative to the rootdir
        self.lock = threading.Lock()

    def observe(self, entry: dict[str, Any]) -> None:
        module = self.current
        with self.lock:
            if module is None or module.startswith(EXCLUDED):
                self.excluded += 1
                return
            if entry.get("route") is None:
                self.unknown += 1
                return
            key = f"{entry['method']} {entry['route']}"
            self.statuses[key][str(entry["status"])] += 1
            self.modules[key].add(module)

    def write(self) -> None:
        with self.lock:
            data = {
                "routes": {key: {"calls": sum(c.values()), "statuses": dict(sorted(c.items())),
                                 "modules": sorted(self.modules[key])}
                           for key, c in sorted(self.statuses.items())},
                "unknown_routes": self.unknown,
                "excluded_calls": self.excluded,
            }
        Path(self.path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


_LOG = pytest.StashKey[RouteLog]()


def pytest_configure(config: pytest.Config) -> None:
    path = os.environ.get(ENV)
    if path:
        log = RouteLog(path, Path(config.rootpath))
        config.stash[_LOG] = log
        RequestJournal.observers.append(log.observe)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    log = item.config.stash.get(_LOG, None)
    if log is not None:
        try:
            log.current = Path(item.path).relative_to(log.rootdir).as_posix()
        except ValueError:
            log.current = Path(item.path).as_posix()
    try:
        yield
    finally:
        if log is not None:
            log.current = None


def pytest_sessionfinish(session: pytest.Session) -> None:
    log = session.config.stash.get(_LOG, None)
    if log is not None:
        if log.observe in RequestJournal.observers:
            RequestJournal.observers.remove(log.observe)
        log.write()
