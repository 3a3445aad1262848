"""The people of ``generate:`` entries: deterministic fake names and the ``*_pattern`` strings.

Faker is imported only when a world actually generates people (:class:`Names`). The format is
documented in ``docs/worlds.md`` (section ``generate``).
"""

from __future__ import annotations

import random as random_module
import string
from bisect import bisect
from collections import OrderedDict
from collections.abc import Callable
from itertools import accumulate
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

    A name is ``first_name() + " " + last_name()`` of Faker's en_US person provider, drawn with
    that provider's (weighted) lists and the Faker instance's seeded generator exactly as Faker's
    ``random_element`` draws them, one ``random()`` per part: the same names, without Faker
    rebuilding the cumulative weights of its lists on every call (most of a large world's load).
    """

    def __init__(self, seed: int) -> None:
        # imported lazily: a world without ``generate`` never needs it
        from faker import Faker

        self._fake: Any = Faker("en_US")
        self._fake.seed_instance(seed)
        self._seen: set[str] = set()
        self._first = _sampler(self._fake.first_name, "first_names")
        self._last = _sampler(self._fake.last_name, "last_names")

    def take(self, count: int) -> list[str]:
        out = []
        seen, first, last = self._seen, self._first, self._last
        for _ in range(count):
            name = ""
            for _ in range(_MAX_TRIES):
                name = f"{first()} {last()}"
                if name not in seen:
                    break
            seen.add(name)
            out.append(name)
        return out


def _sampler(method: Callable[[], str], attr: str) -> Callable[[], str]:
    """A faster ``method`` (a Faker provider's ``first_name`` or ``last_name``): the same values
    from the same random numbers, with ``random_element``'s set-up done once.

    ``provider.random_element(elements)`` is ``random_elements(elements, length=1)[0]``, which for
    an OrderedDict of weights is ``random.choices(keys, weights=values)[0]``, that is ``keys[bisect(
    cumulative weights, random() * total, 0, len - 1)]``, and for a plain sequence (or without
    weighting) ``random.choice(elements)``. Anything else is left to ``method`` itself.
    """
    provider = getattr(method, "__self__", None)
    elements = getattr(provider, attr, None)
    rng = getattr(getattr(provider, "generator", None), "random", None)
    if not elements or not isinstance(rng, random_module.Random):
        return method
    if isinstance(elements, OrderedDict) and getattr(provider, "__use_weighting__", True):
        keys = tuple(elements.keys())
        cum = list(accumulate(elements.values()))
        total = cum[-1] + 0.0
        hi = len(keys) - 1
        draw = rng.random
        if not total > 0.0:
            return method
        return lambda: keys[bisect(cum, draw() * total, 0, hi)]
    if isinstance(elements, (list, tuple)):
        seq, choice = tuple(elements), rng.choice
        return lambda: choice(seq)
    return method
