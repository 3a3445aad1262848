"""Canvas's time formats, for every layer (the store's live-event bodies and the views alike).

Times are stored as datetimes; a naive one is UTC. Canvas writes them in UTC, ISO 8601, with ``Z``
and no fractional seconds (the JsonTimeInUTC initializer, ``time_precision = 0``). The views keep
a cache over :func:`iso_utc` (``views/common.py``)."""

from __future__ import annotations

from datetime import datetime, timezone


def as_utc(dt: datetime | None) -> datetime | None:
    """``dt`` with a zone: a naive time is UTC (None stays None)."""
    if dt is None:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=timezone.utc)


def iso_utc(dt: datetime | None) -> str | None:
    """``2024-05-01T15:00:00Z`` (None stays None)."""
    if dt is None:
        return None
    return as_utc(dt).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
