"""The Assignments API: ``AssignmentsApiController`` (index, user_index, show, create, update;
app/controllers/assignments_api_controller.rb, modern) and ``AssignmentsController#destroy``;
canvas-facts-assignments sections 1-5. The rules are in ``mockcanvas.store.assignments`` (create,
update, delete), ``mockcanvas.store.assignment_input`` (the ``assignment[...]`` parameters),
``mockcanvas.store.assignment_lists`` (the lists), the JSON in ``mockcanvas.views.assignments``.

Implemented:

* ``GET /courses/:course_id/assignments`` and ``GET /courses/:course_id/assignment_groups/
  :assignment_group_id/assignments`` (#index): course ``read`` (a student of an unpublished course
  has none); teachers, TAs, designers and admins get every active assignment, students and
  observers the published ones assigned to them; ``search_term``, ``bucket``, ``post_to_sis``,
  ``new_quizzes``, ``assignment_ids[]`` (over 100: 400; ids not on the page: 400 ``Invalid
  assignment_ids: 7,8``), ``order_by`` (position, name, due_at), ``override_assignment_dates``,
  ``needs_grading_count_by_section``, ``include[]`` (submission, assignment_visibility, all_dates,
  overrides, observed_users, can_edit, score_statistics, ab_guid); page numbers (10 per page,
  Link headers on the course's numeric id; an unknown or foreign group is ``[]``); a teacher's
  default list costs O(page).
* ``GET /users/:user_id/courses/:course_id/assignments`` (#user_index): the list as that user sees
  it (``self`` works); allowed for the user, an observer of theirs, or a caller with
  view_all_grades when the user is a student of the course; the JSON is the user's (dates, locks,
  rights), the ``submission`` the caller's own, the Link header the course list's (Canvas builds it
  with ``api_v1_course_assignments_url``).
* ``GET /courses/:course_id/assignments/:assignment_id`` (#show, ``sis_assignment_id:`` works): 404
  for deleted and unknown; unpublished or not-assigned assignments are unauthorized for students
  and observers; ``all_dates=true`` (the boolean; ``include[]=all_dates`` is ignored here),
  ``include[]=can_submit``.
* ``POST /courses/:course_id/assignments`` (#create, **201**, unpublished unless
  ``assignment[published]``), ``PUT .../assignments/:assignment_id`` (#update, only the keys sent;
  ``assignment[override_dates]`` for the answer's dates), ``DELETE`` (soft; 200 with the deleted
  assignment). ``assignment_created`` / ``assignment_updated`` (the "Assignments" group made by a
  course's first assignment announces itself first).

Limitations: see ``mockcanvas.store.assignments`` and ``mockcanvas.views.assignments``; the
bulk update, duplicate and batch override routes are not built.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from aiohttp import web

from ..errors import BadRequest
from ..openapi_docs import BOOLISH, SEARCH_TERM, P, RouteDoc, array_of
from ..openapi_schemas import (ANY, BOOL, ID, INT, NUM, STR, TIME, Schema, arr, enum, nullable, obj, ref)
from ..pagination import paginate
from ..responses import params_of, render
from ..store.assignment_lists import BUCKETS, AssignmentLists
from ..store.assignments import Assignment
from ..views import ViewContext
from ..views.assignments import ASSIGNMENT_INCLUDES, assignment_json, own_submissions
from ._common import _page_args, base_url, current_user, includes, page_response, resolve_user, store_of, view_context
from ._params import flag

routes = web.RouteTableDef()
INDEX_INCLUDES = frozenset(ASSIGNMENT_INCLUDES) - {"can_submit"}
SHOW_INCLUDES = frozenset(ASSIGNMENT_INCLUDES) - {"all_dates"}
OPTIONS = ("override_assignment_dates", "needs_grading_count_by_section")


def _options(params: dict[str, Any], *, bucket: bool = False) -> dict[str, Any]:
    out = {k: params[k] for k in OPTIONS if k in params}
    if bucket and "bucket" in params:
        out["bucket"] = params["bucket"]
    return out


@routes.get("/api/v1/courses/{course_id}/assignments")
async def index(request: web.Request) -> web.Response:
    """AssignmentsApiController#index."""
    return _index(request, current_user(request), None)


@routes.get("/api/v1/courses/{course_id}/assignment_groups/{assignment_group_id}/assignments")
async def index_in_group(request: web.Request) -> web.Response:
    """AssignmentsApiController#index with ``assignment_group_id``."""
    return _index(request, current_user(request), request.match_info["assignment_group_id"])


@routes.get("/api/v1/users/{user_id}/courses/{course_id}/assignments")
async def user_index(request: web.Request) -> web.Response:
    """AssignmentsApiController#user_index (``require_user_visibility``)."""
    store = store_of(request)
    caller = current_user(request)
    course = store.courses.find(request.match_info["course_id"])
    user = resolve_user(request, request.match_info["user_id"])
    store.assignments.require_user_visibility(caller, user, course)
    return _index(request, user, None, course=course)


def _index(request: web.Request, user, group_ref: str | None, *, course=None) -> web.Response:
    store = store_of(request)
    params = params_of(request)
    caller = current_user(request)
    if course is None:
        course = store.courses.find(request.match_info["course_id"])
    store.assignments.require_read(user, course)
    ids = AssignmentLists(store, course, caller, user, params, group_ref).ids()
    link = f"{base_url(request)}/api/v1/courses/{course.id}/assignments"
    if group_ref is not None:
        link = f"{base_url(request)}/api/v1/courses/{course.id}/assignment_groups/{quote(group_ref, safe=':~')}/assignments"
    page = paginate(ids, load=store.rows["assignments"].get, **_page_args(request, 0, link))
    wanted = params.get("assignment_ids")
    if wanted is not None:
        wanted = [str(v) for v in (wanted if isinstance(wanted, list) else [wanted])]
        if len(page.items) != len(wanted):
            found = {str(a.id) for a in page.items}
            invalid = [v for v in wanted if v not in found]
            raise BadRequest({"message": f"Invalid assignment_ids: {','.join(invalid)}"})
    inc = includes(params) & INDEX_INCLUDES
    options = _options(params, bucket=True)
    vc = ViewContext(store=store, viewer=user, base_url=base_url(request))
    if user is caller:
        return page_response(request, page, lambda a: assignment_json(vc, a, inc, params=options))
    # user_index: the JSON is the user's, the submissions the caller's (submissions_hash)
    caller_vc = view_context(request, store)
    wants_subs = "submission" in inc

    def one(a: Assignment) -> dict[str, Any]:
        if not wants_subs:
            return assignment_json(vc, a, inc, params=options)
        subs = own_submissions(caller_vc, a, "observed_users" in inc)
        return assignment_json(vc, a, inc, params=options, submission=subs)

    return page_response(request, page, one)


@routes.get("/api/v1/courses/{course_id}/assignments/{assignment_id}")
async def show(request: web.Request) -> web.Response:
    """AssignmentsApiController#show."""
    store = store_of(request)
    params = params_of(request)
    user = current_user(request)
    course = store.courses.find(request.match_info["course_id"])
    a = store.assignments.find_in_course(course.id, request.match_info["assignment_id"])
    store.assignments.require_show(user, course, a)
    inc = includes(params) & SHOW_INCLUDES
    if flag(params, "all_dates"):
        inc.add("all_dates")
    return render(request, assignment_json(view_context(request, store), a, inc, params=_options(params)))


@routes.post("/api/v1/courses/{course_id}/assignments")
async def create(request: web.Request) -> web.Response:
    """AssignmentsApiController#create: 201."""
    store = store_of(request)
    course = store.courses.find(request.match_info["course_id"])
    a = store.assignments.create(course, current_user(request), params_of(request).get("assignment"))
    return render(request, assignment_json(view_context(request, store), a), status=201)


@routes.put("/api/v1/courses/{course_id}/assignments/{assignment_id}")
async def update(request: web.Request) -> web.Response:
    """AssignmentsApiController#update."""
    store = store_of(request)
    course = store.courses.find(request.match_info["course_id"])
    a = store.assignments.find_in_course(course.id, request.match_info["assignment_id"])
    fields = params_of(request).get("assignment")
    store.assignments.update(a, current_user(request), fields)
    options = {}
    if isinstance(fields, dict) and "override_dates" in fields:
        options["override_assignment_dates"] = fields["override_dates"]  # assignment_json_opts
    return render(request, assignment_json(view_context(request, store), a, params=options))


@routes.delete("/api/v1/courses/{course_id}/assignments/{assignment_id}")
async def destroy(request: web.Request) -> web.Response:
    """AssignmentsController#destroy: a soft delete, the deleted assignment's JSON."""
    store = store_of(request)
    course = store.courses.find(request.match_info["course_id"])
    a = store.assignments.find_in_course(course.id, request.match_info["assignment_id"])
    store.assignments.delete(a, current_user(request))
    return render(request, assignment_json(view_context(request, store), a))


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
TAGS = {"Assignments": "AssignmentsApiController"}
_TAG = "Assignments"
DATE = nullable(TIME)
LOCK_INFO = obj({"asset_string": STR}, {"unlock_at": TIME, "lock_at": TIME, "can_view": BOOL})
ALL_DATES_ENTRY = obj({"due_at": DATE, "unlock_at": DATE, "lock_at": DATE},
                      {"id": ID, "title": STR, "base": BOOL, "set_type": STR, "set_id": nullable(ID),
                       "in_closed_grading_period": BOOL, "can_edit": BOOL})
ASSIGNMENT = obj(
    {"id": ID, "due_at": DATE, "unlock_at": DATE, "lock_at": DATE,
     "points_possible": nullable(NUM), "grading_type": STR, "assignment_group_id": ID,
     "grading_standard_id": nullable(ID), "created_at": TIME, "updated_at": TIME, "peer_reviews": BOOL,
     "automatic_peer_reviews": BOOL, "position": INT, "grade_group_students_individually": BOOL,
     "anonymous_peer_reviews": BOOL, "group_category_id": nullable(ID), "post_to_sis": BOOL,
     "moderated_grading": BOOL, "omit_from_final_grade": BOOL, "intra_group_peer_reviews": BOOL,
     "anonymous_instructor_annotations": BOOL, "anonymous_grading": BOOL, "graders_anonymous_to_graders": BOOL,
     "grader_count": INT, "grader_comments_visible_to_graders": BOOL, "final_grader_id": nullable(ID),
     "grader_names_visible_to_final_grader": BOOL, "allowed_attempts": INT,
     "annotatable_attachment_id": nullable(ID), "hide_in_gradebook": BOOL, "secure_params": STR,
     "lti_context_id": STR, "course_id": ID, "name": STR, "submission_types": arr(STR),
     "has_submitted_submissions": BOOL, "due_date_required": BOOL, "max_name_length": INT,
     "graded_submissions_exist": BOOL, "is_quiz_assignment": BOOL, "can_duplicate": BOOL,
     "original_course_id": nullable(ID), "original_assignment_id": nullable(ID),
     "original_lti_resource_link_id": nullable(STR), "original_assignment_name": nullable(STR),
     "original_quiz_id": nullable(ID), "workflow_state": enum("published", "unpublished", "deleted"),
     "important_dates": BOOL, "muted": BOOL, "html_url": STR, "published": BOOL,
     "only_visible_to_overrides": BOOL, "visible_to_everyone": BOOL, "locked_for_user": BOOL,
     "submissions_download_url": STR, "post_manually": BOOL, "anonymize_students": BOOL,
     "require_lockdown_browser": BOOL, "restrict_quantitative_data": BOOL},
    {"description": nullable(STR), "lock_info": LOCK_INFO, "lock_explanation": STR,
     "in_closed_grading_period": BOOL, "overrides": array_of("AssignmentOverride"), "has_overrides": BOOL,
     "peer_review_count": INT, "peer_reviews_assign_at": DATE,
     "needs_grading_count_by_section": arr(obj({"section_id": STR, "needs_grading_count": INT})),
     "needs_grading_count": INT, "sis_assignment_id": nullable(STR), "integration_id": nullable(STR),
     "integration_data": {"type": "object"}, "allowed_extensions": arr(STR), "all_dates": arr(ALL_DATES_ENTRY),
     "all_dates_count": INT, "can_edit": BOOL, "unpublishable": BOOL, "assignment_visibility": arr(STR),
     "submission": {"anyOf": [ref("Submission"), arr(ref("Submission"))]},
     "score_statistics": obj({"min": NUM, "max": NUM, "mean": NUM}), "bucket": enum(*BUCKETS),
     "can_submit": BOOL, "ab_guid": arr(STR)},
    description="assignment_json (lib/api/v1/assignment.rb): has_overrides/unpublishable for "
                "managers, needs_grading_count with manage_grades, SIS keys with read_sis (teachers, "
                "admins), lock_info/lock_explanation when locked for the user; the rest by include[]")
# the submission JSON of include[]=submission (mockcanvas.views.submissions; no submissions routes yet)
SUBMISSION = obj(
    {"id": ID, "body": nullable(STR), "url": nullable(STR), "submitted_at": DATE, "assignment_id": ID,
     "user_id": ID, "submission_type": nullable(STR), "workflow_state": STR,
     "grade_matches_current_submission": BOOL, "graded_at": DATE, "grader_id": nullable(INT),
     "attempt": nullable(INT), "cached_due_date": DATE, "excused": nullable(BOOL),
     "late_policy_status": nullable(STR), "points_deducted": nullable(NUM), "grading_period_id": nullable(ID),
     "extra_attempts": nullable(INT), "posted_at": DATE, "redo_request": BOOL,
     "custom_grade_status_id": nullable(ID), "sticker": nullable(STR), "late": BOOL, "missing": BOOL,
     "seconds_late": INT},
    {"grade": nullable(STR), "score": nullable(NUM), "entered_grade": nullable(STR), "entered_score": nullable(NUM),
     "group": obj({"id": nullable(ID), "name": nullable(STR)}), "preview_url": STR, "html_url": STR,
     "assignment_visible": BOOL, "anonymous_id": STR},
    description="submission_json (lib/api/v1/submission.rb): grade keys only when the caller may read the grade")
SCHEMAS: dict[str, Schema] = {
    "Assignment": ASSIGNMENT,
    "Submission": SUBMISSION,
    "ErrorEmptyErrors": obj({"errors": obj({})}, description="student_annotation without a readable "
                                                            "annotatable_attachment_id: {\"errors\": {}}"),
}
ERROR_KINDS = {"empty_errors": (400, ("ErrorEmptyErrors",))}
INCLUDE = P("include[]", arr(enum(*sorted(INDEX_INCLUDES))),
            "assignment_visibility needs read_as_admin / manage_grades / a manage-assignments right; "
            "overrides a manage-assignments right; observed_users makes submission an array")
LIST_QUERY = (
    INCLUDE, SEARCH_TERM,
    P("bucket", enum(*BUCKETS), "anything else: 400"),
    P("assignment_ids[]", arr(ID), "at most 100; ids missing from the page: 400"),
    P("order_by", enum("position", "name", "due_at"), "unknown values: position"),
    P("post_to_sis", BOOLISH, "any value filters"),
    P("new_quizzes", BOOLISH, "no New Quizzes in the mock: []"),
    P("override_assignment_dates", BOOLISH, "default true"),
    P("needs_grading_count_by_section", BOOLISH),
)
_LIST_ERRORS = ("unauthorized", "search_term", "validation", "message", "not_found")


def _field(name: str, schema: Schema, text: str = "") -> Any:
    return P(f"assignment[{name}]", schema, text)


FIELDS = (
    _field("name", STR, "missing: the group's name singularized or \"Assignment\"; blank: 400 title blank"),
    _field("description", STR, "sanitized HTML"),
    _field("position", INT), _field("points_possible", NUM, "0 to 999999999; blank: 0"),
    _field("grading_type", enum("points", "percent", "letter_grade", "gpa_scale", "pass_fail", "not_graded")),
    _field("submission_types[]", arr(STR)), _field("allowed_extensions[]", arr(STR)),
    _field("due_at", DATE, "ISO 8601 with seconds; no zone: the caller's; local midnight: 23:59:59"),
    _field("lock_at", DATE), _field("unlock_at", DATE),
    _field("assignment_group_id", ID, "a positive number; not a group of the course: the first group"),
    _field("group_category_id", ID, "a group set of this course, else null"),
    _field("grade_group_students_individually", BOOLISH), _field("peer_reviews", BOOLISH),
    _field("automatic_peer_reviews", BOOLISH), _field("peer_review_count", INT),
    _field("peer_reviews_assign_at", DATE), _field("anonymous_peer_reviews", BOOLISH),
    _field("intra_group_peer_reviews", BOOLISH), _field("published", BOOLISH, "default false (create)"),
    _field("only_visible_to_overrides", BOOLISH), _field("omit_from_final_grade", BOOLISH),
    _field("hide_in_gradebook", BOOLISH, "needs omit_from_final_grade and 0 points"),
    _field("post_to_sis", BOOLISH), _field("sis_assignment_id", STR, "manage_sis only, else ignored"),
    _field("integration_id", STR, "manage_sis only"), _field("integration_data", ANY, "manage_sis only"),
    _field("allowed_attempts", INT, "-1: unlimited"), _field("moderated_grading", BOOLISH),
    _field("grader_count", INT), _field("final_grader_id", ID), _field("anonymous_grading", BOOLISH),
    _field("important_dates", BOOLISH), _field("annotatable_attachment_id", ID),
    _field("assignment_overrides[]", arr({"type": "object"}), "replaces the overrides"),
)

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/courses/{course_id}/assignments"): RouteDoc(
        "List assignments", "AssignmentsApiController#index", _TAG, array_of("Assignment"), paginated="pages",
        query=LIST_QUERY, errors=_LIST_ERRORS,
        description="Group position, then position, then id. Students and observers: the published "
                    "assignments assigned to them."),
    ("GET", "/api/v1/courses/{course_id}/assignment_groups/{assignment_group_id}/assignments"): RouteDoc(
        "List assignments", "AssignmentsApiController#index", _TAG, array_of("Assignment"), paginated="pages",
        query=LIST_QUERY, errors=_LIST_ERRORS, description="The group's assignments; an unknown group: []."),
    ("GET", "/api/v1/users/{user_id}/courses/{course_id}/assignments"): RouteDoc(
        "List assignments for user", "AssignmentsApiController#user_index", _TAG, array_of("Assignment"),
        paginated="pages", query=LIST_QUERY, errors=_LIST_ERRORS,
        description="The user, an observer of theirs, or a grader of a student of the course."),
    ("GET", "/api/v1/courses/{course_id}/assignments/{assignment_id}"): RouteDoc(
        "Get a single assignment", "AssignmentsApiController#show", _TAG, "Assignment",
        query=(P("include[]", arr(enum(*sorted(SHOW_INCLUDES)))), P("all_dates", BOOLISH),
               P("override_assignment_dates", BOOLISH), P("needs_grading_count_by_section", BOOLISH)),
        errors=("unauthorized", "not_found"),
        description="Unpublished or not-assigned assignments: unauthorized for students and observers."),
    ("POST", "/api/v1/courses/{course_id}/assignments"): RouteDoc(
        "Create an assignment", "AssignmentsApiController#create", _TAG, "Assignment", status=201,
        body=FIELDS, errors=("unauthorized", "missing", "validation", "empty_errors", "bad_json", "not_found"),
        description="Needs manage_assignments_add. Unpublished unless assignment[published]."),
    ("PUT", "/api/v1/courses/{course_id}/assignments/{assignment_id}"): RouteDoc(
        "Edit an assignment", "AssignmentsApiController#update", _TAG, "Assignment",
        body=FIELDS + (_field("override_dates", BOOLISH, "the answer's dates"),
                       _field("force_updated_at", BOOLISH)),
        errors=("unauthorized", "missing", "validation", "empty_errors", "bad_json", "not_found"),
        description="Only the keys sent change. Needs manage_assignments_edit (and manage_grades to "
                    "change points or grading type once graded)."),
    ("DELETE", "/api/v1/courses/{course_id}/assignments/{assignment_id}"): RouteDoc(
        "Delete an assignment", "AssignmentsController#destroy", _TAG, "Assignment", body_kind="none",
        errors=("unauthorized", "not_found"), description="Soft delete; needs manage_assignments_delete."),
}
