"""Assignment overrides (app/models/assignment_override.rb, app/controllers/assignment_overrides_controller.rb,
lib/api/v1/assignment_override.rb, modern): the table, who may change them, create / update / delete,
the set replacement of ``assignment[assignment_overrides][]`` and the live events.

Read from canvas-lms beyond canvas-facts-assignments sections 6-7:

* ``update_assignment_override_without_save``: an ADHOC title is the one sent, else "N students" when
  students are sent, else unchanged; a section, group or course override is always titled after its
  set (``set_title_if_needed``). Every date the request does not send is un-overridden (cleared).
  Updating the students keeps the links of the students that stay (their order), adds the new
  ones after them, drops the others.
* Nothing is saved when nothing changed; a student-only change saves no override column, so it
  records no live event but still touches the assignment (``after_save :touch_assignment``) and
  recomputes submissions (``run_if_overrides_changed_later!``).
* Model validations, in Canvas's order: ``title`` blank / too long (255), ``set_id`` taken (another
  active override of the assignment for the same section, group or course), one
  ``assignment_override_students`` "already belongs to an assignment override" per student already
  in another active ADHOC override of the assignment, ``unassign_item`` "must be false with set_type
  Course".
* ``destroy``: the ADHOC students are removed first, then ``workflow_state`` becomes ``deleted``
  (one ``assignment_override_updated``); the answer is the override as it is then (``student_ids``
  empty).
* ``batch_update_assignment_overrides`` (``assignment[assignment_overrides][]``): the listed ids are
  kept and updated, entries without a known id are created, every other active override is
  destroyed; a parameter error of any entry fails the whole set (the messages of an entry joined
  with ``,``, one ``base`` error per entry), saved nothing.
* ``validate_assignment_overrides``: a new ``group_category_id`` destroys the group overrides
  (without touching the assignment).

Live events (``get_assignment_override_data``, lib/canvas/live_events.rb): local ids, posted
through ``post_event_stringified``, so the ids are strings here (``EVENT_STRING_IDS``; the docs'
example, doc/api/data_services/json/canvas/event-types/assignment_override_created.json, shows
numbers). ``all_day_date`` is a ``date`` column (db/migrate, ``t.date :all_day_date``), sent as
``"2019-08-10"`` where the example shows a timestamp; the set's id is ``course_section_id`` or
``group_id`` by type, neither for ADHOC (the example shows a section override).

Limitations: no override versions, module overrides, ``Noop`` (mastery paths) sets, differentiation
tags (non-collaborative groups are refused as ``group_id is not valid``) or section-limited teachers
(every teacher sees every student of an ADHOC override); ``student_ids`` are looked up among the
course's students whatever the caller may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import ruby_to_i, stringify_ids
from ..timefmt import iso_utc
from . import assignment_dates
from .assignment_casts import fancy_midnight, request_zone
from .assignment_override_input import all_day_for, blank, interpret, ruby_string
from .base import SortedIndex
from .live import fires

if TYPE_CHECKING:
    from . import Store
    from . import records as r
    from .assignments import Assignment


@dataclass(slots=True)
class AssignmentOverride:
    id: int
    assignment_id: int
    course_id: int
    set_type: str  # ADHOC | CourseSection | Group | Course ("Everyone")
    set_id: int | None = None  # the section, group or course id; None for ADHOC
    title: str = ""
    student_ids: tuple = ()  # ADHOC: the students' user ids, in the order added
    due_at: datetime | None = None
    due_at_overridden: bool = False
    all_day: bool = False
    all_day_date: date | None = None
    unlock_at: datetime | None = None
    unlock_at_overridden: bool = False
    lock_at: datetime | None = None
    lock_at_overridden: bool = False
    workflow_state: str = "active"  # active | deleted
    created_at: datetime | None = None
    updated_at: datetime | None = None
    unassign_item: bool = False  # 2024+: the set is unassigned rather than given other dates


RECORDS = {"assignment_overrides": AssignmentOverride}
DATE_FIELDS = ("due_at", "unlock_at", "lock_at")
MAX_TITLE = 255
BLANK = ("blank", "blank")
TOO_LONG = ("too_long", f"is too long (maximum is {MAX_TITLE} characters)")
TAKEN = ("taken", "taken")
STUDENT_TAKEN = ("taken", "already belongs to an assignment override")
MSG_COURSE_UNASSIGN = "must be false with set_type Course"
EVENT_STRING_IDS = True  # post_event_stringified; False gives the docs' numbers
# changes that save no override column (the students are rows of their own in Canvas)
_NO_COLUMN = frozenset({"student_ids"})


def INDEXES() -> dict:
    return {
        "assignment_overrides": {
            # an assignment's active overrides, by id
            "by_assignment": SortedIndex(lambda o: o.assignment_id if o.workflow_state != "deleted" else None,
                                         lambda o: (o.id,)),
        },
    }


def title_from_students(count: int) -> str:
    return "1 student" if count == 1 else f"{count} students"


class AssignmentOverrideOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    # -- lookups ---------------------------------------------------------------------------
    def active(self, assignment_id: int) -> list[AssignmentOverride]:
        get = self.s.rows["assignment_overrides"].get
        return [get(i) for i in self.s.idx["assignment_overrides"]["by_assignment"].ids(assignment_id)]

    def for_user(self, a: Assignment, user: r.User | None) -> list[AssignmentOverride]:
        """The overrides ``user`` may see (``overrides_for_assignment_and_user``): all for callers
        with read_as_admin, non-ADHOC first; for students (observers: their observees) the ones
        that apply to them, in priority order (ADHOC, group, sections, course)."""
        return assignment_dates.overrides_for(self.s, a, user)

    def find_for(self, a: Assignment, user: r.User | None, ref: Any) -> AssignmentOverride:
        """``find_assignment_override(@assignment, params[:id])``: ``id.to_i`` among the caller's
        overrides, else 404."""
        oid = ruby_to_i(ref) if isinstance(ref, (str, int)) else 0
        for o in self.for_user(a, user):
            if o.id == oid:
                return o
        raise E.NotFound()

    def for_set(self, a: Assignment, user: r.User | None, set_type: str, set_id: int) -> AssignmentOverride:
        """The caller's override of a section or group (the alias routes), else 404."""
        for o in self.for_user(a, user):
            if o.set_type == set_type and o.set_id == set_id:
                return o
        raise E.NotFound()

    def can_edit(self, user: r.User | None, a: Assignment) -> bool:
        """Assignment :update (manage_assignments_edit, or the legacy manage_assignments)."""
        course = self.s.get("courses", a.course_id)
        rights = self.s.policy.course_rights(user, course) if course is not None else frozenset()
        return bool(rights & {"manage_assignments_edit", "manage_assignments"})

    def require_edit(self, user: r.User | None, a: Assignment) -> None:
        if not self.can_edit(user, a):
            raise E.Unauthorized()

    # -- writes ----------------------------------------------------------------------------
    def create(self, actor: r.User, a: Assignment, params: dict[str, Any]) -> AssignmentOverride:
        """AssignmentOverridesController#create (the caller's assignment :update is checked first)."""
        with self.s.lock:
            self.require_edit(actor, a)
            zone = request_zone(self.s, actor)
            data, errors = interpret(self.s, a, params.get("assignment_override"), None, actor, zone)
            if errors:
                raise E.BadRequest({"errors": errors})
            fields = self._changes(a, None, data, zone)
            self._validate(a, None, fields)
            now = self.s.now()
            o = self.s.insert("assignment_overrides", assignment_id=a.id, course_id=a.course_id,
                              created_at=now, updated_at=now, **fields)
            self._after_write(a)
            return o

    def update(self, actor: r.User, a: Assignment, o: AssignmentOverride, params: dict[str, Any]) -> AssignmentOverride:
        """AssignmentOverridesController#update: the target keeps its type; omitted dates clear."""
        with self.s.lock:
            self.require_edit(actor, a)
            zone = request_zone(self.s, actor)
            data, errors = interpret(self.s, a, params.get("assignment_override"), o.set_type, actor, zone)
            if errors:
                raise E.BadRequest({"errors": errors})
            fields = self._changes(a, o, data, zone)
            self._validate(a, o, fields)
            self._save(a, o, fields)
            return o

    def delete(self, actor: r.User, a: Assignment, o: AssignmentOverride) -> AssignmentOverride:
        """AssignmentOverridesController#destroy: a soft delete, its ADHOC students removed first."""
        with self.s.lock:
            self.require_edit(actor, a)
            self._destroy(o)
            self._after_write(a)
            return o

    def replace_all(self, a: Assignment, overrides_params: Any, *, actor: r.User | None = None) -> list[AssignmentOverride]:
        """``assignment[assignment_overrides][]`` (``batch_update_assignment_overrides``): the set
        becomes the listed one. ``overrides_params``: a list of ``assignment_override``-like hashes
        (``id`` names an existing override to keep), or Rails' ``{"0": {...}, "1": {...}}``. A
        parameter or validation error of any entry raises :class:`errors.Invalid` and saves
        nothing. ``actor``: whose zone reads naive dates and who must see a section (None: anyone)."""
        entries = _entries(overrides_params)
        if entries is None:
            raise E.Invalid.one("base", "invalid override data")
        with self.s.lock:
            zone = request_zone(self.s, actor)
            existing = {o.id: o for o in self.active(a.id)}
            wanted = {ruby_to_i(e.get("id")) for e in entries if isinstance(e, dict) and not blank(e.get("id"))}
            base_errors: list[str] = []
            plans: list[tuple[AssignmentOverride | None, dict[str, Any]]] = []
            for entry in entries:
                o = existing.get(ruby_to_i(entry.get("id"))) if isinstance(entry, dict) and \
                    not blank(entry.get("id")) else None
                data, errors = interpret(self.s, a, entry, o.set_type if o else None, actor, zone)
                if errors:
                    base_errors.append(",".join(errors))
                    continue
                plans.append((o, self._changes(a, o, data, zone)))
            if base_errors:
                raise E.Invalid({"base": base_errors})
            out: list[AssignmentOverride] = []
            with self.s.atomic():
                for o in existing.values():
                    if o.id not in wanted:
                        self._destroy(o)
                # Canvas saves the kept overrides, then the new ones
                for o, fields in sorted(plans, key=lambda plan: plan[0] is None):
                    self._validate(a, o, fields)
                    if o is None:
                        now = self.s.now()
                        o = self.s.insert("assignment_overrides", assignment_id=a.id, course_id=a.course_id,
                                          created_at=now, updated_at=now, **fields)
                    else:
                        self._save(a, o, fields, after=False)
                    out.append(o)
                self._after_write(a)
            return out

    def drop_group_overrides(self, a: Assignment) -> None:
        """``validate_assignment_overrides``: the assignment's group category changed, so its group
        overrides are destroyed (each one's event; the assignment is not touched)."""
        with self.s.lock:
            dropped = [o for o in self.active(a.id) if o.set_type == "Group"]
            for o in dropped:
                self._destroy(o)
            if dropped:
                self.s.submissions.sync(a)

    # -- the rules -------------------------------------------------------------------------
    def _changes(self, a: Assignment, o: AssignmentOverride | None, data: dict[str, Any], zone: str) -> dict[str, Any]:
        """The override's columns after ``update_assignment_override_without_save``."""
        out: dict[str, Any] = {}
        set_type = o.set_type if o is not None else data["set_type"]
        if o is None:
            out["set_type"] = set_type
            target = data.get("group") or data.get("section") or data.get("course")
            out["set_id"] = target.id if target is not None else None
        if "students" in data:
            old = o.student_ids if o is not None else ()
            keep = [uid for uid in old if uid in data["students"]]
            out["student_ids"] = tuple(keep + [uid for uid in data["students"] if uid not in keep])
        if "unassign_item" in data:
            out["unassign_item"] = bool(data["unassign_item"])
        if set_type == "ADHOC":
            title = data.get("title")
            if title is not None:
                out["title"] = ruby_string(title)
            elif "students" in data:
                out["title"] = title_from_students(len(data["students"]))
            elif o is None:
                out["title"] = "No Title"
        else:
            target = data.get("group") or data.get("section") or data.get("course") or self._set_of(o)
            out["title"] = target.name if target is not None else (o.title if o is not None else "No Title")
        for field in DATE_FIELDS:
            overridden = field in data
            value = data.get(field) if overridden else None
            if field in ("due_at", "lock_at"):
                value = fancy_midnight(value, zone)
            out[f"{field}_overridden"] = overridden
            out[field] = value
        was = (o.due_at, o.all_day, o.all_day_date) if o is not None else (None, False, None)
        out["all_day"], out["all_day_date"] = all_day_for(out["due_at"], zone, was)
        return out

    def _set_of(self, o: AssignmentOverride | None) -> Any:
        if o is None or o.set_id is None:
            return None
        table = {"CourseSection": "sections", "Group": "groups", "Course": "courses"}.get(o.set_type)
        return self.s.get(table, o.set_id) if table else None

    def _validate(self, a: Assignment, o: AssignmentOverride | None, fields: dict[str, Any]) -> None:
        errs = E.Invalid()
        title = fields.get("title", o.title if o is not None else "")
        set_type = fields.get("set_type", o.set_type if o is not None else None)
        set_id = fields.get("set_id", o.set_id if o is not None else None)
        if blank(title):
            errs.add("title", BLANK)
        elif len(title) > MAX_TITLE:
            errs.add("title", TOO_LONG)
        others = [x for x in self.active(a.id) if o is None or x.id != o.id]
        if set_type != "ADHOC" and any(x.set_type == set_type and x.set_id == set_id for x in others):
            errs.add("set_id", TAKEN)
        if "student_ids" in fields:
            taken = {uid for x in others if x.set_type == "ADHOC" for uid in x.student_ids}
            mine = set(o.student_ids) if o is not None else set()
            for uid in fields["student_ids"]:
                if uid in taken and uid not in mine:
                    errs.add("assignment_override_students", STUDENT_TAKEN)
        if set_type == "Course" and fields.get("unassign_item", o.unassign_item if o is not None else False):
            errs.add("unassign_item", MSG_COURSE_UNASSIGN)
        if errs.errors:
            raise errs

    def _save(self, a: Assignment, o: AssignmentOverride, fields: dict[str, Any], *, after: bool = True) -> None:
        changed = {k: v for k, v in fields.items() if getattr(o, k) != v}
        if not changed:
            return
        if changed.keys() - _NO_COLUMN:
            changed["updated_at"] = self.s.now()
        self.s._update("assignment_overrides", o, **changed)
        if after:
            self._after_write(a)

    def _destroy(self, o: AssignmentOverride) -> None:
        self.s._update("assignment_overrides", o, student_ids=(), workflow_state="deleted",
                       updated_at=self.s.now())

    def _after_write(self, a: Assignment) -> None:
        """``touch_assignment`` (no assignment event: only updated_at changes) and the
        submissions of the students it is now assigned to."""
        self.s._update("assignments", a, updated_at=self.s.now())
        self.s.submissions.sync(a)


def _entries(value: Any) -> list[Any] | None:
    """``deserialize_overrides``: a list, or a hash whose keys are 0..n-1; None for anything else."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        keys = list(value)
        # a Rails-style index hash ({"0": ..., "1": ...}); ASCII digits of bounded length only
        if not all(isinstance(k, str) and k.isascii() and k.isdigit() and len(k) < 10 for k in keys):
            return None
        order = sorted(keys, key=int)
        if [int(k) for k in order] != list(range(len(order))):
            return None
        return [value[k] for k in order]
    return None


def override_event_body(store: Store, o: AssignmentOverride) -> dict[str, Any]:
    """get_assignment_override_data (lib/canvas/live_events.rb): local ids."""
    body: dict[str, Any] = {
        "assignment_override_id": o.id,
        "assignment_id": o.assignment_id,
        "due_at": iso_utc(o.due_at),
        "all_day": o.all_day,
        "all_day_date": o.all_day_date.isoformat() if o.all_day_date else None,
        "unlock_at": iso_utc(o.unlock_at),
        "lock_at": iso_utc(o.lock_at),
        "type": o.set_type,
        "workflow_state": o.workflow_state,
    }
    if o.set_type == "CourseSection":
        body["course_section_id"] = o.set_id
    elif o.set_type == "Group":
        body["group_id"] = o.set_id
    return stringify_ids(body) if EVENT_STRING_IDS else body


def override_events(store: Store, o: AssignmentOverride, changed: dict[str, tuple[Any, Any]] | None) -> list[tuple[str, dict[str, Any]]]:
    """Created after an insert; updated after a change of an override column (a soft delete
    too): a change of the students alone saves no column in Canvas."""
    if changed is None:
        return [("assignment_override_created", override_event_body(store, o))]
    real = {k: v for k, v in changed.items() if k not in _NO_COLUMN}
    if real and fires(real):
        return [("assignment_override_updated", override_event_body(store, o))]
    return []


override_events.names = ("assignment_override_created", "assignment_override_updated")  # type: ignore[attr-defined]

OPS = ("assignment_overrides", AssignmentOverrideOps)
LIVE_EVENTS = {"assignment_overrides": override_events}
