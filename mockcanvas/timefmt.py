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
    """``2024-05-01T15:00:00Z`` (None stays None); a year before 1000 has its four digits
    (``0256-...``, as Ruby's ``iso8601``; C's ``%Y`` would write ``256``)."""
    if dt is None:
        return None
    d = as_utc(dt).astimezone(timezone.utc)
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:{d.second:02d}Z"
