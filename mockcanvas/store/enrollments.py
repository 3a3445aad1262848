"""Enrollments (app/models/enrollment.rb, enrollment_state.rb, role.rb; Course#enroll_user in
app/models/course.rb): the table, its indexes, course roles, and the rules of the Enrollments API
(app/controllers/enrollments_api_controller.rb), as canvas-facts-enrollments-sections sections 1-4
and 6 give them.

* Roles: Canvas inserts one set of built-in roles per root account, in ``Role::BASE_TYPES`` order,
  with consecutive ids (observed 2025: Student 4, Teacher 5): :data:`ROLE_IDS` from
  :data:`FIRST_ROLE_ID`. Custom course roles are rows of the ``roles`` table (:class:`Role`, from a
  world file's ``roles``); an enrollment in a built-in role has ``role_id`` None.
* ``enrollment_state`` in JSON is the raw workflow state; :meth:`EnrollmentOps.effective_state` is
  EnrollmentState's date-based one (``pending_invited``/``pending_active`` before the start,
  ``inactive`` for staff before it, ``completed`` after the end or in a concluded course), from
  the enrollment's own dates, else the course's when ``restrict_enrollments_to_course_dates``,
  else the term's. It drives accept/reject, ``users/self/enrollments`` and the state live events.
* Reuse on create (``allow_multiple_enrollments``): the same (user, type, role, associated user,
  section) gives the same enrollment back, a deleted one revived.
* Live events (lib/canvas/live_events.rb ``get_enrollment_data`` / ``enrollment_state_*``):
  ``enrollment_created`` + ``enrollment_state_created`` on insert; ``enrollment_updated`` on an
  update of a real field, + ``enrollment_state_updated`` when the date-based state or its dates
  changed. Global ids; ``associated_user_id`` only on observer enrollments (modern code; the docs
  example shows it on a student).

The roster order (type string, user's sortable name, id) is kept per course and per section by
:class:`RosterIndex`, which also hears user renames (an index on the users table), so a page of a
10,000-student course costs O(page).

Limitations: one set of built-in role ids for every root account; roles are never created through
the API (Roles API not built); no role overrides (a custom role has its base type's rights); no
linked observers (User Observees API), no appointment-group or score side effects; the
EnrollmentState is never recalculated by time passing alone (no background job): a state event
comes only with a write; a term's per-type date overrides are not read.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Hashable, Iterator
from copy import copy
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..coerce import stringify_ids
from ..timefmt import iso_utc
from . import records as r
from .base import SortedIndex, fold
from .live import fires

if TYPE_CHECKING:
    from . import Store

FIRST_ROLE_ID = 2
BASE_TYPES = ("AccountAdmin", "AccountMembership", "StudentEnrollment", "TeacherEnrollment", "TaEnrollment",
              "DesignerEnrollment", "ObserverEnrollment", "NoPermissions")
ROLE_IDS = {t: FIRST_ROLE_ID + i for i, t in enumerate(BASE_TYPES)}
ROLE_TYPES = {v: k for k, v in ROLE_IDS.items()}
COURSE_TYPES = r.ENROLLMENT_TYPES  # Role::ENROLLMENT_TYPES
FIRST_CUSTOM_ROLE_ID = FIRST_ROLE_ID + len(BASE_TYPES)


def role_id(etype: str) -> int | None:
    """The built-in role's id (a StudentViewEnrollment uses the Student role)."""
    return ROLE_IDS.get("StudentEnrollment" if etype == "StudentViewEnrollment" else etype)


@dataclass(slots=True)
class Role:
    """A custom course role (app/models/role.rb): usable in its account and the sub-accounts."""

    id: int
    name: str
    base_role_type: str
    account_id: int
    workflow_state: str = "active"  # active | inactive | deleted
    created_at: datetime | None = None


# -- the roster order, kept through user renames ---------------------------------------------------
class _Names:
    """user id -> folded sortable name, shared by the rosters and told of renames."""

    __slots__ = ("names", "rosters")

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self.rosters: list[RosterIndex] = []


class UserNames:
    """An index on the users table: keeps the sortable names the rosters sort by."""

    __slots__ = ("shared",)

    def __init__(self, shared: _Names) -> None:
        self.shared = shared

    def add(self, user: r.User) -> None:
        new = fold(user.sortable_name)
        old = self.shared.names.get(user.id)
        self.shared.names[user.id] = new
        if old != new:
            for roster in self.shared.rosters:
                roster.rename(user.id)

    def remove(self, user: r.User) -> None:
        pass  # the name stays until add() gives the new one

    def clear(self) -> None:
        pass  # rebuild_indexes re-adds every user


class RosterIndex:
    """bucket (a course or a section) -> sorted keys ``(type, folded sortable name, id)``: Canvas's
    enrollments index order. Each enrollment's key is remembered, so a rename moves it."""

    __slots__ = ("bucket", "shared", "buckets", "placed", "of_user")

    def __init__(self, bucket, shared: _Names) -> None:
        self.bucket = bucket
        self.shared = shared
        self.buckets: dict[Hashable, list[tuple]] = {}
        self.placed: dict[int, tuple[Hashable, tuple]] = {}
        self.of_user: dict[int, set[int]] = {}
        shared.rosters.append(self)

    def add(self, e: r.Enrollment) -> None:
        b = self.bucket(e)
        if b is None:
            return
        key = (e.type, self.shared.names.get(e.user_id, ""), e.id)
        insort(self.buckets.setdefault(b, []), key)
        self.placed[e.id] = (b, key)
        self.of_user.setdefault(e.user_id, set()).add(e.id)

    def remove(self, e: r.Enrollment) -> None:
        found = self.placed.pop(e.id, None)
        if found is None:
            return
        b, key = found
        keys = self.buckets.get(b, [])
        i = bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            del keys[i]
        mine = self.of_user.get(e.user_id)
        if mine is not None:
            mine.discard(e.id)

    def rename(self, user_id: int) -> None:
        name = self.shared.names.get(user_id, "")
        for eid in list(self.of_user.get(user_id, ())):
            b, key = self.placed[eid]
            keys = self.buckets[b]
            i = bisect_left(keys, key)
            if i < len(keys) and keys[i] == key:
                del keys[i]
            new = (key[0], name, eid)
            insort(keys, new)
            self.placed[eid] = (b, new)

    def keys(self, bucket: Hashable) -> list[tuple]:
        return self.buckets.get(bucket, [])

    def clear(self) -> None:
        self.buckets.clear()
        self.placed.clear()
        self.of_user.clear()


def roster_ids(keys: list[tuple], after: tuple | None, types: frozenset[str] | None) -> Iterator[int]:
    """The ids of ``keys`` (sorted roster keys) after the bookmark ``after``, only of ``types`` if
    given: each type's run is found by bisection, so a type filter skips the other types' rows."""
    start = 0 if after is None else bisect_right(keys, after)
    if types is None:
        for i in range(start, len(keys)):
            yield keys[i][-1]
        return
    for t in sorted(types):
        lo = max(start, bisect_left(keys, (t,)))
        for i in range(lo, len(keys)):
            k = keys[i]
            if k[0] != t:
                break
            yield k[-1]


# -- live events -----------------------------------------------------------------------------------
def enrollment_event_body(store: Store, e: r.Enrollment) -> dict[str, Any]:
    """get_enrollment_data (lib/canvas/live_events.rb): global ids as strings."""
    g = store.global_id
    user = store.get("users", e.user_id)
    course = store.get("courses", e.course_id)
    body: dict[str, Any] = {
        "enrollment_id": g(e.id), "course_id": g(e.course_id), "course_uuid": course.uuid if course else None,
        "user_id": g(e.user_id), "user_uuid": user.uuid if user else None,
        "user_name": user.name if user else None, "type": e.type,
        "created_at": iso_utc(e.created_at), "updated_at": iso_utc(e.updated_at or e.created_at),
        "limit_privileges_to_course_section": e.limit_privileges_to_course_section,
        "course_section_id": g(e.course_section_id), "workflow_state": e.workflow_state,
    }
    if e.type == "ObserverEnrollment":
        body["associated_user_id"] = g(e.associated_user_id)
    return stringify_ids(body)


def enrollment_state_body(store: Store, e: r.Enrollment, state: tuple[str, datetime | None]) -> dict[str, Any]:
    """enrollment_state_created/_updated: the date-based state of EnrollmentState."""
    name, valid_until = state
    return stringify_ids({
        "enrollment_id": store.global_id(e.id), "state": name,
        "state_started_at": iso_utc(e.updated_at or e.created_at), "state_is_current": True,
        "state_valid_until": iso_utc(valid_until), "restricted_access": False, "access_is_current": True,
    })


STATE_INPUTS = frozenset({"workflow_state", "start_at", "end_at", "type", "course_id", "course_section_id"})


def enrollment_events(store: Store, e: r.Enrollment, changed: dict[str, tuple[Any, Any]] | None
                      ) -> list[tuple[str, dict[str, Any]]]:
    ops = store.enrollments
    if changed is None:
        return [("enrollment_created", enrollment_event_body(store, e)),
                ("enrollment_state_created", enrollment_state_body(store, e, ops.state_row(e)))]
    out = []
    if fires(changed):
        out.append(("enrollment_updated", enrollment_event_body(store, e)))
    if changed.keys() & STATE_INPUTS:
        before = copy(e)
        for k, (old, _) in changed.items():
            setattr(before, k, old)
        now_state = ops.state_row(e)
        if ops.state_row(before) != now_state:
            out.append(("enrollment_state_updated", enrollment_state_body(store, e, now_state)))
    return out


# -- the area's declarations (mockcanvas.store.registry) -----------------------------------------
# the rules import this module's roles and helpers: imported last, once they are defined
from .enrollment_rules import EnrollmentOps  # noqa: E402

RECORDS = {"enrollments": r.Enrollment, "roles": Role}
OPS = ("enrollments", EnrollmentOps)
enrollment_events.names = ("enrollment_created", "enrollment_updated",  # type: ignore[attr-defined]
                          "enrollment_state_created", "enrollment_state_updated")
LIVE_EVENTS = {"enrollments": enrollment_events}


def INDEXES() -> dict:
    names = _Names()
    return {
        "enrollments": {
            "by_course": SortedIndex(lambda e: e.course_id, lambda e: (e.id,)),
            "by_user": SortedIndex(lambda e: e.user_id, lambda e: (e.id,)),
            # Canvas's index order per course and per section (every state: filtered when read)
            "roster_by_course": RosterIndex(lambda e: e.course_id, names),
            "roster_by_section": RosterIndex(lambda e: e.course_section_id, names),
        },
        "users": {"enrollment_names": UserNames(names)},
        "roles": {"by_account": SortedIndex(lambda x: x.account_id, lambda x: (x.id,))},
    }

