"""course_json, section_json and account_json (lib/api/v1/course.rb, section.rb, account.rb)."""

from __future__ import annotations

from typing import Any

from ..store.records import Account, Course, Enrollment, Section
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


def account_json(vc: ViewContext, account: Account) -> dict[str, Any]:
    rights = vc.context_rights("Account", account.id)
    data: dict[str, Any] = {
        "id": account.id,
        "name": account.name,
        "workflow_state": account.workflow_state,
        "parent_account_id": account.parent_account_id,
        "root_account_id": account.root_account_id,
        "uuid": account.uuid,
        "default_storage_quota_mb": 500,
        "default_user_storage_quota_mb": 50,
        "default_group_storage_quota_mb": vc.store.settings.group_default_quota_mb,
        "default_time_zone": account.default_time_zone,
    }
    if reads_sis(rights):
        data["sis_account_id"] = account.sis_account_id
        data["integration_id"] = None
    if "manage_sis" in rights:
        data["sis_import_id"] = None
    if account.root_account_id is None:
        data["lti_guid"] = account.lti_guid or account.uuid
    return data
