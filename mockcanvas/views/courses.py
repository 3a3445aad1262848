"""course_json and the enrollment entries it carries (lib/api/v1/course.rb, course_json.rb)."""

from __future__ import annotations

from typing import Any

from ..store.records import Course, Enrollment
from .common import ViewContext, iso, reads_sis

_ENROLLMENT_SHORT = {
    "StudentEnrollment": "student", "TeacherEnrollment": "teacher", "TaEnrollment": "ta",
    "DesignerEnrollment": "designer", "ObserverEnrollment": "observer",
}


def enrollment_stub(e: Enrollment) -> dict[str, Any]:
    return {
        "type": _ENROLLMENT_SHORT.get(e.type, e.type),
        "role": e.type,
        "role_id": list(_ENROLLMENT_SHORT).index(e.type) + 1 if e.type in _ENROLLMENT_SHORT else None,
        "user_id": e.user_id,
        "enrollment_state": e.workflow_state,
        "limit_privileges_to_course_section": False,
    }


def course_json(vc: ViewContext, course: Course) -> dict[str, Any]:
    rights = vc.context_rights("Course", course.id)
    data: dict[str, Any] = {
        "id": course.id,
        "name": course.name,
        "account_id": course.account_id,
        "uuid": course.uuid,
        "start_at": iso(course.start_at),
        "grading_standard_id": None,
        "is_public": False,
        "created_at": iso(course.created_at),
        "course_code": course.course_code,
        "default_view": "modules",
        "root_account_id": course.root_account_id,
        "enrollment_term_id": 1,
        "license": "private",
        "grade_passback_setting": None,
        "end_at": iso(course.end_at),
        "public_syllabus": False,
        "public_syllabus_to_auth": False,
        "storage_quota_mb": 500,
        "is_public_to_auth_users": False,
        "homeroom_course": False,
        "course_color": None,
        "friendly_name": None,
        "apply_assignment_group_weights": False,
        "calendar": {"ics": vc.url(f"/feeds/calendars/course_{course.uuid}.ics")},
        "time_zone": course.time_zone,
        "blueprint": False,
        "template": False,
        "enrollments": [],
        "hide_final_grades": False,
        "workflow_state": course.workflow_state,
        "restrict_enrollments_to_course_dates": False,
    }
    if reads_sis(rights):
        data["sis_course_id"] = course.sis_course_id
        data["integration_id"] = None
    if "manage_sis" in rights:
        data["sis_import_id"] = None
    if vc.viewer is not None:
        data["enrollments"] = [enrollment_stub(e) for e in vc.store.policy.enrollments(vc.viewer.id, course.id)]
    return data
