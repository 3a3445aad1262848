"""The assignment overrides area of a world file: ``assignment_overrides`` of assignments.

Fields (AssignmentOverride's columns, see ``mockcanvas/store/assignment_overrides.py``):
``assignment`` (**required**), exactly one of ``students`` (user references: an ADHOC override; each
a student of the assignment's course, in no other ADHOC override of the assignment), ``section`` (a
section of the course) or ``group`` (a group of the assignment's group category), at most one
override per section or group of an assignment; ``title`` (ADHOC only: default "1 student" /
"N students"; a section or group override is titled after it); ``due_at``, ``unlock_at``,
``lock_at`` (a date given is overridden; ``clear: [due_at, ...]`` overrides a date with none);
``workflow_state`` (``active`` | ``deleted``), ``created_at``, ``updated_at``. ``all_day`` and
``all_day_date`` follow the due date as Canvas sets them (23:59 in the course's ``time_zone``, UTC
when it has none).
"""

from __future__ import annotations

from ..store.assignment_override_input import all_day_for
from .fields import DT, ID, F, S, enum, ref, refs, req
from .loader import Loader, Section

DATES = ("due_at", "unlock_at", "lock_at")
OVERRIDE_FIELDS = {**ID, "assignment": req(ref("assignments")), "students": refs("users"),
                   "section": ref("sections"), "group": ref("groups"), "title": S, "due_at": DT,
                   "unlock_at": DT, "lock_at": DT, "clear": F("strs"), "workflow_state": enum("active", "deleted"),
                   "created_at": DT, "updated_at": DT}
NOT_STUDENT = frozenset({"deleted"})  # a student enrollment in any other state counts (Canvas: all students)


def _students_of(loader: Loader) -> set[tuple[int, int]]:
    """(user id, course id) of every student enrollment that is not deleted."""
    out = set()
    for e in loader.items["enrollments"]:
        row = e.row
        if row is not None and not isinstance(row, dict) and row.type == "StudentEnrollment" \
                and row.workflow_state not in NOT_STUDENT:
            out.add((row.user_id, row.course_id))
    return out


def build_assignment_overrides(loader: Loader) -> None:
    students_of: set[tuple[int, int]] | None = None
    taken: set[tuple[int, str, int]] = set()  # (assignment, set type, set id) of live overrides
    adhoc: set[tuple[int, int]] = set()  # (assignment, student) of live ADHOC overrides
    err = loader.err
    for it in loader.items["assignment_overrides"]:
        f = it.f
        assignment = loader.resolve(it, "assignment", "assignments")
        targets = [k for k in ("students", "section", "group") if k in f]
        if len(targets) != 1:
            err(it.file, it.path, "needs exactly one of students, section, group")
            continue
        if assignment is None or not assignment.row:
            continue
        course_id, live = assignment.row["course_id"], f.get("workflow_state", "active") != "deleted"
        kind = targets[0]
        row = {"assignment_id": assignment.id, "course_id": course_id}
        if kind == "students":
            if students_of is None:
                students_of = _students_of(loader)
            ids = []
            for i, value in enumerate(f["students"]):
                where = f"{it.at('students')}[{i}]"
                user = loader.resolve(it, "student", "users", value, where)
                if user is None:
                    continue
                if (user.id, course_id) not in students_of:
                    err(it.file, where, f"{user.label} is not a student of the assignment's course")
                elif user.id in ids:
                    err(it.file, where, f"{user.label} is listed twice")
                elif live and (assignment.id, user.id) in adhoc:
                    err(it.file, where, f"{user.label} already belongs to an assignment override")
                else:
                    ids.append(user.id)
            if not f["students"]:
                err(it.file, it.at("students"), "must not be empty")
            if live:
                adhoc.update((assignment.id, u) for u in ids)
            row.update(set_type="ADHOC", set_id=None, student_ids=tuple(ids),
                       title=f.get("title") or (f"{len(ids)} student" + ("" if len(ids) == 1 else "s")))
        else:
            target = loader.resolve(it, kind, "sections" if kind == "section" else "groups")
            if target is None or not target.row:
                continue
            if kind == "section":
                if target.row["course_id"] != course_id:
                    err(it.file, it.at("section"), f"{target.label} is not a section of the assignment's course")
                set_type = "CourseSection"
            else:
                category = assignment.row.get("group_category_id")
                if category is None or target.row.get("group_category_id") != category:
                    err(it.file, it.at("group"), f"{target.label} is not in the assignment's group category")
                set_type = "Group"
            if live and (assignment.id, set_type, target.id) in taken:
                err(it.file, it.at(kind), f"{assignment.label} already has an override for {target.label}")
            if live:
                taken.add((assignment.id, set_type, target.id))
            row.update(set_type=set_type, set_id=target.id, title=target.row["name"])
            if "title" in f:
                err(it.file, it.at("title"), "only an override of students has a title of its own")
        cleared = f.get("clear", [])
        for i, name in enumerate(cleared):
            if name not in DATES:
                err(it.file, f"{it.at('clear')}[{i}]", "must be one of: " + ", ".join(DATES))
            elif name in f:
                err(it.file, f"{it.at('clear')}[{i}]", f"{name} is given a date too")
        for name in DATES:
            if name in f or name in cleared:
                row[name] = f.get(name)
                row[f"{name}_overridden"] = True
        if row.get("due_at") is not None:
            course = loader.by_id["courses"].get(course_id)
            zone = (course.f.get("time_zone") if course is not None and course.f else None) or "Etc/UTC"
            row["all_day"], row["all_day_date"] = all_day_for(row["due_at"], zone, (None, False, None))
        it.row = row
        loader.copy(it, "workflow_state", "created_at", "updated_at")


SECTIONS = (Section("assignment_overrides", OVERRIDE_FIELDS, noun="assignment override",
                    table="assignment_overrides", build=build_assignment_overrides),)
