"""course_json and the enrollment entries it carries (lib/api/v1/course.rb, lib/api/v1/course_json.rb).

Key order (canvas-facts-courses-users section 2, the observed 2025 list, and ``course_json`` of
lib/api/v1/course.rb read for the includes): the column attributes in table-column order, the
methods (``end_at`` ... ``friendly_name``), ``permissions`` (show only), the includes in the order
``course_json`` adds them (term, grading_periods, course_progress, apply_assignment_group_weights,
sections, total_students, is_favorite, teachers, locale, account, calendar, syllabus_body,
html_url, time_zone, image_download_url, banner_image_download_url, concluded, blueprint, template),
then what ``CourseJson#to_hash`` adds (SIS fields, enrollments, needs_grading_count,
public_description, hide_final_grades, workflow_state, course_format,
restrict_enrollments_to_course_dates).

The create answer (``create_fields``) also shows the columns CoursesController#create names in its
include list (``conclude_at`` when the request had no ``end_at``, ``allow_student_forum_attachments``,
``open_enrollment``, ``allow_wiki_comments``, ``self_enrollment``): where they sit among the
columns is INFERRED from Canvas's column order.

Built-in role ids: Canvas inserts one set of built-in roles per root account in ``BASE_TYPES``
order (AccountAdmin, AccountMembership, Student, Teacher, TA, Designer, Observer, NoPermissions),
from a first id (2 on the observed 2025 instance): :func:`role_id` gives Student 4, Teacher 5, TA 6,
Designer 7, Observer 8.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..store.courses import api_state, setting
from ..store.enrollments import role_id  # the one table of built-in roles
from ..store.records import Course, Enrollment
from .common import ViewContext, iso, reads_sis
from .terms import term_json
from .users import user_display_json

SIS_TYPES = {
    "StudentEnrollment": "student", "TeacherEnrollment": "teacher", "TaEnrollment": "ta",
    "DesignerEnrollment": "designer", "ObserverEnrollment": "observer", "StudentViewEnrollment": "student_view",
}
# include[] values course_json knows (the others are ignored)
COURSE_INCLUDES = frozenset({
    "term", "grading_periods", "course_progress", "sections", "total_students", "favorites", "teachers",
    "account", "syllabus_body", "html_url", "course_image", "banner_image", "concluded", "public_description",
    "needs_grading_count", "total_scores", "current_grading_period_scores", "storage_quota_used_mb",
    "permissions", "observed_users", "access_restricted_by_date", "subaccount", "passback_status", "tabs",
    "account_name",
})


def enrollment_stub(e: Enrollment, *, total_scores: bool = False) -> dict[str, Any]:
    """CourseJson#default_enrollment_attributes (+ the scores of include[]=total_scores)."""
    data: dict[str, Any] = {
        "type": SIS_TYPES.get(e.type, e.type),
        "role": "StudentEnrollment" if e.type == "StudentViewEnrollment" else e.type,
        "role_id": role_id(e.type),
        "user_id": e.user_id,
        "enrollment_state": e.workflow_state,
        "limit_privileges_to_course_section": False,
    }
    if total_scores and e.type in ("StudentEnrollment", "StudentViewEnrollment"):
        data.update({"computed_current_score": None, "computed_final_score": None,
                     "computed_current_grade": None, "computed_final_grade": None,
                     "computed_current_letter_grade": None})
    return data


def course_term_json(vc: ViewContext, course: Course, enrollments: Iterable[Enrollment] | None) -> dict[str, Any] | None:
    """enrollment_term_json(course.enrollment_term, user, session, enrollments): the term, with the
    dates of the override for the caller's enrollment type when there is one."""
    term = vc.store.courses.term_of(course)
    if term is None:
        return None
    data = term_json(vc, term)
    types = {e.type for e in enrollments or ()}
    for etype, start, end in term.overrides:
        if etype in types:
            data["start_at"], data["end_at"] = iso(start), iso(end)
            break
    return data


def _root_rights(vc: ViewContext, course: Course) -> frozenset[str]:
    return vc.context_rights("Account", course.root_account_id)


def _teachers(vc: ViewContext, course: Course, limit: int | None) -> tuple[str, Any]:
    s = vc.store
    seen: dict[int, Any] = {}
    for eid in s.idx["enrollments"]["by_course"].ids(course.id):
        e = s.get("enrollments", eid)
        if e.type == "TeacherEnrollment" and e.workflow_state not in ("rejected", "deleted") and e.user_id not in seen:
            u = s.get("users", e.user_id)
            if u is not None and u.workflow_state != "deleted":
                seen[u.id] = u
    if limit is not None and len(seen) > limit:
        return "teacher_count", len(seen)
    users = sorted(seen.values(), key=lambda u: (u.sortable_name.casefold(), u.id))
    return "teachers", [user_display_json(vc, u) for u in users]


def total_students(vc: ViewContext, course: Course) -> int:
    s = vc.store
    ids = set()
    for eid in s.idx["enrollments"]["by_course"].ids(course.id):
        e = s.get("enrollments", eid)
        if e.type == "StudentEnrollment" and e.workflow_state not in ("rejected", "completed", "deleted", "inactive"):
            ids.add(e.user_id)
    return len(ids)


def _sections(vc: ViewContext, course: Course, enrollments: list[Enrollment] | None) -> list[dict[str, Any]]:
    s = vc.store
    if enrollments:
        out = []
        for e in enrollments:
            sec = s.get("sections", e.course_section_id)
            out.append({"id": e.course_section_id, "name": sec.name if sec else None, "start_at": None,
                        "end_at": None, "enrollment_role": e.type})
        return out
    return [{"id": sec.id, "name": sec.name, "start_at": None, "end_at": None}
            for sec in (s.get("sections", i) for i in s.idx["sections"]["by_course"].ids(course.id))]


def storage_quota_mb(vc: ViewContext, course: Course) -> int:
    if course.storage_quota_mb is not None:
        return course.storage_quota_mb
    account = vc.store.get("accounts", course.account_id)
    if account is not None and account.default_storage_quota_mb is not None:
        return account.default_storage_quota_mb
    return 500


def course_json(vc: ViewContext, course: Course, *, include: Iterable[str] = (),
                enrollments: list[Enrollment] | None = None, permissions: bool = False,
                create_fields: dict[str, bool] | None = None, teacher_limit: int | None = None,
                enrollment_json_scores: bool = False) -> dict[str, Any]:
    """``enrollments`` None: no ``enrollments`` key (create, update, the account list)."""
    inc = set(include)
    s = vc.store
    viewer = vc.viewer
    if ("access_restricted_by_date" in inc and enrollments
            and all(e.workflow_state == "inactive" for e in enrollments)
            and "read_as_admin" not in vc.context_rights("Course", course.id)):
        return {"id": course.id, "access_restricted_by_date": True}
    extra = create_fields or {}
    term = s.courses.term_of(course)
    data: dict[str, Any] = {"id": course.id, "name": course.name, "account_id": course.account_id,
                            "uuid": course.uuid, "start_at": iso(course.start_at)}
    if extra.get("conclude_at"):
        data["conclude_at"] = iso(course.end_at)
    data["grading_standard_id"] = course.grading_standard_id
    data["is_public"] = course.is_public
    data["created_at"] = iso(course.created_at)
    if extra:
        data["allow_student_forum_attachments"] = bool(setting(course, "allow_student_forum_attachments"))
    data["course_code"] = course.course_code
    data["default_view"] = course.default_view
    data["root_account_id"] = course.root_account_id
    data["enrollment_term_id"] = term.id if term is not None else course.enrollment_term_id
    if extra:
        data["open_enrollment"] = bool(setting(course, "open_enrollment"))
        data["allow_wiki_comments"] = bool(setting(course, "allow_wiki_comments"))
        data["self_enrollment"] = bool(setting(course, "self_enrollment"))
    data["license"] = course.license
    data["grade_passback_setting"] = course.grade_passback_setting
    data["end_at"] = iso(course.end_at)
    data["public_syllabus"] = course.public_syllabus
    data["public_syllabus_to_auth"] = course.public_syllabus_to_auth
    data["storage_quota_mb"] = storage_quota_mb(vc, course)
    data["is_public_to_auth_users"] = course.is_public_to_auth_users
    data["homeroom_course"] = False
    data["course_color"] = None  # only applied on Canvas-for-Elementary accounts
    data["friendly_name"] = None
    if "storage_quota_used_mb" in inc:
        data["storage_quota_used_mb"] = 0.0
    if "account_name" in inc:
        account = s.get("accounts", course.account_id)
        data["account_name"] = account.name if account else None
    if permissions:
        # DiscussionTopic / Announcement :create in the course: its staff; students too for
        # discussions while the course lets them (allow_student_discussion_topics)
        staff = "update" in vc.context_rights("Course", course.id)
        student = viewer is not None and vc.store.policy.is_student(viewer, course.id)
        data["permissions"] = {
            "create_discussion_topic": staff or (student and bool(setting(course, "allow_student_discussion_topics"))
                                                 and course.workflow_state == "available"),
            "create_announcement": staff,
        }
    if "term" in inc:
        data["term"] = course_term_json(vc, course, enrollments)
    if "grading_periods" in inc:
        data["grading_periods"] = None
    if "course_progress" in inc:
        data["course_progress"] = {"error": {"message": "no progress available because this course is not "
                                                        "module based (has modules and module completion "
                                                        "requirements) or the user is not enrolled as a "
                                                        "student in this course"}}
    data["apply_assignment_group_weights"] = course.apply_assignment_group_weights
    if "sections" in inc:
        data["sections"] = _sections(vc, course, enrollments)
    if "total_students" in inc:
        data["total_students"] = total_students(vc, course)
    if "favorites" in inc:
        data["is_favorite"] = False
    if "teachers" in inc:
        key, value = _teachers(vc, course, teacher_limit)
        data[key] = value
    if course.locale is not None:
        data["locale"] = course.locale
    if "account" in inc:
        from .accounts import account_json

        account = s.get("accounts", course.account_id)
        if account is not None:
            data["account"] = account_json(vc, account)
    if "subaccount" in inc:
        account = s.get("accounts", course.account_id)
        data["subaccount_id"] = course.account_id
        data["subaccount_name"] = account.name if account else None
    data["calendar"] = {"ics": vc.url(f"/feeds/calendars/course_{course.uuid}.ics")}
    if "syllabus_body" in inc:
        data["syllabus_body"] = course.syllabus_body
    if "html_url" in inc:
        data["html_url"] = vc.url(f"/courses/{course.id}")
    data["time_zone"] = course.time_zone
    if "course_image" in inc:
        data["image_download_url"] = setting(course, "image_url")
    if "banner_image" in inc:
        data["banner_image_download_url"] = None
    if "concluded" in inc:
        data["concluded"] = vc.store.courses.concluded(course)
    data["blueprint"] = False
    data["template"] = False
    sis = s.courses.sis_rights(viewer, course)
    if reads_sis(sis):
        data["sis_course_id"] = course.sis_course_id
        data["integration_id"] = course.integration_id
    if "manage_sis" in sis:
        data["sis_import_id"] = None
    if enrollments is not None:
        scores = "total_scores" in inc and not course.hide_final_grades
        data["enrollments"] = [enrollment_stub(e, total_scores=scores) for e in enrollments]
        if "needs_grading_count" in inc and any(
                e.type in ("TeacherEnrollment", "TaEnrollment") and e.workflow_state == "active" for e in enrollments):
            data["needs_grading_count"] = 0
    if "public_description" in inc and course.public_description is not None:
        data["public_description"] = course.public_description
    data["hide_final_grades"] = course.hide_final_grades
    data["workflow_state"] = api_state(course)
    if course.course_format:
        data["course_format"] = course.course_format
    data["restrict_enrollments_to_course_dates"] = course.restrict_enrollments_to_course_dates
    return data
