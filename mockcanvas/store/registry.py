"""What the store areas declare, collected once: tables, indexes, operations and live events.

Each ``mockcanvas.store.<area>`` module (see :mod:`mockcanvas.areas`) may declare:

* ``RECORDS``: ``{table: record dataclass}``: the tables the area owns;
* ``INDEXES()``: ``{table: {index name: SortedIndex | UniqueIndex}}``, fresh index objects for a new
  store (an area may index another area's table, e.g. groups indexing stream items);
* ``OPS``: ``(attribute, class)``: ``store.<attribute> = class(store)``, the area's operations;
* ``SIS_FORMS``: ``{table: {"sis_x_id": unique index name}}``: the ``sis_x_id:`` path forms
  ``store.find`` resolves for the table;
* ``LIVE_EVENTS``: ``{table: events(store, row, changed) -> [(event name, body), ...]}``: what a
  write to the table emits (``changed`` is None for an insert), see :func:`live.simple_events`;
  each function's ``names`` lists what it may emit (:data:`EVENT_NAMES` gathers them).

Nothing here is read per request: the store reads these once, at construction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..areas import modules

_MODULES = modules("store")

TABLES: dict[str, type] = {}
OPS: list[tuple[str, type]] = []
LIVE_EVENTS: dict[str, Callable[..., list[tuple[str, dict[str, Any]]]]] = {}
SIS_FORMS: dict[str, dict[str, str]] = {}
for _m in _MODULES:
    for _table, _cls in getattr(_m, "RECORDS", {}).items():
        if _table in TABLES:
            raise RuntimeError(f"table {_table!r} declared by two areas")
        TABLES[_table] = _cls
    if hasattr(_m, "OPS"):
        OPS.append(_m.OPS)
    LIVE_EVENTS.update(getattr(_m, "LIVE_EVENTS", {}))
    SIS_FORMS.update(getattr(_m, "SIS_FORMS", {}))
# every live event the store may record, in area order (each LIVE_EVENTS function's ``names``)
EVENT_NAMES: tuple[str, ...] = tuple(name for events in LIVE_EVENTS.values() for name in events.names)


def index_specs() -> dict[str, dict[str, Any]]:
    """Every table's indexes, new (one set per store)."""
    specs: dict[str, dict[str, Any]] = {table: {} for table in TABLES}
    for m in _MODULES:
        if hasattr(m, "INDEXES"):
            for table, found in m.INDEXES().items():
                specs[table].update(found)
    return specs
