"""The API areas of the mock. Adding an area is adding its name here, plus the files named for it.

An area ``x`` is a set of modules that mirror Canvas's own files (``docs/adding-an-area.md``):

==========================  =================================================================
``mockcanvas.api.x``        ``routes`` (handlers) and ``ROUTE_DOCS`` (``x_controller.rb``)
``mockcanvas.views.x``      record -> Canvas JSON (``lib/api/v1/x.rb``)
``mockcanvas.store.x``      ``RECORDS``, ``INDEXES``, ``OPS``, ``LIVE_EVENTS`` (``app/models/x.rb``)
``mockcanvas.seed.x``       ``SECTIONS``: the area's part of a world file
==========================  =================================================================

Every layer is optional; each collects the modules of its own layer with :func:`modules`. The
order below is the dependency order: a world's rows are built and inserted in it, and routes are
added to the router in it (so a more specific path of a later area never hides behind an earlier
one's, aiohttp matching the first route that fits).
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

AREAS: tuple[str, ...] = (
    "accounts",
    "users",
    "terms",
    "courses",
    "sections",
    "enrollments",
    "categories",
    "groups",
    "memberships",
    "assignment_groups",
    "assignments",
    "assignment_overrides",
    "submissions",
    "files",
    "progress",
)


def modules(layer: str) -> list[ModuleType]:
    """The modules ``mockcanvas.<layer>.<area>`` that exist, in :data:`AREAS` order."""
    out = []
    for area in AREAS:
        name = f"mockcanvas.{layer}.{area}"
        if importlib.util.find_spec(name) is not None:
            out.append(importlib.import_module(name))
    return out
