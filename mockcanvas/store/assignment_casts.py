"""Canvas's casts of the ``assignment[...]`` parameters (ActiveModel's column types,
``Canvas::Plugin.value_to_boolean``, ``Api::ISO8601_REGEX``, ``CanvasTime.fancy_midnight``), for
``mockcanvas.store.assignment_input`` and the assignments area's lists and views."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..coerce import ruby_to_i, ruby_to_s
from ..time_zones import zone_name

ISO8601 = re.compile(r"\A(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?\Z", re.ASCII)
_LEADING_FLOAT = re.compile(r"\s*[+-]?(?:\d[\d_]*(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def ruby_to_f(value: Any) -> float:
    """ActiveModel's float cast: ``Infinity``/``-Infinity``/``NaN``, else Ruby ``String#to_f``."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    text = ruby_to_s(value)
    special = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}
    if text in special:
        return special[text]
    m = _LEADING_FLOAT.match(text)
    if not m:
        return 0.0
    try:
        return float(m.group(0).replace("_", ""))
    except (ValueError, OverflowError):
        return math.inf


def int_cast(value: Any) -> int | None:
    """ActiveModel::Type::Integer: blank is nil, true/false 1/0, a string Ruby ``to_i``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    return ruby_to_i(value)


def string_cast(value: Any) -> str | None:
    """ActiveModel::Type::String: true/false become "t"/"f"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def _scalar(value: Any) -> bool:
    return not isinstance(value, (list, dict))


def request_zone(store: Any, user: Any, course: Any = None) -> str:
    """``Time.zone`` of a request: the user's zone, else the default of their root account (of the
    course's when there is no user), else UTC (ApplicationController#set_time_zone)."""
    if user is not None:
        own = zone_name(user.time_zone)
        if own:
            return own
    account_id = user.account_id if user is not None else course.root_account_id if course is not None else None
    root = store.get("accounts", account_id) if account_id is not None else None
    return store.accounts.time_zone(root) if root is not None else "Etc/UTC"


def zone_info(name: str | None):
    try:
        return ZoneInfo(name or "Etc/UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def parse_iso(text: str, zone: str) -> datetime | None:
    """A string that matched :data:`ISO8601` as a UTC datetime; impossible calendar values are nil
    (the column cast gives nil)."""
    m = ISO8601.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    micro = int((m.group(7)[1:] + "000000")[:6]) if m.group(7) else 0
    offset = m.group(8)
    try:
        if offset is None:
            dt = datetime(year, month, day, hour, minute, second, micro, tzinfo=zone_info(zone))
        elif offset == "Z":
            dt = datetime(year, month, day, hour, minute, second, micro, tzinfo=timezone.utc)
        else:
            sign = 1 if offset[0] == "+" else -1
            delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
            dt = datetime(year, month, day, hour, minute, second, micro, tzinfo=timezone(sign * delta))
        return dt.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None


def fancy_midnight(dt: datetime | None, zone: str) -> datetime | None:
    """``CanvasTime.fancy_midnight``: exactly 00:00:00 in ``zone`` becomes 23:59:59 that day."""
    if dt is None:
        return None
    local = dt.astimezone(zone_info(zone))
    if (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0):
        return dt
    return local.replace(hour=23, minute=59, second=59).astimezone(timezone.utc)


def minute(dt: datetime) -> datetime:
    return dt.replace(second=0, microsecond=0)
