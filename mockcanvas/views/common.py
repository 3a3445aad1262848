"""Shared pieces of the views: the view context and Canvas's time formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..timefmt import iso_utc

if TYPE_CHECKING:
    from ..store import Store
    from ..store.records import User


@dataclass(slots=True)
class ViewContext:
    store: Store
    viewer: User | None
    base_url: str  # scheme://host[:port], no trailing slash
    _rights: dict = field(default_factory=dict)

    def context_rights(self, context_type: str, context_id: int) -> frozenset[str]:
        key = (context_type, context_id)
        if key not in self._rights:
            self._rights[key] = self.store.policy.context_rights(self.viewer, context_type, context_id)
        return self._rights[key]

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


def reads_sis(rights: frozenset[str]) -> bool:
    """SIS ids are shown with read_sis or manage_sis (lib/api/v1/*: ``user_can_read_sis_data?``)."""
    return "read_sis" in rights or "manage_sis" in rights


# Formatted timestamps, by value: a row's created_at is shown on every read of it, and astimezone
# + strftime cost more than the rest of a group's JSON. Only exact datetimes that are naive or
# carry a fixed offset (datetime.timezone) are cached: equal ones are the same instant (naive ones
# compare equal only to naive ones, all read as UTC), so they have the same string. An aware value
# in a zone with transitions (ZoneInfo) is not: two times that differ only in ``fold`` compare
# equal but are different instants. Cleared when full; a lost entry is computed again.
_ISO_MAX = 4096
_iso_cache: dict[datetime, str] = {}
_iso_local_cache: dict[tuple[datetime, str | None], str] = {}


def _cacheable(dt: datetime) -> bool:
    """An exact datetime, naive or with a fixed offset: equal values are the same instant."""
    return type(dt) is datetime and (dt.tzinfo is None or type(dt.tzinfo) is timezone)


def _remember(cache: dict, key: Any, text: str) -> str:
    if len(cache) >= _ISO_MAX:
        cache.clear()
    cache[key] = text
    return text


def iso(dt: datetime | None) -> str | None:
    """UTC, ISO 8601, ``Z``, no fractional seconds (JsonTimeInUTC, time_precision 0)."""
    if dt is None:
        return None
    if not _cacheable(dt):
        return iso_utc(dt)
    text = _iso_cache.get(dt)
    return text if text is not None else _remember(_iso_cache, dt, iso_utc(dt))


@lru_cache(maxsize=64)
def _zone(name: str):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def _iso_local(dt: datetime, time_zone: str | None) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    local = dt.astimezone(_zone(time_zone or "Etc/UTC")).replace(microsecond=0)
    if local.utcoffset() == timedelta(0):
        return iso_utc(local)  # ActiveSupport writes UTC as Z (and a year as four digits)
    return local.isoformat()


def iso_local(dt: datetime | None, time_zone: str | None) -> str | None:
    """``user_json``'s ``created_at``: ``.iso8601`` in the request's time zone, with an offset."""
    if dt is None:
        return None
    if not _cacheable(dt):
        return _iso_local(dt, time_zone)
    key = (dt, time_zone)  # the same instant in the same zone: the same string
    text = _iso_local_cache.get(key)
    return text if text is not None else _remember(_iso_local_cache, key, _iso_local(dt, time_zone))
