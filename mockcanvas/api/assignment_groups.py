"""The Assignment Groups API: ``AssignmentGroupsController#index`` (app/controllers/
assignment_groups_controller.rb) and ``AssignmentGroupsApiController`` (show, create, update,
destroy; app/controllers/assignment_groups_api_controller.rb); canvas-facts-assignments section 8,
the rules in ``mockcanvas.store.assignment_groups``, the JSON in ``mockcanvas.views.assignment_groups``.

Implemented:

* ``GET /courses/:course_id/assignment_groups`` (#index): the active groups by position, then name,
  page numbers (10 per page) with Link headers, O(page); needs course read (or view_all_grades /
  manage_grades). ``include[]=assignments`` adds each group's assignments (the assignments area's
  ``assignment_json`` per caller; students and observers get the published ones visible to them)
  and passes ``discussion_topic``, ``all_dates``, ``assignment_visibility`` (dropped without
  read_as_admin / manage_grades / a manage-assignments right), ``overrides``, ``submission``,
  ``observed_users``, ``can_edit``, ``score_statistics``, ``module_ids`` and the request's
  parameters (``override_assignment_dates``) to it; ``assignment_ids[]`` (or a comma-separated
  string), ``exclude_assignment_submission_types[]`` (online_quiz, discussion_topic, wiki_page,
  external_tool), ``exclude_response_fields[]`` (description, rubric, in_closed_grading_period,
  needs_grading_count), ``hide_zero_point_quizzes`` (drops assignments hidden in the gradebook).
* ``GET /courses/:course_id/assignment_groups/:assignment_group_id`` (#show): the same includes;
  deleted, foreign and unknown groups 404 (before the permission check, as the before_filter).
* ``POST`` (#create, **200**) and ``PUT`` (#update): top-level ``name``, ``position``,
  ``group_weight``, ``rules[drop_lowest|drop_highest|never_drop][]``, ``sis_source_id``,
  ``integration_data`` (merged); nested ``assignment_group[...]`` is ignored; the rules replace the
  old ones and are checked against the group's assignment count. ``assignment_group_created`` /
  ``assignment_group_updated``.
* ``DELETE`` (#destroy): soft; ``move_assignments_to`` (query or form body) moves the active
  assignments to the end of that group (404 if it is no active group of the course), else they
  are deleted; 200 with the deleted group's JSON.
* ``never_drop`` ids are strings under ``Accept: application/json+canvas-string-ids`` (like every
  other id, which ``render`` stringifies).

Limitations: see ``mockcanvas.store.assignment_groups`` (no grading periods: ``grading_period_id``
and ``scope_assignments_to_student`` are accepted and filter nothing).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..coerce import ruby_to_i, to_bool
from ..errors import BadRequest
from ..openapi_docs import BOOLISH, P, RouteDoc, array_of
from ..openapi_schemas import ID, INT, NUM, STR, Schema, arr, enum, nullable, obj, ref
from ..responses import STRING_IDS, params_of, render
from ..store.assignment_groups import SEE_ALL, AssignmentGroup
from ..views.assignment_groups import EXCLUDABLE, GROUP_INCLUDES, assignment_group_json
from ._common import current_user, includes, paged, store_of, view_context
from ._params import str_list

routes = web.RouteTableDef()
# AssignmentGroupsController#visible_assignments: the submission types that may be excluded
EXCLUDABLE_TYPES = ("online_quiz", "discussion_topic", "wiki_page", "external_tool")
_INCLUDES = frozenset(GROUP_INCLUDES)


def _string_ids(request: web.Request) -> bool:
    return STRING_IDS in request.headers.get("Accept", "")


def _assignment_ids(params: dict[str, Any]) -> set[int] | None:
    """``assignment_ids[]`` or a comma-separated string; None when not given (each id cast as Rails
    casts an integer column: ``"12abc"`` is 12)."""
    if "assignment_ids" not in params or params["assignment_ids"] is None:
        return None
    value = params["assignment_ids"]
    raw = value.split(",") if isinstance(value, str) else str_list(value)
    return {ruby_to_i(v) for v in raw if str(v).strip()}


class _Render:
    """One request's way of rendering groups: the caller, the includes and the filters."""

    def __init__(self, request: web.Request, course: Any, *, listing: bool) -> None:
        store = self.store = store_of(request)
        self.params = params = params_of(request)
        self.user = user = current_user(request)
        self.course = course
        self.vc = view_context(request, store)
        self.string_ids = _string_ids(request)
        inc = includes(params) & _INCLUDES
        if "assignment_visibility" in inc and not store.policy.course_rights(user, course) & SEE_ALL:
            inc.discard("assignment_visibility")
        self.include = inc
        self.exclude = set(str_list(params.get("exclude_response_fields"))) & set(EXCLUDABLE)
        self.ids = _assignment_ids(params) if listing else None
        types = params.get("exclude_assignment_submission_types") if listing else None
        self.skip_types = set(str_list(types)) & set(EXCLUDABLE_TYPES) if types else set()
        self.hide_hidden = listing and to_bool(params.get("hide_zero_point_quizzes")) is True

    def assignments(self, group: AssignmentGroup) -> list[Any]:
        if "assignments" not in self.include:
            return []
        rows = self.store.assignment_groups.visible_assignments(self.user, self.course, group)
        if self.ids is not None:
            rows = [a for a in rows if a.id in self.ids]
        if self.skip_types:
            rows = [a for a in rows if a.submission_types not in self.skip_types]
        if self.hide_hidden:
            rows = [a for a in rows if not a.hide_in_gradebook]
        return rows

    def __call__(self, group: AssignmentGroup) -> dict[str, Any]:
        return assignment_group_json(self.vc, group, self.include, assignments=self.assignments(group),
                                     params=self.params, exclude=self.exclude, string_ids=self.string_ids)


def _plain(request: web.Request, group: AssignmentGroup) -> web.Response:
    """The group's JSON without includes (create, update, delete)."""
    return render(request, assignment_group_json(view_context(request), group, string_ids=_string_ids(request)))


@routes.get("/api/v1/courses/{course_id}/assignment_groups")
async def index(request: web.Request) -> web.Response:
    store = store_of(request)
    course = store.courses.find(request.match_info["course_id"])
    store.assignment_groups.require(current_user(request), course, "read")
    one = _Render(request, course, listing=True)
    return paged(request, store.assignment_groups.listed(course.id), one, load=store.rows["assignment_groups"].get)


def _group(request: web.Request) -> tuple[Any, AssignmentGroup]:
    store = store_of(request)
    course = store.courses.find(request.match_info["course_id"])
    return course, store.assignment_groups.find_in_course(course.id, request.match_info["assignment_group_id"])


@routes.get("/api/v1/courses/{course_id}/assignment_groups/{assignment_group_id}")
async def show(request: web.Request) -> web.Response:
    course, group = _group(request)
    store_of(request).assignment_groups.require(current_user(request), course, "read")
    return render(request, _Render(request, course, listing=False)(group))


@routes.post("/api/v1/courses/{course_id}/assignment_groups")
async def create(request: web.Request) -> web.Response:
    store = store_of(request)
    course = store.courses.find(request.match_info["course_id"])
    group = store.assignment_groups.create(current_user(request), course, params_of(request))
    return _plain(request, group)


@routes.put("/api/v1/courses/{course_id}/assignment_groups/{assignment_group_id}")
async def update(request: web.Request) -> web.Response:
    _, group = _group(request)
    store_of(request).assignment_groups.update(current_user(request), group, params_of(request))
    return _plain(request, group)


@routes.delete("/api/v1/courses/{course_id}/assignment_groups/{assignment_group_id}")
async def destroy(request: web.Request) -> web.Response:
    _, group = _group(request)
    move_to = params_of(request).get("move_assignments_to")
    if move_to is False:  # Ruby-falsy: not sent
        move_to = None
    if isinstance(move_to, (list, dict)):
        # Canvas answers a 500 (``find`` of an array); deleting the assignments as if it had not
        # been sent would destroy what the caller meant to keep: refuse, change nothing
        raise BadRequest({"errors": [{"message": "move_assignments_to must be a single assignment group id"}]})
    store_of(request).assignment_groups.delete(current_user(request), group, move_to)
    return _plain(request, group)


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
TAGS = {"Assignment Groups": "AssignmentGroupsController#index and AssignmentGroupsApiController"}
_TAG = "Assignment Groups"
PATH_PARAMS: dict[str, Schema] = {"assignment_group_id": ID}  # a plain id: no SIS form
RULES = obj({}, {"drop_lowest": INT, "drop_highest": INT, "never_drop": arr({"anyOf": [INT, STR]})},
            description="GradingRules: {} without rules; never_drop ids are strings under canvas-string-ids")
ASSIGNMENT_GROUP = obj(
    {"id": ID, "name": STR, "position": INT, "group_weight": nullable(NUM), "sis_source_id": nullable(STR),
     "integration_data": {"type": "object"}, "rules": ref("GradingRules")},
    {"assignments": array_of("Assignment"), "any_assignment_in_closed_grading_period": {"type": "boolean"}},
    description="assignment_group_json (lib/api/v1/assignment_group.rb); assignments and "
                "any_assignment_in_closed_grading_period with include[]=assignments")
SCHEMAS: dict[str, Schema] = {"AssignmentGroup": ASSIGNMENT_GROUP, "GradingRules": RULES}
INCLUDE = P("include[]", arr(enum(*GROUP_INCLUDES)),
            "assignments; the others are passed to each assignment (assignment_visibility only for "
            "read_as_admin, manage_grades or a manage-assignments right)")
SHOW_QUERY = (INCLUDE, P("override_assignment_dates", BOOLISH, "default true: each caller's own dates"),
              P("grading_period_id", INT, "accepted; the mock has no grading periods"))
LIST_QUERY = SHOW_QUERY + (
    P("assignment_ids[]", arr(STR), "only these assignments (also a comma-separated string)"),
    P("exclude_assignment_submission_types[]", arr(enum(*EXCLUDABLE_TYPES))),
    P("exclude_response_fields[]", arr(enum(*EXCLUDABLE))),
    P("hide_zero_point_quizzes", BOOLISH, "true: no assignments hidden in the gradebook"),
    P("scope_assignments_to_student", BOOLISH, "accepted; needs grading periods"),
)
FIELDS = (
    P("name", STR, "blank: \"Assignments\"; at most 255 characters"),
    P("position", INT, "default: after the last group"),
    P("group_weight", NUM, "a float; blank or NaN 0"),
    P("sis_source_id", STR),
    P("integration_data", {"type": "object"}, "merged into the stored hash"),
    P("rules[drop_lowest]", INT, "0 to the number of assignments in the group"),
    P("rules[drop_highest]", INT, "0 to the number of assignments in the group"),
    P("rules[never_drop][]", arr(ID), "assignment ids"),
)
_WRITE_ERRORS = ("unauthorized", "validation", "bad_json", "not_found")

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/courses/{course_id}/assignment_groups"): RouteDoc(
        "List assignment groups", "AssignmentGroupsController#index", _TAG, array_of("AssignmentGroup"),
        paginated="pages", query=LIST_QUERY, errors=("unauthorized", "not_found"),
        description="Active groups by position, then name. Students and observers see only the "
                    "published assignments visible to them."),
    ("GET", "/api/v1/courses/{course_id}/assignment_groups/{assignment_group_id}"): RouteDoc(
        "Get an Assignment Group", "AssignmentGroupsApiController#show", _TAG, "AssignmentGroup",
        query=SHOW_QUERY, errors=("unauthorized", "not_found")),
    ("POST", "/api/v1/courses/{course_id}/assignment_groups"): RouteDoc(
        "Create an Assignment Group", "AssignmentGroupsApiController#create", _TAG, "AssignmentGroup",
        body=FIELDS, errors=_WRITE_ERRORS,
        description="Top-level parameters; 200, not 201. Needs manage_assignments_add. Drop rules "
                    "above 0 fail on a new group (it has no assignments)."),
    ("PUT", "/api/v1/courses/{course_id}/assignment_groups/{assignment_group_id}"): RouteDoc(
        "Edit an Assignment Group", "AssignmentGroupsApiController#update", _TAG, "AssignmentGroup",
        body=FIELDS, errors=_WRITE_ERRORS,
        description="Only the parameters sent change; rules, when sent, replace all rules."),
    ("DELETE", "/api/v1/courses/{course_id}/assignment_groups/{assignment_group_id}"): RouteDoc(
        "Destroy an Assignment Group", "AssignmentGroupsApiController#destroy", _TAG, "AssignmentGroup",
        body=(P("move_assignments_to", ID, "an active group of the course: the assignments move to its end; "
                                           "without it they are deleted"),),
        errors=("unauthorized", "not_found"), description="Soft delete; needs manage_assignments_delete."),
}
