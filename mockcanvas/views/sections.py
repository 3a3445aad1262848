"""section_json (lib/api/v1/section.rb)."""

from __future__ import annotations

from typing import Any

from ..store.records import Section
from .common import ViewContext, iso, reads_sis


def section_json(vc: ViewContext, section: Section) -> dict[str, Any]:
    rights = vc.context_rights("Course", section.course_id)
    course = vc.store.get("courses", section.course_id)
    data: dict[str, Any] = {
        "id": section.id,
        "course_id": section.course_id,
        "name": section.name,
        "start_at": None,
        "end_at": None,
        "created_at": iso(section.created_at),
        "restrict_enrollments_to_section_dates": False,
        "nonxlist_course_id": None,
    }
    if reads_sis(rights):
        data["sis_section_id"] = section.sis_section_id
        data["sis_course_id"] = course.sis_course_id if course else None
        data["integration_id"] = None
    if "manage_sis" in rights:
        data["sis_import_id"] = None
    return data
