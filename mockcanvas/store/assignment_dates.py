"""The dates and visibility a user sees of an assignment: ``AssignmentOverrideApplicator``
(lib/assignment_override_applicator.rb), ``DatesOverridable`` (app/models/concerns/dates_overridable.rb)
and differentiated assignments (canvas-facts-assignments sections 5.4 and 5.5).

Which overrides apply (``overrides_for``, ``overrides_for_assignment_and_user``):

* callers with read_as_admin on the course (teachers, TAs, designers, admins): every active
  override, section, group and course ones first, then ADHOC ones (id order within each);
* a student: their ADHOC override, then the overrides of their groups in the assignment's group
  category (accepted memberships of live groups), of their sections (enrollments in any state but
  deleted or rejected), and the course ("Everyone") override when they are enrolled -- that
  priority order;
* an observer with observees (active observer enrollments whose observed student is enrolled): the
  union of what applies to each observee; without observees, as a student of their own sections.

The 2024+ ``unassign_item`` (``assignment_overridden_for``): the overrides from the first
unassigning one on (in priority order) are ignored for dates.

Per field, among the applicable overrides that override it (the base only when none does): due_at
null if any is null, else the latest; unlock_at the same with the earliest, leaving out non-ADHOC
overrides whose ``lock_at`` has passed (``availability_expired?``); lock_at as due_at. Callers with
read_as_admin and a manage-assignments right then see the later of the base due date and that one
(null if either is), unless every active section of the course has a section override.

``ADHOC_FIRST``: the modern ``select_override`` (lib/assignment_override_applicator.rb, 2024-25:
``if (adhoc_override = overrides.detect(&:adhoc?))``) lets a student's ADHOC override win every field
it overrides, before the null and latest/earliest rules. canvas-facts-assignments 5.4 read an older
copy without that step and calls the rules stable; the source says otherwise, so the mock follows
the modern copy (set it False for the older rule).

Visibility (``visible_to``): read_as_admin sees everything; a student (observer: any observee) sees
an assignment when their ADHOC override assigns it (an ADHOC ``unassign_item`` hides it), else not
when a section override of theirs unassigns it, else when it is not ``only_visible_to_overrides`` or
some override of theirs (section, group, course) assigns it. The unassign rules are INFERRED from
the 2024+ AssignmentVisibility service (not read).

Limitations: the deprioritized section overrides of non-active enrollments (a 2024 feature flag),
module overrides and override versions are not modelled; ``all_dates`` is the 2023-2024
``dates_hash_visible_to`` (a base entry without a title; the 2025 "Everyone" / "Everyone else"
titles are not built).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..timefmt import as_utc, iso_utc
from .policy import MANAGE_ASSIGNMENTS

if TYPE_CHECKING:
    from . import Store
    from .assignment_overrides import AssignmentOverride
    from .assignments import Assignment
    from .records import User

ADHOC_FIRST = True
ALL_DATES_LIMIT = 25  # ALL_DATES_LIMIT / assignment_all_dates_too_many_threshold: all_dates_count instead
GONE_STUDENT_STATES = frozenset({"rejected", "completed", "deleted", "inactive"})
GONE = frozenset({"rejected", "deleted"})
STUDENT_TYPES = frozenset({"StudentEnrollment", "StudentViewEnrollment"})


# -- who ---------------------------------------------------------------------------------------
def _active(store: Store, assignment_id: int) -> list[AssignmentOverride]:
    get = store.rows["assignment_overrides"].get
    return [get(i) for i in store.idx["assignment_overrides"]["by_assignment"].ids(assignment_id)]


def _rights(store: Store, a: Assignment, user: User) -> frozenset[str]:
    course = store.get("courses", a.course_id)
    return store.policy.course_rights(user, course) if course is not None else frozenset()


def observees(store: Store, course_id: int, user_id: int) -> list[int]:
    """``ObserverEnrollment.observed_students``: the students the user observes in the course
    through an active observer enrollment, who are enrolled there themselves."""
    out: list[int] = []
    for e in store.policy.enrollments(user_id, course_id):
        sid = e.associated_user_id
        if e.type != "ObserverEnrollment" or sid is None or sid in out:
            continue
        if any(x.type == "StudentEnrollment" and x.workflow_state not in GONE_STUDENT_STATES
               for x in store.courses.enrollments_of(sid, course_id)):
            out.append(sid)
    return out


def _applying(store: Store, a: Assignment, user_id: int, active: list[AssignmentOverride]) -> list[AssignmentOverride]:
    """The overrides that apply to one student, in priority order."""
    adhoc: list[AssignmentOverride] = []
    groups: list[AssignmentOverride] = []
    sections: list[AssignmentOverride] = []
    course: list[AssignmentOverride] = []
    section_ids: set[int] | None = None
    for o in active:
        if o.set_type == "ADHOC":
            if not adhoc and user_id in o.student_ids:
                adhoc.append(o)
        elif o.set_type == "Group":
            if a.group_category_id is not None and _member(store, o.set_id, user_id, a.group_category_id):
                groups.append(o)
        elif o.set_type == "CourseSection":
            if section_ids is None:
                section_ids = {e.course_section_id for e in _enrollments(store, user_id, a.course_id)}
            if o.set_id in section_ids:
                sections.append(o)
        elif o.set_type == "Course":
            if o.set_id == a.course_id and _enrollments(store, user_id, a.course_id):
                course.append(o)
    return adhoc + groups + sections + course


def _enrollments(store: Store, user_id: int, course_id: int) -> list[Any]:
    """The user's enrollments in the course that count for overrides: any state but deleted or
    rejected (``section_overrides`` leaves out deleted ones; EffectiveDueDates rejected ones too)."""
    return [e for e in store.courses.enrollments_of(user_id, course_id) if e.workflow_state not in GONE]


def _member(store: Store, group_id: int | None, user_id: int, category_id: int) -> bool:
    group = store.get("groups", group_id) if group_id is not None else None
    if group is None or group.workflow_state == "deleted" or group.group_category_id != category_id:
        return False
    mid = store.idx["memberships"]["by_pair"].get((group_id, user_id))
    m = store.get("memberships", mid) if mid is not None else None
    return m is not None and m.workflow_state == "accepted"


def overrides_for(store: Store, a: Assignment, user: User | None) -> list[AssignmentOverride]:
    """``overrides_for_assignment_and_user`` (see the module docstring)."""
    active = _active(store, a.id)
    if not active or user is None:
        return []
    if "read_as_admin" in _rights(store, a, user):
        return ([o for o in active if o.set_type != "ADHOC"]
                + [o for o in active if o.set_type == "ADHOC" and o.student_ids])
    observed = observees(store, a.course_id, user.id)
    if not observed:
        return _applying(store, a, user.id, active)
    out: list[AssignmentOverride] = []
    for sid in observed:
        for o in _applying(store, a, sid, active):
            if o not in out:
                out.append(o)
    return out


# -- dates -------------------------------------------------------------------------------------
def _until_unassigned(overrides: list[AssignmentOverride]) -> list[AssignmentOverride]:
    for i, o in enumerate(overrides):
        if o.unassign_item:
            return overrides[:i]
    return overrides


def _select(overrides: list[AssignmentOverride], field: str, latest: bool, now: datetime) -> AssignmentOverride | None:
    """``select_override_by_attribute``: the override whose value of ``field`` wins, or None."""
    found = [o for o in overrides if getattr(o, f"{field}_overridden")]
    if field == "unlock_at":  # CNVS-24849: an override locked already no longer unlocks
        found = [o for o in found if o.set_type == "ADHOC" or not (
            o.lock_at_overridden and o.lock_at is not None and as_utc(o.lock_at) <= now)]
    if not found:
        return None
    if ADHOC_FIRST:
        adhoc = next((o for o in found if o.set_type == "ADHOC"), None)
        if adhoc is not None:
            return adhoc
    none = next((o for o in found if getattr(o, field) is None), None)
    if none is not None:
        return none
    pick = max if latest else min
    return pick(found, key=lambda o: as_utc(getattr(o, field)))


def dates_for(store: Store, assignment: Assignment, user: User | None) -> tuple[datetime | None, datetime | None, datetime | None]:
    """(due_at, unlock_at, lock_at) as ``user`` sees them (overrides applied, canvas-facts-assignments 5.4)."""
    a = assignment
    overrides = overrides_for(store, a, user)
    if not overrides:
        return a.due_at, a.unlock_at, a.lock_at
    applied = _until_unassigned(overrides)
    now = store.now()
    picks = [_select(applied, "due_at", True, now), _select(applied, "unlock_at", False, now),
             _select(applied, "lock_at", True, now)]
    due, unlock, lock = (getattr(o, f) if o is not None else getattr(a, f)
                         for o, f in zip(picks, ("due_at", "unlock_at", "lock_at")))
    rights = _rights(store, a, user)  # type: ignore[arg-type]  # overrides_for had a user
    if "read_as_admin" in rights and rights & MANAGE_ASSIGNMENTS:
        overridden = sorted(o.set_id for o in applied if o.set_type == "CourseSection")
        sections = sorted(store.idx["sections"]["by_course"].ids(a.course_id))
        if overridden != sections:  # teachers see the most lenient due date
            due = None if a.due_at is None or due is None else max(a.due_at, due, key=as_utc)
    return due, unlock, lock


# -- visibility --------------------------------------------------------------------------------
def _assigned(store: Store, a: Assignment, user_id: int, active: list[AssignmentOverride]) -> bool:
    if not active:
        return not a.only_visible_to_overrides
    applying = _applying(store, a, user_id, active)
    if applying and applying[0].set_type == "ADHOC":
        return not applying[0].unassign_item
    if any(o.unassign_item and o.set_type == "CourseSection" for o in applying):
        return False
    return not a.only_visible_to_overrides or any(not o.unassign_item for o in applying)


def visible_to(store: Store, assignment: Assignment, user: User | None) -> bool:
    """Differentiated assignments: may a student/observer see the assignment (published is checked
    by the caller)? Callers with read_as_admin see everything."""
    a = assignment
    if user is None:
        return not a.only_visible_to_overrides
    active = _active(store, a.id)
    if not active and not a.only_visible_to_overrides:
        return True
    if "read_as_admin" in _rights(store, a, user):
        return True
    students = observees(store, a.course_id, user.id) or [user.id]
    return any(_assigned(store, a, uid, active) for uid in students)


def visible_student_ids(store: Store, assignment: Assignment) -> list[int]:
    """The students the assignment is assigned to (ascending ids; EffectiveDueDates): every student
    (and test student) of the course whose enrollment is not rejected or deleted, unless
    ``only_visible_to_overrides``; then those an override assigns it to (ADHOC, their sections,
    their groups, a course override). Unassigning overrides take theirs out."""
    a = assignment
    get = store.rows["enrollments"].get
    students = sorted({e.user_id for e in (get(i) for i in store.idx["enrollments"]["by_course"].ids(a.course_id))
                       if e is not None and e.type in STUDENT_TYPES and e.workflow_state not in GONE})
    active = _active(store, a.id)
    if not active:
        return [] if a.only_visible_to_overrides else students
    return [uid for uid in students if _assigned(store, a, uid, active)]


# -- all_dates ---------------------------------------------------------------------------------
def override_count(store: Store, assignment: Assignment) -> int:
    """The assignment's active overrides: ``all_dates`` is given below :data:`ALL_DATES_LIMIT`,
    ``all_dates_count`` (this number) from it on."""
    return len(store.idx["assignment_overrides"]["by_assignment"].keys(assignment.id))


def _base_entry(a: Assignment) -> dict[str, Any]:
    return {"due_at": a.due_at, "unlock_at": a.unlock_at, "lock_at": a.lock_at, "base": True}


def _override_entry(o: AssignmentOverride) -> dict[str, Any]:
    # as_hash sliced to id due_at unlock_at lock_at title base set_type set_id, in that order
    return {"id": o.id, "due_at": o.due_at, "unlock_at": o.unlock_at, "lock_at": o.lock_at,
            "title": o.title, "set_type": o.set_type, "set_id": o.set_id}


def _entries(store: Store, a: Assignment, user: User | None) -> list[dict[str, Any]]:
    """``all_dates_visible_to``."""
    with_base = not a.only_visible_to_overrides
    if user is None or "read_as_admin" in _rights(store, a, user):
        out = [_override_entry(o) for o in _active(store, a.id) if o.set_type != "ADHOC" or o.student_ids]
        return out + [_base_entry(a)] if with_base else out
    observed = observees(store, a.course_id, user.id)
    if observed:
        merged: list[dict[str, Any]] = []
        for sid in observed:
            for entry in _student_entries(store, a, sid, with_base):
                if entry not in merged:
                    merged.append(entry)
        return merged
    return _student_entries(store, a, user.id, with_base)


def _student_entries(store: Store, a: Assignment, user_id: int, with_base: bool) -> list[dict[str, Any]]:
    active = _active(store, a.id)
    out = [_override_entry(o) for o in _applying(store, a, user_id, active) if not o.unassign_item]
    if with_base and not out:
        out.append(_base_entry(a))
    return out


def all_dates(store: Store, assignment: Assignment, user: User | None) -> list[dict]:
    """``DatesOverridable#dates_hash_visible_to`` (canvas-facts-assignments 5.5): JSON-ready entries
    (ids as integers, times as ISO 8601 strings), dated ones first by due date, undated last. The
    base entry is dropped when every active section of the course has a section override."""
    a = assignment
    entries = _entries(store, a, user)
    sections = sum(1 for e in entries if e.get("set_type") == "CourseSection")
    if sections and sections == len(store.idx["sections"]["by_course"].keys(a.course_id)):
        entries = [e for e in entries if not e.get("base")]
    dated = sorted((e for e in entries if e["due_at"] is not None), key=lambda e: as_utc(e["due_at"]))
    ordered = dated + [e for e in entries if e["due_at"] is None]
    return [{k: iso_utc(v) if isinstance(v, datetime) else v for k, v in e.items()} for e in ordered]
