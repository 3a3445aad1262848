"""The Sections API (SectionsController, app/controllers/sections_controller.rb).

Implemented (canvas-facts-enrollments-sections.md section 5; what was read beyond it is in the
docstring of ``mockcanvas/store/sections.py``):

* ``GET /courses/:course_id/sections`` (#index): every active section by name then id; needs any of
  read / read_roster / view_all_grades / manage_grades on the course; ``include[]`` (students,
  avatar_url, enrollments, total_students, passback_status, permissions) dropped for callers without
  roster rights (observers); ``search_term`` (2 characters, substring of the name); page numbers
  (10 per page); ``all`` (any non-blank value) turns paging off;
* ``POST /courses/:course_id/sections`` (#create): ``course_section[name|start_at|end_at|
  restrict_enrollments_to_section_dates]``, ``[sis_section_id]`` / ``[integration_id]`` with the root
  account's manage_sis (silently ignored otherwise), ``enable_sis_reactivation``,
  ``override_sis_stickiness``; ``course_section_created``;
* ``GET /courses/:course_id/sections/:id`` and ``GET /sections/:id`` (#show), ``sis_section_id:`` and
  ``sis_integration_id:`` forms; students and observers read only their own sections;
* ``PUT /sections/:id`` (#update, SIS fields 401 without manage_sis), ``DELETE /sections/:id``
  (#destroy: 400 while it has enrollments; soft), ``POST /sections/:id/crosslist/:new_course_id``
  (#crosslist) and ``DELETE /sections/:id/crosslist`` (#uncrosslist): the section's enrollments
  move with it (no enrollment events); each change is one ``course_section_updated``.

Every answer is section_json (``mockcanvas/views/sections.py``), 200, also for create and delete.

Limitations: no blueprint courses (no 403 on cross-listing into one); ``passback_status`` is null;
section-limited
teachers are not modelled for section reads; SIS ids unique across the mock, not per root account.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..openapi_docs import BOOLISH, SEARCH_TERM, P, RouteDoc, array_of, id_or
from ..errors import Unauthorized
from ..openapi_schemas import (BOOL, ID, INT, NULL, STR, TIME, USER_OPTIONAL, USER_REQUIRED, Schema, arr, enum,
                               nullable, obj, ref)
from ..responses import params_of, render
from ..store.records import Section
from ..views.sections import SECTION_INCLUDES, section_json
from ._common import current_user, includes, paged, store_of, view_context

routes = web.RouteTableDef()
_INCLUDES = frozenset(SECTION_INCLUDES)
ROSTER = frozenset({"read_roster", "view_all_grades", "manage_grades"})


def _present(value: Any) -> bool:
    """Rails ``present?``: not nil, not a blank string, not an empty list or hash."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict)):
        return bool(value)
    return True


@routes.get("/api/v1/courses/{course_id}/sections")
async def index(request: web.Request) -> web.Response:
    store = store_of(request)
    params = params_of(request)
    user = current_user(request)
    course = store.courses.find(request.match_info["course_id"])
    rights = store.policy.course_rights(user, course)
    if not (store.courses.can_read(user, course) or rights & ROSTER):
        raise Unauthorized()
    inc = includes(params) & _INCLUDES
    if inc and not (store.courses.can_read_roster(user, course) or rights & {"view_all_grades", "manage_grades"}):
        inc = set()  # params[:include] = nil
    ids = store.sections.listed(course, params.get("search_term"))
    vc = view_context(request, store)

    def one(section: Section) -> dict[str, Any]:
        return section_json(vc, section, inc)

    load = store.rows["sections"].get
    if _present(params.get("all")):
        return render(request, [one(load(i)) for i in ids[:]])
    return paged(request, ids, one, load=load)


@routes.post("/api/v1/courses/{course_id}/sections")
async def create(request: web.Request) -> web.Response:
    store = store_of(request)
    course = store.courses.find(request.match_info["course_id"])
    section = store.sections.create(current_user(request), course, params_of(request))
    return render(request, section_json(view_context(request, store), section))


@routes.get("/api/v1/courses/{course_id}/sections/{section_id}")
async def show_in_course(request: web.Request) -> web.Response:
    store = store_of(request)
    course = store.courses.find(request.match_info["course_id"])
    section = store.sections.find_in_course(course, request.match_info["section_id"])
    return _show(request, section)


@routes.get("/api/v1/sections/{section_id}")
async def show(request: web.Request) -> web.Response:
    return _show(request, store_of(request).sections.find(request.match_info["section_id"]))


def _show(request: web.Request, section: Section) -> web.Response:
    store = store_of(request)
    store.sections.require(current_user(request), section, "read")
    inc = includes(params_of(request)) & _INCLUDES
    return render(request, section_json(view_context(request, store), section, inc))


@routes.put("/api/v1/sections/{section_id}")
async def update(request: web.Request) -> web.Response:
    store = store_of(request)
    section = store.sections.find(request.match_info["section_id"])
    store.sections.update(current_user(request), section, params_of(request))
    return render(request, section_json(view_context(request, store), section))


@routes.delete("/api/v1/sections/{section_id}")
async def destroy(request: web.Request) -> web.Response:
    store = store_of(request)
    section = store.sections.find(request.match_info["section_id"])
    store.sections.delete(current_user(request), section)
    return render(request, section_json(view_context(request, store), section))


@routes.post("/api/v1/sections/{section_id}/crosslist/{new_course_id}")
async def crosslist(request: web.Request) -> web.Response:
    store = store_of(request)
    section = store.sections.find(request.match_info["section_id"])
    dest = store.sections.find_destination(section, request.match_info["new_course_id"])
    store.sections.crosslist(current_user(request), section, dest, params_of(request))
    return render(request, section_json(view_context(request, store), section))


@routes.delete("/api/v1/sections/{section_id}/crosslist")
async def uncrosslist(request: web.Request) -> web.Response:
    store = store_of(request)
    section = store.sections.find(request.match_info["section_id"])
    store.sections.uncrosslist(current_user(request), section, params_of(request))
    return render(request, section_json(view_context(request, store), section))


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
TAGS = {"Sections": "SectionsController"}
_TAG = "Sections"
PATH_PARAMS: dict[str, Schema] = {
    "section_id": id_or("sis_section_id", "sis_integration_id"),
    "new_course_id": id_or("sis_course_id"),
}
DATE = nullable(TIME)
SECTION = obj(
    {"id": ID, "course_id": ID, "name": STR, "start_at": DATE, "end_at": DATE, "created_at": TIME,
     "restrict_enrollments_to_section_dates": nullable(BOOL), "nonxlist_course_id": nullable(ID)},
    {"sis_section_id": nullable(STR), "sis_course_id": nullable(STR), "integration_id": nullable(STR),
     "sis_import_id": nullable(INT), "students": nullable(arr({"anyOf": [ref("User"), ref("SectionStudent")]})), "total_students": INT,
     "passback_status": NULL, "permissions": obj({"manage_calendar": BOOL})},
    description="section_json (lib/api/v1/section.rb); SIS keys with read_sis (teachers, admins); "
                "students/total_students/passback_status/permissions by include[]")
SECTION_STUDENT = obj(USER_REQUIRED, {**USER_OPTIONAL, "enrollments": arr(ref("Enrollment"))},
                      description="user_json of include[]=students; enrollments with include[]=enrollments")
SCHEMAS: dict[str, Schema] = {"Section": SECTION, "SectionStudent": SECTION_STUDENT}
INCLUDE = P("include[]", arr(enum(*SECTION_INCLUDES)),
            "students (null when none; with enrollments: each student's section enrollment; with "
            "avatar_url: avatars when enabled), total_students, passback_status (null), permissions")
FIELDS = (
    P("course_section[name]", {"type": "string", "maxLength": 255}, "missing: \"<course name> <date>\""),
    P("course_section[start_at]", {"type": ["string", "null"], "format": "date-time"}, "unparsable: null"),
    P("course_section[end_at]", {"type": ["string", "null"], "format": "date-time"}, "not before start_at"),
    P("course_section[restrict_enrollments_to_section_dates]", BOOLISH),
    P("course_section[sis_section_id]", STR, "needs the root account's manage_sis"),
    P("course_section[integration_id]", STR, "needs the root account's manage_sis"),
    P("override_sis_stickiness", BOOLISH, "false: only restrict_enrollments_to_section_dates is applied"),
)

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/courses/{course_id}/sections"): RouteDoc(
        "List course sections", "SectionsController#index", _TAG, array_of("Section"), paginated="pages",
        query=(INCLUDE, SEARCH_TERM, P("all", STR, "any non-blank value: every section, no paging")),
        errors=("unauthorized", "search_term", "not_found"),
        description="Active sections by name, then id. include[] is dropped for callers without "
                    "read_roster / view_all_grades / manage_grades (observers)."),
    ("POST", "/api/v1/courses/{course_id}/sections"): RouteDoc(
        "Create course section", "SectionsController#create", _TAG, "Section",
        body=FIELDS + (P("enable_sis_reactivation", BOOLISH,
                         "revive a deleted section of the course with that sis_section_id"),),
        errors=("unauthorized", "validation", "not_found"),
        description="Needs manage_sections_add (teachers, designers, admins; not TAs). SIS ids are "
                    "silently ignored without manage_sis."),
    ("GET", "/api/v1/courses/{course_id}/sections/{section_id}"): RouteDoc(
        "Get section information", "SectionsController#show", _TAG, "Section", query=(INCLUDE,),
        errors=("unauthorized", "not_found"), description="The section must be an active section of the course."),
    ("GET", "/api/v1/sections/{section_id}"): RouteDoc(
        "Get section information", "SectionsController#show", _TAG, "Section", query=(INCLUDE,),
        errors=("unauthorized", "not_found"),
        description="Students and observers read only their own sections."),
    ("PUT", "/api/v1/sections/{section_id}"): RouteDoc(
        "Edit a section", "SectionsController#update", _TAG, "Section", body=FIELDS,
        errors=("unauthorized", "sis", "validation", "not_found"),
        description="Needs manage_sections_edit. SIS fields without manage_sis: 401 "
                    "{\"message\": ...}, nothing saved; \"\" clears them."),
    ("DELETE", "/api/v1/sections/{section_id}"): RouteDoc(
        "Delete a section", "SectionsController#destroy", _TAG, "Section", body_kind="none",
        errors=("unauthorized", "message", "not_found"),
        description="Needs manage_sections_delete; 400 {\"message\": \"You can't delete a section that "
                    "has enrollments\"} while any enrollment is not deleted or rejected. Soft delete."),
    ("POST", "/api/v1/sections/{section_id}/crosslist/{new_course_id}"): RouteDoc(
        "Cross-list a Section", "SectionsController#crosslist", _TAG, "Section",
        body=(P("override_sis_stickiness", BOOLISH, "false: the section unchanged, no permission check"),),
        errors=("unauthorized", "not_found"),
        description="The destination is a non-deleted course of the section's root account. Needs "
                    "manage_sections_edit on the section's course and manage on the destination. "
                    "The section's enrollments move with it; nonxlist_course_id keeps the original."),
    ("DELETE", "/api/v1/sections/{section_id}/crosslist"): RouteDoc(
        "De-cross-list a Section", "SectionsController#uncrosslist", _TAG, "Section",
        body=(P("override_sis_stickiness", BOOLISH),), errors=("unauthorized", "message", "not_found"),
        description="400 {\"message\": \"section is not cross-listed\"} for a section that is not."),
}
