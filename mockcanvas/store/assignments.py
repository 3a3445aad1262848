"""Assignments (app/models/assignment.rb / abstract_assignment.rb, app/controllers/assignments_api_controller.rb,
app/controllers/assignments_controller.rb#destroy): the table, its indexes, who may do what, create /
update / soft delete, and the live events.

What was read in canvas-lms beyond canvas-facts-assignments (modern copies):

* ``AbstractAssignment#default_values``: the title defaults to the **given** group's
  ``default_assignment_name`` (its name singularized) or "Assignment" when the request names no group
  (the group is only looked up later, ``ensure_assignment_group``: the course's first active group,
  "Assignments" made when it has none); ``position`` cannot be set to nil; ``submission_types``
  ``none``/``on_paper`` clear ``allowed_attempts``.
* ``Api::V1::Assignment#update_from_params``: ``assignment_group_id`` is looked up among the course's
  groups; **blank on update moves the assignment to the first group** (no group -> the default).
  A move to another group without a ``position`` appends it (acts_as_list, INFERRED).
* ``update_api_assignment``: ``due_at`` present (any value but JSON null) on an
  ``only_visible_to_overrides`` assignment turns that off, after the parameters.
* ``AssignmentsController#destroy``: 404 for unknown/deleted, then ``delete`` (manage_assignments_delete),
  soft delete (``workflow_state`` deleted), the JSON of the deleted assignment.
* ``AssignmentGroup#move_assignments_to`` (the seam :meth:`AssignmentOps.move_to_group`): the moved
  assignments get the group by ``update_all`` and the target group is renumbered 1..n (its own first,
  then the moved ones, each in position order): no live event (canvas-facts-assignments 9).
* ``Canvas::LiveEvents.get_assignment_data`` (modern): the body below, keys in that order, global ids
  as strings, ``description``/``title`` through ``LiveEvents.truncate`` (gems/live_events/lib/
  live_events.rb: ``String#truncate(8192, separator: " ")``, a cut at a space and "..."), ``domain``
  the request's host; no ``associated_integration_id`` (no plagiarism tools).
  Checked against the data-services examples (doc/api/data_services/json/canvas/event-types/
  assignment_created.json, assignment_updated.json; tests/data/canvas_live_event_examples.json), the
  source deciding where they differ: the code also sends ``anonymous_grading``,
  ``lti_assignment_description`` and ``resource_map`` (the examples predate them);
  ``assignment_id_duplicated_from`` is one key, null here (the assignment_updated page spells it
  with two underscores), ``domain_duplicated_from`` only on a duplicate (never here);
  ``points_possible`` is the float column (``100.0`` where the examples write ``100``); the
  ``workflow_state`` ``created`` of the assignment_created example is no assignment state.

Limitations: no classic quizzes, graded discussions or wiki pages are made for ``online_quiz``,
``discussion_topic`` or ``wiki_page`` types (``wiki_page`` is refused: no mastery paths); no
external tool tags (``external_tool_tag_attributes`` is ignored); no grading standards (an id changes
nothing, blank clears); no grading periods, blueprint locks, notifications or audit events;
``turnitin_*``/``vericite_*`` are ignored (no plugins); positions are stored as given (other
assignments are not renumbered, INFERRED).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import stringify_ids, value_to_boolean
from ..events import RequestSource, current_source
from ..timefmt import iso_utc
from . import assignment_dates
from .assignment_casts import int_cast, ruby_to_f
from .assignment_input import AssignmentInput
from .base import SortedIndex, UniqueIndex
from .live import simple_events
from .policy import MANAGE_ASSIGNMENTS

if TYPE_CHECKING:
    from . import Store
    from . import records as r
    from .assignment_groups import AssignmentGroup


@dataclass(slots=True)
class Assignment:
    id: int
    course_id: int
    assignment_group_id: int
    title: str = "Assignment"
    description: str | None = None
    due_at: datetime | None = None
    unlock_at: datetime | None = None
    lock_at: datetime | None = None
    points_possible: float | None = 0.0
    grading_type: str = "points"
    submission_types: str = "none"  # Canvas's comma-separated column
    allowed_extensions: tuple = ()
    position: int = 1  # 1-based within the assignment group
    peer_reviews: bool = False
    automatic_peer_reviews: bool = False
    peer_review_count: int = 0
    peer_reviews_assign_at: datetime | None = None
    anonymous_peer_reviews: bool = False
    intra_group_peer_reviews: bool = False
    grade_group_students_individually: bool = False
    group_category_id: int | None = None
    grading_standard_id: int | None = None
    post_to_sis: bool = False
    moderated_grading: bool = False
    grader_count: int = 0
    final_grader_id: int | None = None
    grader_comments_visible_to_graders: bool = True
    graders_anonymous_to_graders: bool = False
    grader_names_visible_to_final_grader: bool = True
    anonymous_grading: bool = False
    anonymous_instructor_annotations: bool = False
    omit_from_final_grade: bool = False
    hide_in_gradebook: bool = False
    allowed_attempts: int | None = None  # None: unlimited (the JSON says -1)
    annotatable_attachment_id: int | None = None
    only_visible_to_overrides: bool = False
    important_dates: bool = False
    sis_assignment_id: str | None = None
    integration_id: str | None = None
    integration_data: str = "{}"  # JSON text of the hash
    lti_context_id: str = ""  # a UUID made at create
    muted: bool = True  # before_create :set_muted
    post_manually: bool = False
    workflow_state: str = "unpublished"  # published | unpublished | deleted
    created_at: datetime | None = None
    updated_at: datetime | None = None


RECORDS = {"assignments": Assignment}
SIS_FORMS = {"assignments": {"sis_assignment_id": "by_sis"}}
COLUMN_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Assignment)
                   if f.default is not dataclasses.MISSING}
TRUNCATE = 8192
# the changes after which SubmissionLifecycleManager recomputes the students' rows
SYNC_FIELDS = frozenset({"due_at", "workflow_state", "only_visible_to_overrides", "group_category_id"})
FULL_SCOPE = frozenset({"read_as_admin"}) | MANAGE_ASSIGNMENTS  # Assignments::ScopedToUser: every active one
SEES_ALL = FULL_SCOPE | {"manage_grades"}  # visible_to_user? for these without the DA check


def _live(a: Assignment) -> bool:
    return a.workflow_state != "deleted"


def INDEXES() -> dict:
    return {
        "assignments": {
            # a group's active assignments in Canvas's order: position, then id
            "by_group": SortedIndex(lambda a: a.assignment_group_id if _live(a) else None,
                                    lambda a: (a.position, a.id)),
            # a course's active assignments, by id (the lists that filter or sort themselves)
            "by_course": SortedIndex(lambda a: a.course_id if _live(a) else None, lambda a: (a.id,)),
            # every assignment (deleted too) keeps its SIS id: Canvas's uniqueness covers them all
            "by_sis": UniqueIndex(lambda a: a.sis_assignment_id),
        },
    }


def lti_uuid(store: Store, rid: int) -> str:
    """A stable UUID per assignment (Canvas: ``SecureRandom.uuid`` before validation)."""
    digest = hashlib.sha1(f"{store.seed}:assignment-lti:{rid}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


# ActiveSupport's singular rules (inflections.rb), the last matching first; uncountables and irregulars
_SINGULARS = [(re.compile(p, re.I), r) for p, r in reversed([
    (r"s$", ""), (r"(ss)$", r"\1"), (r"(n)ews$", r"\1ews"), (r"([ti])a$", r"\1um"),
    (r"((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)(sis|ses)$", r"\1sis"),
    (r"(^analy)(sis|ses)$", r"\1sis"), (r"([^f])ves$", r"\1fe"), (r"(hive)s$", r"\1"), (r"(tive)s$", r"\1"),
    (r"([lr])ves$", r"\1f"), (r"([^aeiouy]|qu)ies$", r"\1y"), (r"(s)eries$", r"\1eries"),
    (r"(m)ovies$", r"\1ovie"), (r"(x|ch|ss|sh)es$", r"\1"), (r"^(m|l)ice$", r"\1ouse"), (r"(bus)(es)?$", r"\1"),
    (r"(o)es$", r"\1"), (r"(shoe)s$", r"\1"), (r"(cris|test)(is|es)$", r"\1is"), (r"^(a)x[ie]s$", r"\1xis"),
    (r"(octop|vir)(us|i)$", r"\1us"), (r"(alias|status)(es)?$", r"\1"), (r"^(ox)en", r"\1"),
    (r"(vert|ind)ices$", r"\1ex"), (r"(matr)ices$", r"\1ix"), (r"(quiz)zes$", r"\1"), (r"(database)s$", r"\1"),
])]
_UNCOUNTABLE = frozenset({"equipment", "information", "rice", "money", "species", "series", "fish", "sheep",
                          "jeans", "police"})
_IRREGULAR = {"people": "person", "men": "man", "children": "child", "sexes": "sex", "moves": "move",
              "zombies": "zombie"}


def singularize(name: str) -> str:
    """ActiveSupport's ``String#singularize`` (English): the rules act on the end of the string."""
    low = name.lower()
    if not name or low.rsplit(" ", 1)[-1] in _UNCOUNTABLE:
        return name
    for plural, single in _IRREGULAR.items():
        if low.endswith(plural):  # /(p)eople$/i -> '\1erson': the first letter keeps its case
            cut = len(name) - len(plural)
            return name[:cut + 1] + single[1:]
    for pattern, repl in _SINGULARS:
        if pattern.search(name):
            return pattern.sub(repl, name, count=1)
    return name


def default_assignment_name(group: AssignmentGroup | None) -> str:
    """``AssignmentGroup#default_assignment_name``: the group's name singularized."""
    return singularize(group.name) if group is not None and group.name else "Assignment"


class AssignmentOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    # -- lookups ---------------------------------------------------------------------------
    def find_in_course(self, course_id: int, ref: Any) -> Assignment:
        """``api_find(@context.active_assignments, id)``: deleted or foreign -> 404; ``sis_assignment_id:`` works."""
        a = self.s.find("assignments", ref)
        if a.course_id != course_id:
            raise E.NotFound()
        return a

    def in_group(self, group_id: int) -> list[Assignment]:
        """A group's active assignments in position order."""
        get = self.s.rows["assignments"].get
        return [get(i) for i in self.s.idx["assignments"]["by_group"].ids(group_id)]

    def count_in_group(self, group_id: int) -> int:
        return len(self.s.idx["assignments"]["by_group"].keys(group_id))

    def in_course(self, course_id: int) -> list[Assignment]:
        get = self.s.rows["assignments"].get
        return [get(i) for i in self.s.idx["assignments"]["by_course"].ids(course_id)]

    def next_position(self, group_id: int) -> int:
        keys = self.s.idx["assignments"]["by_group"].keys(group_id)
        return (keys[-1][0] + 1) if keys else 1

    # -- who may do what -------------------------------------------------------------------
    def rights(self, user: r.User | None, course: r.Course) -> frozenset[str]:
        return self.s.policy.course_rights(user, course)

    def full_scope(self, user: r.User | None, course: r.Course) -> bool:
        """``Assignments::ScopedToUser``: read_as_admin or a manage-assignments right lists every
        active assignment; anyone else only published ones visible to them."""
        return bool(self.rights(user, course) & FULL_SCOPE)

    def visible(self, user: r.User | None, a: Assignment) -> bool:
        """Published and assigned to the user (observers: to an observee)."""
        return a.workflow_state == "published" and assignment_dates.visible_to(self.s, a, user)

    def visible_to(self, viewer: r.User | None, course: r.Course, assignments: list[Assignment]) -> list[Assignment]:
        """The seam the group APIs use: what ``viewer`` may see of ``assignments`` (all active ones
        for staff; published and visible ones for students and observers)."""
        live = [a for a in assignments if a.workflow_state != "deleted"]
        if self.full_scope(viewer, course):
            return live
        return [a for a in live if self.visible(viewer, a)]

    def require_read(self, user: r.User | None, course: r.Course) -> None:
        """The index: course ``read`` (a student of an unpublished course has none)."""
        if not self.s.courses.can_read(user, course):
            raise E.Unauthorized()

    def require_show(self, user: r.User | None, course: r.Course, a: Assignment) -> None:
        """``authorized_action(assignment, :read)`` then ``visible_to_user?``: unpublished or
        differentiated-away assignments are unauthorized, not 404."""
        rights = self.rights(user, course)
        if "read_as_admin" in rights:
            return
        if not self.s.courses.can_read(user, course) or a.workflow_state != "published":
            raise E.Unauthorized()
        if rights & SEES_ALL:
            return
        if not assignment_dates.visible_to(self.s, a, user):
            raise E.Unauthorized()

    def require_user_visibility(self, caller: r.User | None, user: r.User, course: r.Course) -> None:
        """``user_index``'s ``require_user_visibility`` (assignments_api_controller.rb): the user
        themself, an observer of them in the course, a caller with ``view_all_grades`` when the user
        is a student of the course, or an admin of the user's account; else unauthorized."""
        if caller is None:
            raise E.Unauthorized()
        rights = self.s.policy.course_rights(caller, course)
        allowed = (
            caller.id == user.id
            or ("view_all_grades" in rights and self.s.policy.is_student(user, course.id))
            or user.id in assignment_dates.observees(self.s, course.id, caller.id)
            or self.s.policy.is_admin_of(caller, user.account_id)
        )
        if not allowed:
            raise E.Unauthorized()

    # -- writes ----------------------------------------------------------------------------
    def create(self, course: r.Course, user: r.User | None, fields: Any) -> Assignment:
        """``POST /courses/:id/assignments``: ``fields`` are the ``assignment[...]`` parameters.
        ``user`` None arranges an assignment without a permission check (tests, world files)."""
        if user is not None and "manage_assignments_add" not in self.rights(user, course):
            raise E.Unauthorized()
        if not isinstance(fields, dict) or not fields:
            raise E.ParameterMissing("assignment")
        inp = AssignmentInput(self.s, course, user, fields)
        changes = inp.changes()
        group_id = changes.pop("assignment_group_id", None)
        s = self.s
        with s.atomic():
            group = s.get("assignment_groups", group_id) if group_id is not None else None
            if "title" not in changes or changes["title"] is None:
                changes["title"] = default_assignment_name(group)
            if group is None:
                group = s.assignment_groups.require_default(course.id)
            if "position" not in changes:
                changes["position"] = self.next_position(group.id)
            now = s.now()
            rid = s.next_id("assignments")
            a = s.insert("assignments", id=rid, course_id=course.id, assignment_group_id=group.id,
                         lti_context_id=lti_uuid(s, rid), created_at=now, updated_at=now, **changes)
            if inp.overrides is not None:
                self._replace_overrides(a, inp.overrides, user)
            s.submissions.sync(a)
        return a

    def update(self, a: Assignment, user: r.User | None, fields: Any) -> Assignment:
        """``PUT /courses/:id/assignments/:id``: only the keys present change."""
        s = self.s
        course = s.get("courses", a.course_id)
        if user is not None:
            rights = self.rights(user, course)
            if self._needs_grading_permission(a, fields) and "manage_grades" not in rights:
                raise E.Unauthorized()
            if "manage_assignments_edit" not in rights:
                raise E.Unauthorized()
        if not isinstance(fields, dict) or not fields:
            raise E.ParameterMissing("assignment")
        inp = AssignmentInput(s, course, user, fields, assignment=a)
        changes = inp.changes()
        if "due_at" in fields and fields["due_at"] is not None and changes.get(
                "only_visible_to_overrides", a.only_visible_to_overrides):
            changes["only_visible_to_overrides"] = False
        with s.atomic():
            if inp.group_given:
                group_id = changes.pop("assignment_group_id", None)
                if group_id is None:
                    group_id = s.assignment_groups.require_default(course.id).id
                if group_id != a.assignment_group_id and "position" not in changes:
                    changes["position"] = self.next_position(group_id)
                changes["assignment_group_id"] = group_id
            changes = {k: v for k, v in changes.items() if getattr(a, k) != v}
            if "group_category_id" in changes:
                s.assignment_overrides.drop_group_overrides(a)
            if changes:
                changes["updated_at"] = s.now()
                s._update("assignments", a, **changes)
            elif value_to_boolean(fields.get("force_updated_at", False)):
                s._update("assignments", a, updated_at=s.now())  # a touch: no live event
            if inp.overrides is not None:
                self._replace_overrides(a, inp.overrides, user)
            if inp.overrides is not None or changes.keys() & SYNC_FIELDS:
                s.submissions.sync(a)
        return a

    def _needs_grading_permission(self, a: Assignment, fields: Any) -> bool:
        """``needs_grading_permission?``: changing points, grading type or standard once graded
        submissions exist needs the grade right (designers have none)."""
        if not isinstance(fields, dict):
            return False
        points = fields.get("points_possible")
        standard = fields.get("grading_standard_id")
        changing = (
            ("points_possible" in fields and (None if points is None else ruby_to_f(points)) != a.points_possible)
            or ("grading_type" in fields and fields["grading_type"] != a.grading_type)
            or ("grading_standard_id" in fields and int_cast(standard) != a.grading_standard_id)
        )
        return changing and self.graded_submissions_exist(a)

    def graded_submissions_exist(self, a: Assignment) -> bool:
        return a.submission_types not in ("not_graded", "wiki_page") and self.s.submissions.graded_exist(a.id)

    def _replace_overrides(self, a: Assignment, overrides: list[dict[str, Any]], actor: r.User | None) -> None:
        """``assignment[assignment_overrides]``: the overrides area replaces the set (its errors
        raise; the surrounding ``atomic`` undoes the assignment's own changes too)."""
        self.s.assignment_overrides.replace_all(a, overrides, actor=actor)

    def delete(self, a: Assignment, user: r.User | None = None) -> Assignment:
        """``AssignmentsController#destroy`` / ``AbstractAssignment#destroy``: a soft delete (one
        ``assignment_updated``); submissions stay. The group APIs call it without a user."""
        if user is not None:
            course = self.s.get("courses", a.course_id)
            if "manage_assignments_delete" not in self.rights(user, course):
                raise E.Unauthorized()
        self.s._update("assignments", a, workflow_state="deleted", updated_at=self.s.now())
        return a

    def move_to_group(self, assignment_ids: list[int], group: AssignmentGroup) -> None:
        """``move_assignments_to``: the assignments join ``group`` after its own, keeping their
        order; the target is renumbered 1..n. ``update_all``: no live events."""
        s = self.s
        moving = [s.get("assignments", i) for i in assignment_ids]
        moving = [a for a in moving if a is not None and _live(a) and a.assignment_group_id != group.id]
        if not moving:
            return
        now = s.now()
        order = self.in_group(group.id) + sorted(moving, key=lambda a: (a.position, a.id))
        moved = {a.id for a in moving}
        with s.bulk("assignments"):
            for n, a in enumerate(order, start=1):
                changes: dict[str, Any] = {"position": n}
                if a.id in moved:
                    changes.update(assignment_group_id=group.id, updated_at=now)
                s._update("assignments", a, **changes)


def live_truncate(text: str | None) -> str | None:
    """``LiveEvents.truncate`` (gems/live_events/lib/live_events.rb): Rails' ``String#truncate(8192,
    separator: " ")``, so a longer text is cut at its last space that starts within the first 8189
    characters (at 8189 when there is none) and ends with "..." (8192 characters at most)."""
    if not isinstance(text, str) or len(text) <= TRUNCATE:
        return text
    room = TRUNCATE - len("...")
    stop = text.rfind(" ", 0, room + 1)
    return text[:stop if stop >= 0 else room] + "..."


def assignment_body(store: Store, a: Assignment) -> dict[str, Any]:
    """``Canvas::LiveEvents.get_assignment_data`` (canvas-facts-assignments 9)."""
    g = store.global_id
    course = store.get("courses", a.course_id)
    body: dict[str, Any] = {
        "anonymous_grading": a.anonymous_grading,
        "assignment_group_id": g(a.assignment_group_id),
        "assignment_id": g(a.id),
        "assignment_id_duplicated_from": None,
        "context_id": g(a.course_id),
        "context_type": "Course",
        "context_uuid": course.uuid if course is not None else None,
        "created_on_blueprint_sync": False,
        "description": live_truncate(a.description),
        "due_at": iso_utc(a.due_at),
        "lti_assignment_description": live_truncate(a.description),
        "lti_assignment_id": a.lti_context_id,
        "lti_resource_link_id": None,
        "lti_resource_link_id_duplicated_from": None,
        "lock_at": iso_utc(a.lock_at),
        "points_possible": a.points_possible,
        "resource_map": None,
        "submission_types": a.submission_types,
        "title": live_truncate(a.title),
        "unlock_at": iso_utc(a.unlock_at),
        "updated_at": iso_utc(a.updated_at),
        "workflow_state": a.workflow_state,
    }
    source = current_source()
    if isinstance(source, RequestSource) and source.hostname:
        body["domain"] = source.hostname
    return stringify_ids(body)


LIVE_EVENTS = {"assignments": simple_events("assignment", assignment_body)}
OPS = ("assignments", AssignmentOps)
