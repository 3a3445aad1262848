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
