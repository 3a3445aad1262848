"""The course, user and account endpoints clients call around the group APIs
(UsersController#api_show, CoursesController#show/users, SectionsController#index,
AccountsController#show).

Implemented: ``GET /users/self``, ``/users/:id``, ``/courses/:id``, ``/courses/:id/users`` and its
alias ``search_users`` (``enrollment_type[]``, ``enrollment_role``, ``enrollment_state[]``,
``search_term``, ``user_ids[]``, ``include[]`` of email/enrollments/avatar_url), ``/courses/:id/sections``
(``include[]=students``/``total_students``), ``/accounts/:id``.

Limitations: no course or account writes; a user is visible to themselves, to admins over their
account and to people who share a course with them; only admins can read an account.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..coerce import digits_int
from ..errors import Unauthorized
from ..responses import params_of, render
from ..store.people import ENROLLMENT_TYPE_NAMES
from ..store.records import Course, User
from ..views.courses import account_json, course_json, enrollment_stub, section_json
from ..views.users import profile_json, user_json
from ._common import current_user, includes, paged, resolve_user, store_of, view_context
from ._params import str_list

routes = web.RouteTableDef()


@routes.get("/api/v1/users/{user_id}")
async def show_user(request: web.Request) -> web.Response:
    user = resolve_user(request, request.match_info["user_id"])
    rights = store_of(request).policy.user_rights(current_user(request), user)
    return render(request, profile_json(view_context(request), user, rights))


def _course(request: web.Request, right: str = "read") -> Course:
    store = store_of(request)
    course = store.find("courses", request.match_info["course_id"])
    if right not in store.policy.course_rights(current_user(request), course):
        raise Unauthorized()
    return course


@routes.get("/api/v1/courses/{course_id}")
async def show_course(request: web.Request) -> web.Response:
    course = _course(request)
    return render(request, course_json(view_context(request), course))


@routes.get("/api/v1/courses/{course_id}/users")
@routes.get("/api/v1/courses/{course_id}/search_users")
async def course_users(request: web.Request) -> web.Response:
    course = _course(request, "read_roster")
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


@routes.get("/api/v1/courses/{course_id}/sections")
async def course_sections(request: web.Request) -> web.Response:
    course = _course(request, "read")
    params = params_of(request)
    store = store_of(request)
    vc = view_context(request)
    rights = vc.context_rights("Course", course.id)
    inc = includes(params)

    def one(section) -> dict[str, Any]:
        data = section_json(vc, section)
        students = None
        if "students" in inc or "total_students" in inc:
            students = [store.get("users", e.user_id)
                        for e in store.people.course_enrollments(course.id, ["StudentEnrollment"])
                        if e.course_section_id == section.id]
        if "students" in inc:
            data["students"] = [user_json(vc, u, rights=rights) for u in students] or None
        if "total_students" in inc:
            data["total_students"] = len(students)
        return data

    return paged(request, store.people.sections(course.id), one)


@routes.get("/api/v1/accounts/{account_id}")
async def show_account(request: web.Request) -> web.Response:
    store = store_of(request)
    ref = request.match_info["account_id"]
    if ref == "self":
        ref = current_user(request).account_id
    account = store.find("accounts", ref)
    if not store.policy.is_admin_of(current_user(request), account.id):
        raise Unauthorized()
    return render(request, account_json(view_context(request), account))
