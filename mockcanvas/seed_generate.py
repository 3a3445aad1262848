"""The world-file format: the fields of each section, value parsing, and generated people.

:mod:`mockcanvas.seed` reads and checks files against :data:`SCHEMAS` and fills in the people of
``generate:`` entries with :class:`Names` and the ``*_pattern`` strings. Faker is imported only when
a world actually generates people. The format is documented in ``docs/worlds.md``.
"""

from __future__ import annotations

import random as random_module
import string
from bisect import bisect
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from itertools import accumulate
from typing import Any

from .store import records as r
from .store.people import ENROLLMENT_TYPE_NAMES

# -- the schema of world files ---------------------------------------------------------------


@dataclass(frozen=True)
class F:
    """One field of a record: its type, whether it is required, and type-specific details."""

    type: str  # str int bool dt enum ref refs strs subs members
    required: bool = False
    choices: tuple = ()
    kind: str = ""  # the table a ref points into
    min: int | None = None
    schema: dict | None = None  # for subs / members


def req(spec: F) -> F:
    return F(spec.type, True, spec.choices, spec.kind, spec.min, spec.schema)


S, B, DT = F("str"), F("bool"), F("dt")


def enum(*choices: str | None) -> F:
    return F("enum", choices=choices)


def ref(kind: str) -> F:
    return F("ref", kind=kind)


TYPE_ALIASES = {k: v for k, v in ENROLLMENT_TYPE_NAMES.items() if v in r.ENROLLMENT_TYPES}
STREAM_TYPES = ("Announcement", "DiscussionTopic", "DiscussionEntry", "Message", "Conversation",
                "Submission", "WebConference", "Collaboration", "AssessmentRequest")
_ID = {"key": S, "id": F("int", min=1)}

ENROLL = {"course": req(ref("courses")), "type": enum(*TYPE_ALIASES, *r.ENROLLMENT_TYPES),
          "sections": F("refs", kind="sections"), "state": enum(*r.ENROLLMENT_STATES)}
MEMBER = {"user": req(ref("users")), "state": enum("accepted", "invited", "requested"), "moderator": B}

SCHEMAS: dict[str, dict[str, F]] = {
    "accounts": {**_ID, "name": req(S), "parent": ref("accounts"), "sis_account_id": S,
                 "default_time_zone": S, "uuid": S, "lti_guid": S,
                 "workflow_state": enum("active", "deleted"), "created_at": DT},
    "users": {**_ID, "name": req(S), "sortable_name": S, "short_name": S, "login_id": S, "email": S,
              "sis_user_id": S, "integration_id": S, "time_zone": S, "account": ref("accounts"),
              "uuid": S, "pronouns": S, "locale": S, "avatar_url": S,
              "workflow_state": enum("registered", "pre_registered", "deleted"), "created_at": DT,
              "tokens": F("strs")},
    "generate": {"prefix": req(S), "count": req(F("int", min=0)), "first_id": F("int", min=1),
                 "account": ref("accounts"), "enroll": F("subs", schema=ENROLL), "tokens": F("strs"),
                 "key_pattern": S, "login_pattern": S, "sis_pattern": S, "email_domain": S,
                 "time_zone": S},
    "admins": {**_ID, "account": req(ref("accounts")), "user": req(ref("users")), "role": S},
    "courses": {**_ID, "name": req(S), "course_code": S, "sis_course_id": S,
                "account": req(ref("accounts")),
                "workflow_state": enum("created", "claimed", "available", "completed", "deleted"),
                "time_zone": S, "allow_student_organized_groups": B, "start_at": DT, "end_at": DT,
                "uuid": S, "created_at": DT},
    "sections": {**_ID, "course": req(ref("courses")), "name": S, "sis_section_id": S, "created_at": DT},
    "enrollments": {**_ID, "user": req(ref("users")), "course": ref("courses"), "section": ref("sections"),
                    "type": ENROLL["type"], "state": ENROLL["state"], "created_at": DT},
    "group_categories": {**_ID, "name": req(S), "course": ref("courses"), "account": ref("accounts"),
                         "role": enum(*r.CATEGORY_ROLES), "self_signup": enum(None, "enabled", "restricted"),
                         "group_limit": F("int", min=2), "auto_leader": enum(None, "first", "random"),
                         "sis_group_category_id": S, "non_collaborative": B, "created_at": DT},
    "groups": {**_ID, "name": req(S), "category": req(ref("group_categories")), "description": S,
               "is_public": B, "join_level": enum(*r.JOIN_LEVELS), "max_membership": F("int", min=1),
               "storage_quota_mb": F("int", min=0), "sis_group_id": S, "leader": ref("users"),
               "members": F("members", schema=MEMBER), "workflow_state": enum("available", "deleted"),
               "uuid": S, "created_at": DT, "updated_at": DT},
    "stream_items": {**_ID, "group": req(ref("groups")), "type": req(enum(*STREAM_TYPES)),
                     "title": req(S), "message": S, "notification_category": S,
                     "read_by": F("refs", kind="users"), "created_at": DT, "updated_at": DT},
    "tokens": {"token": req(S), "user": req(ref("users")), "expires_at": DT, "revoked": B},
}
# The order sections are read in, whatever their order in the file: ids assigned automatically
# follow document order, so users are numbered before the people ``generate`` adds.
SECTIONS = tuple(SCHEMAS)
NOUNS = {"accounts": "account", "users": "user", "admins": "admin", "courses": "course",
         "sections": "section", "enrollments": "enrollment", "group_categories": "group category",
         "groups": "group", "stream_items": "stream item", "tokens": "token"}
TYPE_MESSAGES = {"str": "expected a string", "int": "expected an integer", "bool": "expected true or false",
                 "dt": "expected an ISO 8601 date-time", "ref": "expected a key or an id"}


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


# -- generated people ------------------------------------------------------------------------

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
