"""The assignments area of a world file: ``assignments`` of courses, in assignment groups.

Fields (Assignment's columns, see ``mockcanvas/store/assignments.py``): ``name`` (**required**),
``course`` and ``group`` (at least one; the group must be in the course; without a group the
course's first group by position, or an "Assignments" group made for a course that has none, as
``Course#require_assignment_group`` does), ``description``, ``points_possible`` (a number from 0 to
999,999,999; null for ``not_graded`` submissions), ``grading_type``, ``submission_types`` (a list,
``[none]``), ``allowed_extensions``, ``due_at`` / ``unlock_at`` / ``lock_at`` (the due date between
the other two, to the minute, unless the assignment has overrides), ``position`` (default: after the
group's assignments listed before it), ``workflow_state`` (``published`` by default; ``unpublished``,
``deleted``), ``group_category`` (a category of the course: a group assignment) and
``grade_group_students_individually``, ``peer_reviews``, ``automatic_peer_reviews``,
``peer_review_count``, ``anonymous_peer_reviews``, ``omit_from_final_grade``, ``hide_in_gradebook``,
``only_visible_to_overrides``, ``post_to_sis``, ``sis_assignment_id`` (unique), ``integration_id``,
``allowed_attempts`` (-1 or at least 1; null unlimited), ``anonymous_grading``, ``moderated_grading``,
``grader_count``, ``important_dates``, ``created_at``, ``updated_at``.

The drop rules of the ``assignment_groups`` section are checked here, once every assignment's group
is known: each count at most the group's assignments that are not deleted.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from ..store.assignments import lti_uuid
from ..store.base import fold
from .fields import DT, ID, NUM, B, F, S, enum, integer, ref, req
from .loader import Item, Loader, Section

GRADING_TYPES = ("points", "percent", "letter_grade", "gpa_scale", "pass_fail", "not_graded")
SUBMISSION_TYPES = ("none", "on_paper", "online_quiz", "discussion_topic", "external_tool", "online_upload",
                    "online_text_entry", "online_url", "media_recording", "not_graded", "student_annotation")
MAX_POINTS = 1_000_000_000
ASSIGNMENT_FIELDS = {
    **ID, "name": req(S), "course": ref("courses"), "group": ref("assignment_groups"), "description": S,
    "points_possible": NUM, "grading_type": enum(*GRADING_TYPES), "submission_types": F("strs"),
    "allowed_extensions": F("strs"), "due_at": DT, "unlock_at": DT, "lock_at": DT, "position": integer(1),
    "workflow_state": enum("published", "unpublished", "deleted"), "group_category": ref("group_categories"),
    "grade_group_students_individually": B, "peer_reviews": B, "automatic_peer_reviews": B,
    "peer_review_count": integer(0), "anonymous_peer_reviews": B, "omit_from_final_grade": B,
    "hide_in_gradebook": B, "only_visible_to_overrides": B, "post_to_sis": B, "sis_assignment_id": S,
    "integration_id": S, "allowed_attempts": integer(-1), "anonymous_grading": B, "moderated_grading": B,
    "grader_count": integer(0), "important_dates": B, "created_at": DT, "updated_at": DT,
}
_COPIED = ("description", "due_at", "unlock_at", "lock_at", "grade_group_students_individually", "peer_reviews",
           "automatic_peer_reviews", "peer_review_count", "anonymous_peer_reviews", "omit_from_final_grade",
           "hide_in_gradebook", "only_visible_to_overrides", "post_to_sis", "sis_assignment_id", "integration_id",
           "anonymous_grading", "moderated_grading", "grader_count", "important_dates", "created_at",
           "updated_at")


def _minute(dt: datetime) -> datetime:
    return dt.replace(second=0, microsecond=0)


def _with_overrides(loader: Loader) -> set[int]:
    """The ids of the assignments the ``assignment_overrides`` section gives an override."""
    out = set()
    by_key, by_id = loader.by_key["assignments"], loader.by_id["assignments"]
    for o in loader.items.get("assignment_overrides", ()):
        ref_ = o.f.get("assignment")
        target = (by_key if isinstance(ref_, str) else by_id).get(ref_)
        if target is not None and o.f.get("workflow_state") != "deleted":
            out.add(target.id)
    return out


def _first_groups(loader: Loader) -> dict[int, Item]:
    """course id -> its first live group by position, then name, then id."""
    first: dict[int, Item] = {}
    for g in loader.items["assignment_groups"]:
        if not g.row or g.row.get("workflow_state") == "deleted":
            continue
        cid = g.row["course_id"]
        key = (g.row["position"], fold(g.row["name"]), g.id)
        have = first.get(cid)
        if have is None or key < (have.row["position"], fold(have.row["name"]), have.id):
            first[cid] = g
    return first


def build_assignments(loader: Loader) -> None:
    groups = loader.items["assignment_groups"]
    first = _first_groups(loader)
    next_group = max(loader.by_id["assignment_groups"], default=0) + 1
    overridden = _with_overrides(loader)
    slug = SimpleNamespace(seed=loader.seeds[0] if loader.seeds else 0)  # what lti_uuid reads of a store
    bottom: dict[int, int] = {}  # group id -> the largest position so far
    live_count: dict[int, int] = {}  # group id -> its assignments that are not deleted
    err = loader.err
    for it in loader.items["assignments"]:
        course = loader.resolve(it, "course", "courses")
        group = loader.resolve(it, "group", "assignment_groups")
        if group is not None and group.row:
            owner = group.r.get("course")
            if course is None and "course" not in it.f:
                course = owner
            elif course is not None and owner is not course:
                err(it.file, it.at("group"), f"{group.label} is not in {course.label}")
                continue
        if course is None:
            if "course" not in it.f and "group" not in it.f:
                err(it.file, it.at("course"), "required (or give a group)")
            continue
        if group is None and "group" not in it.f:
            group = first.get(course.id)
            if group is None:  # Course#require_assignment_group: "Assignments" is made
                group = Item("assignment_groups", it.file, it.path, {}, id=next_group,
                             row={"course_id": course.id, "name": "Assignments", "position": 1})
                group.r["course"] = course
                next_group += 1
                groups.append(group)
                first[course.id] = group
        if group is None:
            continue
        f = it.f
        state = f.get("workflow_state", "published")
        if len(f["name"]) > 255:
            err(it.file, it.at("name"), "The title cannot be longer than 255 characters")
        types = f.get("submission_types") or (["not_graded"] if f.get("grading_type") == "not_graded" else ["none"])
        for i, t in enumerate(types):
            if t not in SUBMISSION_TYPES:
                err(it.file, f"{it.at('submission_types')}[{i}]", "must be one of: " + ", ".join(SUBMISSION_TYPES))
        points = f.get("points_possible", 0.0)
        if not 0 <= points < MAX_POINTS:
            err(it.file, it.at("points_possible"), f"must be from 0 to {MAX_POINTS - 1}")
        if "not_graded" in types:  # not gradeable: no points
            points = None
        due, unlock, lock = f.get("due_at"), f.get("unlock_at"), f.get("lock_at")
        if due is not None and it.id not in overridden and (
                (unlock is not None and _minute(due) < _minute(unlock)) or
                (lock is not None and _minute(due) > _minute(lock))):
            err(it.file, it.at("due_at"), "must be between availability dates")
        attempts = f.get("allowed_attempts")
        if attempts == 0:
            err(it.file, it.at("allowed_attempts"), "must be -1 (unlimited) or at least 1")
        category = loader.resolve(it, "group_category", "group_categories")
        if category is not None and category.row and (
                category.row["context_type"] != "Course" or category.row["context_id"] != course.id):
            err(it.file, it.at("group_category"), f"{category.label} is not a group category of {course.label}")
        position = f.get("position")
        if position is None:
            position = bottom.get(group.id, 0) + 1
        if state != "deleted":
            bottom[group.id] = max(bottom.get(group.id, 0), position)
            live_count[group.id] = live_count.get(group.id, 0) + 1
        it.row = {"course_id": course.id, "assignment_group_id": group.id, "title": f["name"],
                  "points_possible": points, "grading_type": f.get("grading_type", "points"),
                  "submission_types": ",".join(types), "allowed_extensions": tuple(f.get("allowed_extensions", ())),
                  "position": position, "workflow_state": state,
                  "group_category_id": category.id if category is not None else None,
                  "allowed_attempts": None if attempts in (None, -1) else attempts,
                  "lti_context_id": lti_uuid(slug, it.id)}  # type: ignore[arg-type]
        loader.copy(it, *_COPIED)
        loader.claim(it, "sis_assignment_id", f.get("sis_assignment_id"))
    for g in groups:
        given = g.r.get("rules")
        if not given:
            continue
        count = live_count.get(g.id, 0)
        for key in ("drop_lowest", "drop_highest"):
            if given.get(key, 0) > count:
                err(g.file, f"{g.at('rules')}.{key}",
                    f"Drop rules cannot be higher than the number of assignments ({count})")


SECTIONS = (Section("assignments", ASSIGNMENT_FIELDS, noun="assignment", table="assignments",
                    build=build_assignments),)
