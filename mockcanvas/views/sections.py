"""section_json (lib/api/v1/section.rb, modern; key order from spec/apis/v1/sections_api_spec.rb).

Base keys: ``id``, ``course_id`` (the current course), ``name``, ``start_at``, ``end_at``,
``created_at``, ``restrict_enrollments_to_section_dates`` (null until set), ``nonxlist_course_id``;
then ``sis_section_id``, ``sis_course_id``, ``integration_id`` with course read_sis / manage_sis
(teachers and admins, not TAs: the 2025 permissions, ``store.courses.sis_rights``) and
``sis_import_id`` with manage_sis; then the ``include[]`` keys:

* ``students``: user_json of every non-deleted student enrollment of the section, in enrollment
  order (``find_each``: by id), null when there is none; with ``enrollments`` each student carries
  ``enrollments: [that enrollment]`` (the enrollments area's ``enrollment_json``, no ``user`` key); ``avatar_url`` adds avatars when the account enables them;
* ``total_students``: users with an active, invited or pending student enrollment;
* ``passback_status``: null (the mock keeps no grade passback);
* ``permissions``: ``{"manage_calendar": bool}`` (teachers, TAs, designers, admins).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..store.records import Section
from .common import ViewContext, iso
from .course_users import avatars_enabled
from .enrollments import enrollment_json, roster_rights
from .users import user_json

SECTION_INCLUDES = ("students", "avatar_url", "enrollments", "total_students", "passback_status", "permissions")
CALENDAR_TYPES = frozenset({"TeacherEnrollment", "TaEnrollment", "DesignerEnrollment"})


def section_json(vc: ViewContext, section: Section, include: Iterable[str] = ()) -> dict[str, Any]:
    include = set(include)
    store = vc.store
    course = store.get("courses", section.course_id)
    sis = store.courses.sis_rights(vc.viewer, course) if course is not None else frozenset()
    data: dict[str, Any] = {
        "id": section.id,
        "course_id": section.course_id,
        "name": section.name,
        "start_at": iso(section.start_at),
        "end_at": iso(section.end_at),
        "created_at": iso(section.created_at),
        "restrict_enrollments_to_section_dates": section.restrict_enrollments_to_section_dates,
        "nonxlist_course_id": section.nonxlist_course_id,
    }
    if sis:
        data["sis_section_id"] = section.sis_section_id
        data["sis_course_id"] = course.sis_course_id if course is not None else None
        data["integration_id"] = section.integration_id
    if "manage_sis" in sis:
        data["sis_import_id"] = section.sis_import_id
    if "students" in include and course is not None:
        rights = roster_rights(vc, course)
        user_inc = {"avatar_url"} & include if avatars_enabled(vc, course) else set()
        students = []
        for e in store.sections.student_enrollments(section):
            user = store.get("users", e.user_id)
            if user is None:
                continue
            item = user_json(vc, user, rights=rights, include=user_inc)
            if "enrollments" in include:
                item["enrollments"] = [enrollment_json(vc, e, course, rights)]
            students.append(item)
        data["students"] = students or None
    if "total_students" in include:
        data["total_students"] = store.sections.total_students(section)
    if "passback_status" in include:
        data["passback_status"] = None
    if "permissions" in include:
        data["permissions"] = {"manage_calendar": _manage_calendar(vc, section)}
    return data


def _manage_calendar(vc: ViewContext, section: Section) -> bool:
    """CourseSection :manage_calendar: account admins, and an active teacher / TA / designer
    enrollment in the course (limited to this section when section-limited)."""
    viewer = vc.viewer
    if viewer is None:
        return False
    course = vc.store.get("courses", section.course_id)
    if course is None:
        return False
    if vc.store.policy.is_admin_of(viewer, course.account_id):
        return True
    return any(e.type in CALENDAR_TYPES and (not getattr(e, "limit_privileges_to_course_section", False)
                                            or e.course_section_id == section.id)
               for e in vc.store.policy.enrollments(viewer.id, course.id))
