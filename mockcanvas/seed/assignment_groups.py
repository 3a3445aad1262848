"""The assignment groups area of a world file: ``assignment_groups`` of courses.

Fields (AssignmentGroup's columns, see ``mockcanvas/store/assignment_groups.py``): ``course``
(**required**), ``name`` ("Assignments"), ``position`` (default: after the course's groups listed
before it), ``group_weight`` (a number, 0), ``rules`` (``{drop_lowest, drop_highest, never_drop}``:
counts of at least 0 and assignment references; each drop count at most the number of the group's
assignments that are not deleted, checked by the ``assignments`` section), ``sis_source_id``,
``integration_data`` (a mapping of names to scalars), ``workflow_state`` (``available`` |
``deleted``), ``created_at``, ``updated_at``.
"""

from __future__ import annotations

import json

from .fields import DT, ID, NUM, SETTINGS, F, S, enum, integer, ref, refs, req
from .loader import Loader, Section

RULES = {"drop_lowest": integer(0), "drop_highest": integer(0), "never_drop": refs("assignments")}
GROUP_FIELDS = {**ID, "course": req(ref("courses")), "name": S, "position": integer(), "group_weight": NUM,
                "rules": F("subs", schema=RULES), "sis_source_id": S, "integration_data": SETTINGS,
                "workflow_state": enum("available", "deleted"), "created_at": DT, "updated_at": DT}


def build_assignment_groups(loader: Loader) -> None:
    bottom: dict[int, int] = {}  # course id -> the largest position given so far (acts_as_list)
    for it in loader.items["assignment_groups"]:
        course = loader.resolve(it, "course", "courses")
        if course is None:
            continue
        name = it.f.get("name", "")
        if not name.strip():
            name = "Assignments"
        elif len(name) > 255:
            loader.err(it.file, it.at("name"), "is too long (maximum is 255 characters)")
        position = it.f.get("position")
        if position is None:
            position = bottom.get(course.id, 0) + 1
        if it.f.get("workflow_state") != "deleted":
            bottom[course.id] = max(bottom.get(course.id, 0), position)
        it.row = {"course_id": course.id, "name": name, "position": position,
                  "group_weight": it.f.get("group_weight", 0.0),
                  "integration_data": json.dumps(dict(it.f.get("integration_data", ())), ensure_ascii=False)}
        loader.copy(it, "sis_source_id", "workflow_state", "created_at", "updated_at")
        rules = it.f.get("rules")
        if rules is not None:
            (given,) = rules
            text = [f"{k}:{given[k]}\n" for k in ("drop_lowest", "drop_highest") if k in given]
            for i, value in enumerate(given.get("never_drop", ())):
                target = loader.resolve(it, "never_drop", "assignments", value, f"{it.at('rules')}.never_drop[{i}]")
                if target is not None:
                    text.append(f"never_drop:{target.id}\n")
            it.row["rules"] = "".join(text)
            it.r["rules"] = given


SECTIONS = (Section("assignment_groups", GROUP_FIELDS, noun="assignment group", table="assignment_groups",
                    build=build_assignment_groups),)
