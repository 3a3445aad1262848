"""The Courses API (app/controllers/courses_controller.rb).

Implemented: ``GET /courses/:id`` (#show), ``/courses/:id/users`` and its alias ``search_users``
(#users: ``enrollment_type[]``, ``enrollment_role``, ``enrollment_state[]``, ``search_term``,
``user_ids[]``, ``include[]`` of email/enrollments/avatar_url).

Limitations: see the README's LIMITATIONS.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..coerce import digits_int
from ..errors import Unauthorized
from ..openapi_docs import PEOPLE_TAG, SEARCH_TERM, USER_INCLUDE, P, RouteDoc, array_of
from ..openapi_schemas import (BOOL, ID, INT, NULL, STR, TIME, URL, USER_OPTIONAL, USER_REQUIRED, Schema, arr, enum,
                               nullable, obj, ref)
from ..responses import params_of, render
from ..store.people import ENROLLMENT_TYPE_NAMES
from ..store.records import Course, User
from ..views.courses import course_json, enrollment_stub
from ..views.users import user_json
from ._common import current_user, includes, paged, store_of, view_context
from ._params import str_list

routes = web.RouteTableDef()


def find_course(request: web.Request, right: str = "read") -> Course:
    store = store_of(request)
    course = store.find("courses", request.match_info["course_id"])
    if right not in store.policy.course_rights(current_user(request), course):
        raise Unauthorized()
    return course


@routes.get("/api/v1/courses/{course_id}")
async def show_course(request: web.Request) -> web.Response:
    course = find_course(request)
    return render(request, course_json(view_context(request), course))


@routes.get("/api/v1/courses/{course_id}/users")
@routes.get("/api/v1/courses/{course_id}/search_users")
async def course_users(request: web.Request) -> web.Response:
    course = find_course(request, "read_roster")
    params = params_of(request)
    store = store_of(request)
    types = [ENROLLMENT_TYPE_NAMES.get(t.lower(), t) for t in str_list(params.get("enrollment_type"))]
    if isinstance(params.get("enrollment_role"), str):
        types.append(params["enrollment_role"])
    states = str_list(params.get("enrollment_state")) or ["active", "invited"]
    term = params.get("search_term") if isinstance(params.get("search_term"), str) else None
    users = store.people.course_users(course.id, types=types or None, search_term=term, states=states)
    wanted_ids = {i for i in map(digits_int, str_list(params.get("user_ids"))) if i is not None}
    if wanted_ids:
        users = [u for u in users if u.id in wanted_ids]
    vc = view_context(request)
    rights = vc.context_rights("Course", course.id)
    inc = includes(params)

    def one(u: User) -> dict[str, Any]:
        data = user_json(vc, u, rights=rights, include=inc)
        if "enrollments" in inc:
            data["enrollments"] = [
                # enrollment_json: ``type`` is the enrollment class, unlike course_json's short type
                {**enrollment_stub(e), "type": e.type, "id": e.id, "course_id": course.id,
                 "course_section_id": e.course_section_id}
                for e in store.people.course_enrollments(course.id, states=states) if e.user_id == u.id
            ]
        return data

    return paged(request, users, one)


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
ENROLLMENT_STUB = obj({"type": STR, "role": STR, "role_id": nullable(INT), "user_id": ID,
                       "enrollment_state": STR, "limit_privileges_to_course_section": BOOL})
COURSE = obj(
    {
        "id": ID, "name": STR, "account_id": ID, "uuid": STR, "start_at": nullable(TIME),
        "grading_standard_id": NULL, "is_public": BOOL, "created_at": TIME, "course_code": STR,
        "default_view": STR, "root_account_id": ID, "enrollment_term_id": INT, "license": STR,
        "grade_passback_setting": NULL, "end_at": nullable(TIME), "public_syllabus": BOOL,
        "public_syllabus_to_auth": BOOL, "storage_quota_mb": INT, "is_public_to_auth_users": BOOL,
        "homeroom_course": BOOL, "course_color": NULL, "friendly_name": NULL,
        "apply_assignment_group_weights": BOOL, "calendar": obj({"ics": URL}), "time_zone": STR,
        "blueprint": BOOL, "template": BOOL, "enrollments": arr(ref("EnrollmentStub")),
        "hide_final_grades": BOOL, "workflow_state": STR, "restrict_enrollments_to_course_dates": BOOL,
    },
    {"sis_course_id": nullable(STR), "integration_id": NULL, "sis_import_id": NULL},
    description="course_json (lib/api/v1/course.rb)")
COURSE_USER_ENROLLMENT = obj({
    "type": STR, "role": STR, "role_id": nullable(INT), "user_id": ID, "enrollment_state": STR,
    "limit_privileges_to_course_section": BOOL, "id": ID, "course_id": ID, "course_section_id": ID,
})
COURSE_USER = obj(USER_REQUIRED, {**USER_OPTIONAL, "enrollments": arr(ref("CourseUserEnrollment"))},
                  description="user_json of GET /courses/:id/users (include[]=enrollments)")
SCHEMAS: dict[str, Schema] = {"Course": COURSE, "EnrollmentStub": ENROLLMENT_STUB, "CourseUser": COURSE_USER,
                              "CourseUserEnrollment": COURSE_USER_ENROLLMENT}

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/courses/{course_id}"): RouteDoc(
        "Get a single course", "CoursesController#show", PEOPLE_TAG, "Course",
        errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/courses/{course_id}/users"): RouteDoc(
        "List users in course", "CoursesController#users", PEOPLE_TAG, array_of("CourseUser"), paginated="pages",
        query=(P("enrollment_type[]", arr(enum("teacher", "student", "ta", "observer", "designer"))),
               P("enrollment_role", STR), P("enrollment_state[]", arr(enum(
                   "active", "invited", "rejected", "completed", "inactive"))),
               SEARCH_TERM, P("user_ids[]", arr(ID)), P("include[]", arr(enum(*USER_INCLUDE, "enrollments")))),
        errors=("unauthorized", "search_term", "not_found")),
    ("GET", "/api/v1/courses/{course_id}/search_users"): RouteDoc(
        "Search users in course (alias of List users in course)", "CoursesController#users", PEOPLE_TAG,
        array_of("CourseUser"), paginated="pages",
        query=(P("enrollment_type[]", arr(enum("teacher", "student", "ta", "observer", "designer"))),
               SEARCH_TERM, P("include[]", arr(enum(*USER_INCLUDE, "enrollments")))),
        errors=("unauthorized", "search_term", "not_found")),
}
