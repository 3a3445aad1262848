"""The field types of world-file sections: what an area module declares its fields with.

A section's schema is ``{field name: F}``; :class:`~mockcanvas.seed.loader.Loader` checks every
value against it while reading a file (``Loader.value``) and keeps the parsed value (a datetime
for ``DT``, the stored state for an enum alias, ...). The format is documented in ``docs/worlds.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from types import MappingProxyType
from typing import Any

_NONE: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class F:
    """One field of a record: its type, whether it is required, and type-specific details.

    Types: ``str int num bool dt enum ref`` (``num``: an integer or a finite float, kept as a
    float; ``ref``: a key or an id of a record of ``kind``), ``refs`` and
    ``strs`` (lists of them), ``subs`` (a mapping, or a list of mappings, of ``schema``),
    ``members`` (a group's members), ``settings`` (a mapping of names to scalars) and ``map`` (a
    mapping whose keys are ``choices`` and whose values are mappings of ``schema``).
    """

    type: str
    required: bool = False
    choices: tuple = ()
    kind: str = ""  # the table a ref points into; for ``map``, what its keys are called
    min: int | None = None
    schema: dict | None = None  # for subs / members / map
    # enum: accepted values not listed in messages, and the value each one is stored as
    aliases: Mapping[str, Any] = field(default_factory=lambda: _NONE)


def req(spec: F) -> F:
    return F(spec.type, True, spec.choices, spec.kind, spec.min, spec.schema, spec.aliases)


S, B, DT = F("str"), F("bool"), F("dt")
NUM = F("num")  # an integer or a finite float, kept as a float (a weight, a score)
SETTINGS = F("settings")
ID = {"key": S, "id": F("int", min=1)}  # every record's


def integer(min: int | None = None) -> F:  # noqa: A002 - the field's own name
    return F("int", min=min)


def enum(*choices: str | None, aliases: Mapping[str, Any] | None = None) -> F:
    return F("enum", choices=choices, aliases=MappingProxyType(dict(aliases)) if aliases else _NONE)


def ref(kind: str) -> F:
    return F("ref", kind=kind)


def refs(kind: str) -> F:
    return F("refs", kind=kind)


def keyed(what: str, keys: tuple[str, ...], schema: dict[str, F]) -> F:
    """A mapping from ``keys`` (``what`` they are, for messages) to mappings of ``schema``."""
    return F("map", choices=keys, kind=what, schema=schema)


TYPE_MESSAGES = {"str": "expected a string", "int": "expected an integer", "num": "expected a number",
                 "bool": "expected true or false",
                 "dt": "expected an ISO 8601 date-time", "ref": "expected a key or an id",
                 "settings": "expected a mapping of setting names to values", "map": "expected a mapping"}


def parse_dt(value: Any) -> datetime | None:
    """An aware UTC datetime from an ISO 8601 string or a YAML timestamp; None if it is neither.

    A date or a time without an offset is taken as UTC: worlds must not depend on the machine's
    time zone.
    """
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)  # YAML's true/false are ints to Python


def is_scalar(v: Any) -> bool:
    """A setting's value: a string, a number, true/false or null (not a date: quote it)."""
    return v is None or isinstance(v, (str, int, float))
