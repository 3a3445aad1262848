"""Generated people for world files: Faker names and the ``*_pattern`` strings of ``generate:``.

Kept apart from :mod:`mockcanvas.seed` so that the loader only pays for importing Faker when a
world actually generates people.
"""

from __future__ import annotations

import string
from typing import Any

PLACEHOLDERS = ("prefix", "PREFIX", "n", "id")
DEFAULT_KEY_PATTERN = "{prefix}{n}"
DEFAULT_LOGIN_PATTERN = "{prefix}{n}"
DEFAULT_SIS_PATTERN = "SIS-{PREFIX}-{n}"
DEFAULT_EMAIL_DOMAIN = "example.edu"

# Faker's en_US name lists hold a few thousand first/last combinations; past this many attempts a
# name is allowed to repeat rather than loop for ever on a very large ``count``.
_MAX_TRIES = 50


def sortable_name(name: str) -> str:
    """"Ada Lovelace" -> "Lovelace, Ada", as Canvas's User#last_name_first for a two-part name.

    Canvas splits on the last space; a one-word name sorts as itself.
    """
    first, sep, last = name.strip().rpartition(" ")
    return f"{last}, {first}" if sep and first else name.strip()


def check_pattern(pattern: str) -> str | None:
    """The problem with a pattern, or None; checked before ids exist so errors come early."""
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None}
    except ValueError as e:
        return f"invalid pattern: {e}"
    for name in sorted(names):
        if name not in PLACEHOLDERS:
            shown = "{" + name + "}"
            return f"unknown placeholder {shown} (use {{prefix}}, {{PREFIX}}, {{n}} or {{id}})"
    try:
        fill(pattern, prefix="x", n=1, rid=1)
    except (ValueError, IndexError, KeyError) as e:
        return f"invalid pattern: {e}"
    return None


def fill(pattern: str, *, prefix: str, n: int, rid: int) -> str:
    return pattern.format(prefix=prefix, PREFIX=prefix.upper(), n=n, id=rid)


class Names:
    """Deterministic full names for one world file.

    One instance per file, seeded with that file's ``seed:``, consumed in document order: adding a
    second file never changes the names the first one generates.
    """

    def __init__(self, seed: int) -> None:
        from faker import Faker  # imported lazily: a world without ``generate`` never needs it

        self._fake: Any = Faker("en_US")
        self._fake.seed_instance(seed)
        self._seen: set[str] = set()

    def take(self, count: int) -> list[str]:
        out = []
        for _ in range(count):
            name = ""
            for _ in range(_MAX_TRIES):
                name = f"{self._fake.first_name()} {self._fake.last_name()}"
                if name not in self._seen:
                    break
            self._seen.add(name)
            out.append(name)
        return out
