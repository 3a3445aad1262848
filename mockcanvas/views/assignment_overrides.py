"""The AssignmentOverride JSON (``Api::V1::AssignmentOverride#assignment_override_json``,
lib/api/v1/assignment_override.rb, modern; canvas-facts-assignments 6.3).

Keys, in order: ``id``, ``assignment_id``, ``title``, ``unassign_item``; ``due_at``, ``all_day``,
``all_day_date`` only when the due date is overridden, ``unlock_at`` / ``lock_at`` only when
overridden (each may be null); then the set: ``student_ids`` (ADHOC, in the order added),
``group_id``, ``non_collaborative``, ``group_category_id`` (a group override, titled with the
group's current name), ``course_section_id`` (titled with the section's current name) or
``course_id`` (an "Everyone" override). ``all_day`` / ``all_day_date`` were computed in the zone of
the request that set the due date.

Limitations: ``student_ids`` are every student of the override (Canvas limits them, on the list
route, to the students the caller may see: section-limited teachers are not modelled).
"""

from __future__ import annotations

from typing import Any

from ..store.assignment_overrides import AssignmentOverride
from .common import ViewContext, iso


def override_json(vc: ViewContext, override: AssignmentOverride) -> dict[str, Any]:
    o = override
    out: dict[str, Any] = {"id": o.id, "assignment_id": o.assignment_id, "title": o.title,
                           "unassign_item": o.unassign_item}
    if o.due_at_overridden:
        out["due_at"] = iso(o.due_at)
        out["all_day"] = o.all_day
        out["all_day_date"] = o.all_day_date.isoformat() if o.all_day_date else None
    if o.unlock_at_overridden:
        out["unlock_at"] = iso(o.unlock_at)
    if o.lock_at_overridden:
        out["lock_at"] = iso(o.lock_at)
    if o.set_type == "ADHOC":
        out["student_ids"] = list(o.student_ids)
    elif o.set_type == "Group":
        group = vc.store.get("groups", o.set_id)
        out["group_id"] = o.set_id
        out["non_collaborative"] = bool(group.non_collaborative) if group is not None else False
        out["group_category_id"] = group.group_category_id if group is not None else None
        if group is not None:
            out["title"] = group.name
    elif o.set_type == "CourseSection":
        section = vc.store.get("sections", o.set_id)
        out["course_section_id"] = o.set_id
        if section is not None:
            out["title"] = section.name
    elif o.set_type == "Course":
        out["course_id"] = o.set_id
    return out
