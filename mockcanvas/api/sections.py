"""The Sections API (app/controllers/sections_controller.rb).

Implemented: ``GET /courses/:id/sections`` (#index; ``include[]=students``/``total_students``).

Limitations: see the README's LIMITATIONS.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..openapi_docs import PEOPLE_TAG, P, RouteDoc, array_of
from ..openapi_schemas import BOOL, ID, INT, NULL, STR, TIME, Schema, arr, enum, nullable, obj, ref
from ..responses import params_of
from ..views.sections import section_json
from ..views.users import user_json
from ._common import includes, paged, store_of, view_context
from .courses import find_course

routes = web.RouteTableDef()


@routes.get("/api/v1/courses/{course_id}/sections")
async def course_sections(request: web.Request) -> web.Response:
    course = find_course(request, "read")
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


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
SECTION = obj(
    {"id": ID, "course_id": ID, "name": STR, "start_at": NULL, "end_at": NULL, "created_at": TIME,
     "restrict_enrollments_to_section_dates": BOOL, "nonxlist_course_id": NULL},
    {"sis_section_id": nullable(STR), "sis_course_id": nullable(STR), "integration_id": NULL,
     "sis_import_id": NULL, "students": nullable(arr(ref("User"))), "total_students": INT},
    description="section_json (lib/api/v1/section.rb); students/total_students by include[]")
SCHEMAS: dict[str, Schema] = {"Section": SECTION}

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/courses/{course_id}/sections"): RouteDoc(
        "List course sections", "SectionsController#index", PEOPLE_TAG, array_of("Section"), paginated="pages",
        query=(P("include[]", arr(enum("students", "total_students"))),), errors=("unauthorized", "not_found")),
}
