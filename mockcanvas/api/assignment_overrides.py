"""The Assignment Overrides API (AssignmentOverridesController, app/controllers/assignment_overrides_controller.rb).

Implemented (canvas-facts-assignments sections 6 and 7; what was read beyond them is in the
docstrings of ``mockcanvas/store/assignment_overrides.py``, ``assignment_override_input.py`` and
``assignment_dates.py``):

* ``GET /courses/:course_id/assignments/:assignment_id/overrides`` (#index): the overrides the
  caller may see (teachers, TAs, designers, admins: every active one, section / group / course ones
  first, then ADHOC ones; students: those that apply to them; observers: their observees'), page
  numbers (10 per page);
* ``GET .../overrides/:id`` (#show): one of those, ``id.to_i``; any other is 404;
* ``POST .../overrides`` (#create, 201), ``PUT .../overrides/:id`` (#update: the target keeps its
  type, omitted dates stop being overridden), ``DELETE .../overrides/:id`` (#destroy, soft; the
  answer's ADHOC ``student_ids`` is ``[]``): need the assignment's :update right (teachers, TAs,
  designers, admins); parameter errors are ``{"errors": ["..."]}`` (400), model errors the keyed
  hash (400); ``assignment_override_created`` / ``_updated``;
* ``GET /sections/:course_section_id/assignments/:assignment_id/override`` and
  ``GET /groups/:group_id/assignments/:assignment_id/override`` (#section_alias, #group_alias): a
  302 to the override's URL; 404 when the caller cannot see the section or group, or it has no
  override the caller may see.

Order of the checks (before_filters): the course (404 unless active), course :read (401), the
assignment (404 unless an active assignment of the course, plain ids only: ``active_assignments.find``),
for writes the assignment's :update (401), then the override (404), then the parameters.

Limitations: the batch routes (``/courses/:id/assignments/overrides``) are not built; students may
list the overrides of an assignment they cannot see (Canvas checks no assignment visibility here
either).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..errors import NotFound
from ..openapi_docs import P, RouteDoc, array_of, id_or
from ..openapi_schemas import BOOL, ID, STR, TIME, Schema, arr, nullable, obj
from ..responses import params_of, render
from ..store import Store
from ..store.assignment_overrides import AssignmentOverride
from ..store.records import Course
from ..views.assignment_overrides import override_json
from ._common import base_url, current_user, paged, store_of, view_context

routes = web.RouteTableDef()
_BASE = "/api/v1/courses/{course_id}/assignments/{assignment_id}/overrides"


def _course(request: web.Request, course: Course | None = None) -> Course:
    """require_course: an active course (``api_find``) the caller may read."""
    store = store_of(request)
    if course is None:
        course = store.courses.find(request.match_info["course_id"])
    store.courses.require_read(current_user(request), course)
    return course


def _assignment(store: Store, course: Course, ref: str) -> Any:
    """require_assignment: ``@course.active_assignments.find(id)`` (ids only, no SIS forms)."""
    aid = store.find_id(ref)
    a = store.get("assignments", aid) if aid is not None else None
    if a is None or a.course_id != course.id or a.workflow_state == "deleted":
        raise NotFound()
    return a


def _context(request: web.Request, *, edit: bool = False) -> tuple[Store, Any]:
    store = store_of(request)
    course = _course(request)
    a = _assignment(store, course, request.match_info["assignment_id"])
    if edit:
        store.assignment_overrides.require_edit(current_user(request), a)
    return store, a


def _render(request: web.Request, store: Store, o: AssignmentOverride, status: int = 200) -> web.Response:
    return render(request, override_json(view_context(request, store), o), status=status)


@routes.get(_BASE)
async def index(request: web.Request) -> web.Response:
    """#index: the overrides the caller may see, paginated."""
    store, a = _context(request)
    overrides = store.assignment_overrides.for_user(a, current_user(request))
    vc = view_context(request, store)
    return paged(request, overrides, lambda o: override_json(vc, o))


@routes.post(_BASE)
async def create(request: web.Request) -> web.Response:
    """#create: 201 with the new override."""
    store, a = _context(request, edit=True)
    o = store.assignment_overrides.create(current_user(request), a, params_of(request))
    return _render(request, store, o, 201)


@routes.get(_BASE + "/{id}")
async def show(request: web.Request) -> web.Response:
    store, a = _context(request)
    return _render(request, store, store.assignment_overrides.find_for(a, current_user(request), request.match_info["id"]))


@routes.put(_BASE + "/{id}")
async def update(request: web.Request) -> web.Response:
    store, a = _context(request, edit=True)
    user = current_user(request)
    o = store.assignment_overrides.find_for(a, user, request.match_info["id"])
    store.assignment_overrides.update(user, a, o, params_of(request))
    return _render(request, store, o)


@routes.delete(_BASE + "/{id}")
async def destroy(request: web.Request) -> web.Response:
    store, a = _context(request, edit=True)
    user = current_user(request)
    o = store.assignment_overrides.find_for(a, user, request.match_info["id"])
    store.assignment_overrides.delete(user, a, o)
    return _render(request, store, o)


def _redirect(request: web.Request, course: Course, set_type: str, set_id: int) -> web.Response:
    """The override of a section or group of ``course``'s assignment: Rails' redirect_to."""
    store = store_of(request)
    a = _assignment(store, course, request.match_info["assignment_id"])
    o = store.assignment_overrides.for_set(a, current_user(request), set_type, set_id)
    url = f"{base_url(request)}/api/v1/courses/{course.id}/assignments/{a.id}/overrides/{o.id}"
    body = f'<html><body>You are being <a href="{url}">redirected</a>.</body></html>'
    return web.Response(status=302, text=body, content_type="text/html", charset="utf-8",
                        headers={"Location": url})


@routes.get("/api/v1/sections/{course_section_id}/assignments/{assignment_id}/override")
async def section_alias(request: web.Request) -> web.Response:
    """#section_alias: an active section (``api_find``) the caller may read, else 404."""
    store = store_of(request)
    user = current_user(request)
    section = store.sections.find(request.match_info["course_section_id"])
    if not store.sections.can_read(user, section):
        raise NotFound()
    course = _course(request, store.sections.course_of(section))
    return _redirect(request, course, "CourseSection", section.id)


@routes.get("/api/v1/groups/{group_id}/assignments/{assignment_id}/override")
async def group_alias(request: web.Request) -> web.Response:
    """#group_alias: an active course group in a category (plain id) the caller may read, else 404."""
    store = store_of(request)
    user = current_user(request)
    gid = store.find_id(request.match_info["group_id"])
    group = store.get("groups", gid) if gid is not None else None
    if (group is None or group.workflow_state == "deleted" or group.context_type != "Course"
            or group.group_category_id is None or "read" not in store.policy.group_rights(user, group)):
        raise NotFound()
    course = store.get("courses", group.context_id)
    if course is None or course.workflow_state == "deleted":
        raise NotFound()
    return _redirect(request, _course(request, course), "Group", group.id)


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
_TAG = "Assignment Overrides"
TAGS = {_TAG: "AssignmentOverridesController"}
PATH_PARAMS: dict[str, Schema] = {
    "assignment_id": ID,  # active_assignments.find: no SIS forms
    "course_section_id": id_or("sis_section_id", "sis_integration_id"),
    "group_id": ID,  # the group alias: Group.active...find, no SIS forms
    "id": ID,
}
DATE = nullable(TIME)
OVERRIDE = obj(
    {"id": ID, "assignment_id": ID, "title": STR, "unassign_item": BOOL},
    {"due_at": DATE, "all_day": BOOL, "all_day_date": nullable({"type": "string", "format": "date"}),
     "unlock_at": DATE, "lock_at": DATE, "student_ids": arr(ID), "group_id": ID, "non_collaborative": BOOL,
     "group_category_id": nullable(ID), "course_section_id": ID, "course_id": ID},
    description="assignment_override_json (lib/api/v1/assignment_override.rb): each date key only "
                "when overridden; student_ids (ADHOC), group_id (+ non_collaborative, "
                "group_category_id), course_section_id or course_id by the set")
SCHEMAS: dict[str, Schema] = {
    "AssignmentOverride": OVERRIDE,
    "ErrorOverrideParams": obj({"errors": arr(STR, minItems=1)},
                               description="interpret_assignment_override_data: plain strings"),
}
ERROR_KINDS = {"override_params": (400, ("ErrorOverrideParams",))}
_DATES = (
    P("assignment_override[due_at]", DATE, "present and blank: no due date; absent: not overridden; "
                                            "Time.zone.parse forms; local midnight becomes 23:59:59"),
    P("assignment_override[unlock_at]", DATE, "as due_at (no midnight shift)"),
    P("assignment_override[lock_at]", DATE, "as due_at"),
)
_TARGETS = (
    P("assignment_override[student_ids][]", arr(STR), "ADHOC: ids or sis_user_id:/sis_login_id: of "
                                                      "the course's students"),
    P("assignment_override[group_id]", ID, "a group of the assignment's group category"),
    P("assignment_override[course_section_id]", id_or("sis_section_id"), "an active section of the course"),
    P("assignment_override[course_id]", ID, "any value: an \"Everyone\" override of the course"),
)
_OTHER = (
    P("assignment_override[title]", STR, "ADHOC only (default \"N students\")"),
    P("assignment_override[unassign_item]", {"type": "boolean"}, "true: the set is unassigned"),
)
_WRITE_ERRORS = ("unauthorized", "override_params", "validation", "not_found")
_ROUTE = _BASE + "/{id}"
ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", _BASE): RouteDoc(
        "List assignment overrides", "AssignmentOverridesController#index", _TAG, array_of("AssignmentOverride"),
        paginated="pages", errors=("unauthorized", "not_found"),
        description="Teachers, TAs, designers and admins: every active override (sections, groups, "
                    "course first, then ADHOC); students: those that apply to them; observers: "
                    "their observees'."),
    ("POST", _BASE): RouteDoc(
        "Create an assignment override", "AssignmentOverridesController#create", _TAG, "AssignmentOverride",
        body=_TARGETS + _OTHER + _DATES, status=201, errors=_WRITE_ERRORS,
        description="The first target given wins: student_ids, group_id, course_section_id, course_id. "
                    "Needs the assignment's update right."),
    ("GET", _ROUTE): RouteDoc(
        "Get a single assignment override", "AssignmentOverridesController#show", _TAG, "AssignmentOverride",
        errors=("unauthorized", "not_found"), description="404 for an override the caller may not see."),
    ("PUT", _ROUTE): RouteDoc(
        "Update an assignment override", "AssignmentOverridesController#update", _TAG, "AssignmentOverride",
        body=(_TARGETS[0],) + _OTHER + _DATES, errors=_WRITE_ERRORS,
        description="The target keeps its type (student_ids replace an ADHOC set); every date not "
                    "sent stops being overridden."),
    ("DELETE", _ROUTE): RouteDoc(
        "Delete an assignment override", "AssignmentOverridesController#destroy", _TAG, "AssignmentOverride",
        body_kind="none", errors=("unauthorized", "not_found"),
        description="Soft delete; the answer is the override, an ADHOC one with student_ids []."),
    ("GET", "/api/v1/sections/{course_section_id}/assignments/{assignment_id}/override"): RouteDoc(
        "Redirect to the assignment override for a section", "AssignmentOverridesController#section_alias",
        _TAG, {"type": "string", "description": "Rails' redirect body"}, media="text/html", status=302,
        headers=("Location",), errors=("unauthorized", "not_found"),
        description="302 to /api/v1/courses/:course_id/assignments/:assignment_id/overrides/:id."),
    ("GET", "/api/v1/groups/{group_id}/assignments/{assignment_id}/override"): RouteDoc(
        "Redirect to the assignment override for a group", "AssignmentOverridesController#group_alias",
        _TAG, {"type": "string", "description": "Rails' redirect body"}, media="text/html", status=302,
        headers=("Location",), errors=("unauthorized", "not_found"),
        description="302 to the override's URL; 404 for a group the caller cannot read or without one."),
}
