"""Canvas's value casts: ``value_to_boolean``, Ruby's ``to_i`` and ``to_s``, ``Array()`` and
``StringifyIds``.

Pure and free of HTTP, so that the store, the views and the handlers share one copy of each cast
(``mockcanvas.api._params`` re-exports :func:`as_list` for the handlers' parameter parsing).

Numbers from a request are parsed here and nowhere else, with a bound (:func:`bounded_digits`):
Python refuses ``int()`` of more than 4,300 digits (and spends quadratic time below that), while
Ruby's ``to_i`` makes a Bignum of any length. A digit string of more than :data:`MAX_DIGITS`
significant digits counts as :data:`HUGE`, a number beyond every id, count and limit: an id that
large is not found, a ``per_page`` is clamped, a count or limit is "very large" as in Canvas (where
the database column then refuses it). ``json.loads`` gets the same cast (:func:`json_int`).
"""

from __future__ import annotations

import math
import re
from typing import Any

_TRUE = {"yes", "y", "true", "t", "on", "1"}
_FALSE = {"no", "n", "false", "f", "off", "0"}
# Ruby's \d and \s are ASCII: "²" or an Arabic-Indic digit is not a digit to Canvas
_LEADING_INT = re.compile(r"\s*([+-]?\d+)", re.ASCII)
DIGITS = re.compile(r"\A[0-9]+\Z")
# the longest digit string parsed as is; a longer one (leading zeros aside) counts as HUGE. 32 digits
# hold every 8-byte id and global id (shard * 10**13 + local) with room to spare.
MAX_DIGITS = 32
HUGE = 10**MAX_DIGITS


def bounded_digits(digits: str) -> int:
    """ASCII digits (already matched, an optional sign first) as an int; more than
    :data:`MAX_DIGITS` significant digits give ``HUGE`` (``-HUGE`` with a minus)."""
    if len(digits) <= MAX_DIGITS:
        return int(digits)
    sign = -1 if digits[0] == "-" else 1
    significant = digits.lstrip("+-").lstrip("0")
    if len(significant) > MAX_DIGITS:
        return sign * HUGE
    return sign * int(significant or "0")


def json_int(text: str) -> int:
    """``json.loads``'s ``parse_int``: a JSON integer through the same bound."""
    return bounded_digits(text)


def digits_int(value: Any) -> int | None:
    """A string of ASCII digits as an int (an id in a parameter, a CSV cell), else None; beyond
    :data:`MAX_DIGITS` digits, ``HUGE`` (no row has that id)."""
    return bounded_digits(value) if isinstance(value, str) and DIGITS.match(value) else None


def to_bool(value: Any, default: bool | None = None) -> bool | None:
    """Canvas::Plugin.value_to_boolean: unknown strings give ``default``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        v = value.strip().lower()
        if v in _TRUE:
            return True
        if v in _FALSE:
            return False
    return default


def value_to_boolean(value: Any) -> bool:
    """``Canvas::Plugin.value_to_boolean`` (lib/canvas/plugin.rb): the known words, else Ruby
    ``to_i != 0`` (a list or hash, which Canvas cannot cast, is false). :func:`to_bool` is the same
    with a default for unknown strings, where the mock keeps an older reading."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
    if isinstance(value, (list, dict)):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return not math.isnan(value)
    return ruby_to_i(value) != 0


def ruby_to_i(value: Any) -> int:
    """String#to_i: leading digits, else 0 (``"12abc"`` -> 12, ``"abc"`` -> 0)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value if -HUGE <= value <= HUGE else (HUGE if value > 0 else -HUGE)
    if isinstance(value, float):
        return max(-HUGE, min(int(value), HUGE))
    m = _LEADING_INT.match(str(value)) if value is not None else None
    return bounded_digits(m.group(1)) if m else 0


def ruby_to_s(value: Any) -> str:
    """Ruby ``to_s`` of a parameter value: nil is "", true and false are "true" and "false"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def as_list(value: Any) -> list[Any]:
    """``Array(params[:x])``: a list stays, a hash gives its values, a scalar becomes one item,
    nothing becomes []."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return [value]


def comma_list(value: Any) -> list[Any] | None:
    """``x[]`` as an array, or a comma-separated string (``user_ids=1,2``); None when not given
    (absent, blank or an empty array)."""
    if value is None or value == "" or value == []:
        return None
    return value.split(",") if isinstance(value, str) else as_list(value)


def optional_int(value: Any) -> int | None:
    """An integer column cast: blank gives None, anything else Ruby's to_i."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return ruby_to_i(value)


def stringify_ids(value: Any, key: str | None = None) -> Any:
    """StringifyIds (lib/stringify_ids.rb): every integer under a key named ``id``, ``*_id`` or
    ``*_ids`` becomes a string, at any depth. Used for ``canvas-string-ids`` responses and for
    every live event."""
    if isinstance(value, dict):
        return {k: stringify_ids(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [stringify_ids(v, key) for v in value]
    if (key is not None and isinstance(value, int) and not isinstance(value, bool)
            and (key == "id" or key.endswith(("_id", "_ids")))):
        return str(value)
    return value
