"""The Enrollments API (EnrollmentsApiController, app/controllers/enrollments_api_controller.rb, 2025).

Implemented (canvas-facts-enrollments-sections sections 1-4 and 6):

* ``GET /courses/:course_id/enrollments``, ``/sections/:section_id/enrollments``,
  ``/users/:user_id/enrollments`` (``self`` too): ``type[]`` (ignored when ``role[]``/``role_id[]``
  is given), ``role[]``, ``role_id[]``, ``state[]``, ``user_id`` (``self``, SIS forms),
  ``include[]`` (avatar_url, group_ids, locked, observed_users, can_be_removed, uuid,
  current_points, email), the SIS filters (``sis_user_id[]``, ``sis_section_id[]``,
  ``sis_course_id[]``, ``sis_account_id[]``; 400 without read_sis), ``grading_period_id`` (no
  grading period exists: 400); default states by caller (staff: all but rejected/completed/
  deleted; students: active/invited/creation_pending; observers: themselves and their observees);
  section-limited callers see their sections; ``users/self`` defaults to current enrollments by
  the date-based state and hides students' unpublished courses; ``state[]`` there takes the
  synthetic values (``current_and_invited`` ...; 400 ``Invalid state X`` otherwise). Sorted by
  type, sortable name, id; bookmark pages (``current``, ``next``, ``first``, ``last`` only on the
  last page) read in O(page) from the roster index.
* ``GET /accounts/:account_id/enrollments/:id``: any state, the root account's only; the user or
  an account admin.
* ``POST /courses/:course_id/enrollments`` and ``/sections/:section_id/enrollments``: every
  ``enrollment[...]`` parameter; the parameter errors joined into one 400 ``message`` before the
  permission check; reuse of the same (user, type, role, associated user, section) enrollment;
  default states by course state and type.
* ``DELETE /courses/:course_id/enrollments/:id`` (``task`` conclude / delete / inactivate /
  deactivate, in the query or the body; anything else concludes), ``PUT .../reactivate``,
  ``POST .../accept`` and ``.../reject`` (``{"success": true}``).

Limitations: no self-enrollment (``self_enrollment_code``), no ``root_account`` + SIS-id
enrollment of trusted accounts, no blueprint/template course checks, no notifications
(``notify`` is accepted and ignored), no ``enrollment_term_id`` / ``created_for_sis_id`` filters,
no temporary enrollments, no bulk_enrollment or last_attended routes; page-number pagination for
developer keys (``pagination_override_key_list``) is not offered. An ``enrollment_state`` other
than active, invited, inactive, creation_pending, completed or rejected is refused with a keyed
400 (``workflow_state``: ``is invalid``; Canvas's answer is UNVERIFIED). A linked parent (User
Observees) is not modelled: ``users/:id/enrollments`` of another user is for account admins.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .. import errors as E
from ..openapi_docs import BOOLISH, USER_REF, P, RouteDoc, array_of, id_or
from ..openapi_schemas import BOOL, ID, INT, STR, TIME, URL, USER_OPTIONAL, USER_REQUIRED, Schema, arr, const, \
    enum, nullable, obj, ref
from ..pagination import paginate_bookmarked, paginate_seek
from ..responses import params_of, render
from ..store import Store
from ..store.enrollment_rules import SELF_STATES, STAFF_DEFAULT, STUDENT_DEFAULT, SYNTHETIC
from ..store.enrollments import COURSE_TYPES
from ..store.records import Course, Enrollment, Section, User
from ..views.common import ViewContext
from ..views.enrollments import ENROLLMENT_INCLUDES, enrollment_json, roster_rights
from ._common import _page_args, current_user, includes, resolve_user, store_of, view_context
from ._params import str_list

routes = web.RouteTableDef()
BAD_REQUEST = {"errors": [{"message": "An error occurred.", "error_code": "bad_request"}]}
SIS_FILTERS = ("sis_account_id", "sis_course_id", "sis_section_id", "sis_user_id", "created_for_sis_id")
TASKS = {"conclude": "conclude", "delete": "delete", "inactivate": "deactivate", "deactivate": "deactivate"}
CURRENT = frozenset({"active", "invited"})


# -- lookups ------------------------------------------------------------------------------------
def _course_scope(request: web.Request, store: Store) -> tuple[Course, Section | None]:
    """The path's course, or the section's (in any state) and its current course."""
    if "section_id" in request.match_info:
        section = store.find("sections", request.match_info["section_id"], live=False)
        course = store.get("courses", section.course_id)
        if course is None or course.workflow_state == "deleted":
            raise E.NotFound()
        return course, section
    return store.find("courses", request.match_info["course_id"]), None


def _user_ref(request: web.Request, ref: Any) -> User:
    """A user parameter: an id, ``self`` or a SIS form (anything else is not found)."""
    if not isinstance(ref, (str, int)):
        raise E.NotFound()
    return resolve_user(request, str(ref).strip())


def _enrollment_in(store: Store, course: Course, ref: str) -> Enrollment:
    """``@context.enrollments.find``: a non-deleted enrollment of this course."""
    rid = store.path_id(ref)
    e = store.get("enrollments", rid) if rid is not None else None
    if e is None or e.course_id != course.id or e.workflow_state == "deleted":
        raise E.NotFound()
    return e


def _one(request: web.Request, store: Store, e: Enrollment, course: Course) -> web.Response:
    vc = view_context(request, store)
    return render(request, enrollment_json(vc, e, course, roster_rights(vc, course)))


# -- filters ------------------------------------------------------------------------------------
def _filters(store: Store, params: dict[str, Any], course: Course | None) -> tuple[frozenset[str] | None, Any]:
    """(types or None, a role test or None) from type[], role[] and role_id[]."""
    roles = str_list(params.get("role")) if params.get("role") is not None else []
    role_ids = str_list(params.get("role_id")) if params.get("role_id") is not None else []
    if roles or role_ids:
        wanted: set[tuple[str, int | None]] = set()
        for name in roles:
            found = store.enrollments.role_by_name(course, name) if course is not None else (
                (name, None) if name in COURSE_TYPES else _any_role(store, name=name))
            if found is None:
                raise E.BadRequest(BAD_REQUEST)
            wanted.add((found[0], found[1].id if found[1] is not None else None))
        for rid in role_ids:
            found = store.enrollments.role_by_id(course, rid) if course is not None else _any_role(store, rid=rid)
            if found is None:
                raise E.BadRequest(BAD_REQUEST)
            wanted.add((found[0], found[1].id if found[1] is not None else None))
        return frozenset(t for t, _ in wanted), lambda e: (e.type, e.role_id) in wanted
    types = params.get("type")
    if types is None:
        return None, None
    return frozenset(str_list(types)), None


def _any_role(store: Store, *, name: str | None = None, rid: Any = None) -> tuple[str, Any] | None:
    from ..store.enrollments import ROLE_TYPES
    if rid is not None:
        n = store.find_id(str(rid))
        if n in ROLE_TYPES and ROLE_TYPES[n] in COURSE_TYPES:
            return ROLE_TYPES[n], None
        role = store.get("roles", n) if n is not None else None
    else:
        role = next((x for x in store.all("roles") if x.name == name), None)
    if role is None or role.workflow_state == "deleted":
        return None
    return role.base_role_type, role


def _states(params: dict[str, Any]) -> frozenset[str] | None:
    value = params.get("state")
    if value is None:
        return None
    if isinstance(value, dict):
        raise E.BadRequest(BAD_REQUEST)
    return frozenset(str_list(value))


def _sis_filter(store: Store, params: dict[str, Any], rights: frozenset[str]):
    asked = {k: frozenset(str_list(params[k])) for k in SIS_FILTERS if params.get(k) not in (None, "", [])}
    if not asked:
        return None
    if not (rights & {"read_sis", "manage_sis"}):
        raise E.BadRequest({"message": "Insufficient permissions to filter by SIS fields"})

    def keep(e: Enrollment) -> bool:
        course = store.get("courses", e.course_id)
        for k, values in asked.items():
            if k == "sis_user_id":
                u = store.get("users", e.user_id)
                value = u.sis_user_id if u else None
            elif k == "sis_section_id":
                s = store.get("sections", e.course_section_id)
                value = s.sis_section_id if s else None
            elif k == "sis_course_id":
                value = course.sis_course_id if course else None
            elif k == "sis_account_id":
                acc = store.get("accounts", course.account_id) if course else None
                value = acc.sis_account_id if acc else None
            else:
                value = None  # created_for_sis_id: no enrollment here comes from SIS
            if value not in values:
                return False
        return True

    return keep


# -- index --------------------------------------------------------------------------------------
@routes.get("/api/v1/courses/{course_id}/enrollments")
@routes.get("/api/v1/sections/{section_id}/enrollments")
async def index(request: web.Request) -> web.Response:
    store = store_of(request)
    viewer = current_user(request)
    params = params_of(request)
    course, section = _course_scope(request, store)
    ops = store.enrollments
    vc = view_context(request, store)
    rights = roster_rights(vc, course)
    if params.get("grading_period_id") not in (None, ""):
        raise E.BadRequest({"error": "invalid grading_period_id"})
    types, role_test = _filters(store, params, course)
    states = _states(params)
    level = ops.visibility(viewer, course)
    target: User | None = None
    if params.get("user_id") not in (None, ""):
        target = _user_ref(request, params.get("user_id"))
        if target.id != viewer.id and level is None:
            raise E.Unauthorized()
        default = CURRENT
    elif level is None:
        raise E.Unauthorized()
    else:
        default = STUDENT_DEFAULT if level in ("limited", "sections_limited") else STAFF_DEFAULT
    wanted = states if states is not None else default
    sis_keep = _sis_filter(store, params, rights)
    keep_section = _section_limit(store, viewer, course, level) if target is None else None
    observed = _observed(store, viewer, course) if level == "restricted" and target is None else None

    def keep(e: Enrollment) -> bool:
        if target is not None:
            if e.user_id != target.id or e.workflow_state not in wanted:
                return False
        elif observed is not None:
            if e.user_id == viewer.id:
                if e.workflow_state == "deleted" or (states is not None and e.workflow_state not in states):
                    return False
            elif not (e.user_id in observed and e.type == "StudentEnrollment"
                      and e.workflow_state in (states or STUDENT_DEFAULT)):
                return False
        elif e.workflow_state not in wanted:
            return False
        if keep_section is not None and not keep_section(e):
            return False
        if role_test is not None and not role_test(e):
            return False
        return sis_keep is None or sis_keep(e)

    def fetch(mark: list[Any] | None, n: int) -> tuple[list[Enrollment], bool]:
        after = (mark[0], mark[1].casefold(), mark[2]) if mark else None
        return ops.course_roster(course, section, after=after, types=types, keep=keep, limit=n)

    inc = includes(params) & set(ENROLLMENT_INCLUDES)
    return _seek_response(request, store, vc, fetch, lambda e: course, rights, inc)


def _seek_response(request: web.Request, store: Store, vc: ViewContext, fetch, course_of, rights, inc) -> web.Response:
    ops = store.enrollments
    page = paginate_seek(fetch, lambda e: list(ops.roster_key(e)), ("", "", 0), **_page_args(request, 0))
    users = store.rows["users"]
    body = [enrollment_json(vc, e, course_of(e), rights, include=inc, user=users.get(e.user_id))
            for e in page.items]
    return render(request, body, headers={"Link": page.link_header})


def _section_limit(store: Store, viewer: User, course: Course, level: str | None):
    """Callers whose every enrollment is section-limited see their sections (and unlimited staff)."""
    if level not in ("sections", "sections_limited"):
        return None
    mine = store.policy.section_ids(viewer.id, course.id)
    return lambda e: e.course_section_id in mine or (
        e.type in ("TeacherEnrollment", "TaEnrollment", "DesignerEnrollment") and not e.limit_privileges_to_course_section)


def _observed(store: Store, viewer: User, course: Course) -> set[int]:
    return {e.associated_user_id for e in store.courses.enrollments_of(viewer.id, course.id)
            if e.type == "ObserverEnrollment" and e.workflow_state != "deleted" and e.associated_user_id}


@routes.get("/api/v1/users/{user_id}/enrollments")
async def user_index(request: web.Request) -> web.Response:
    """EnrollmentsApiController#index in the user scope."""
    store = store_of(request)
    viewer = current_user(request)
    params = params_of(request)
    subject = _user_ref(request, request.match_info["user_id"])
    ops = store.enrollments
    own = subject.id == viewer.id
    root = store.people.root_account_id(subject.account_id)
    if not own and not store.policy.is_admin_of(viewer, root):
        raise E.Unauthorized()
    if params.get("grading_period_id") not in (None, ""):
        raise E.BadRequest({"error": "invalid grading_period_id"})
    states = _states(params)
    if states is not None and own:
        for s in sorted(states):
            if s not in SELF_STATES:
                raise E.BadRequest({"error": f"Invalid state {s}"})
    types, role_test = _filters(store, params, None)
    vc = view_context(request, store)
    sis_keep = _sis_filter(store, params, vc.context_rights("Account", root))
    courses = store.rows["courses"]

    def keep(e: Enrollment) -> bool:
        course = courses.get(e.course_id)
        if course is None or course.workflow_state == "deleted":
            return False
        if types is not None and e.type not in types:
            return False
        if role_test is not None and not role_test(e):
            return False
        if sis_keep is not None and not sis_keep(e):
            return False
        if own and states is None:
            # current (active or invited, not soft-concluded); students' unpublished courses hidden
            if e.type in ("StudentEnrollment", "ObserverEnrollment") and course.workflow_state in ("created", "claimed"):
                return False
            return e.workflow_state in CURRENT and ops.effective_state(e) != "completed"
        if own:
            expanded: set[str] = set()
            for s in states:
                expanded.update(SYNTHETIC.get(s, (s,)))
            return ops.effective_state(e) in expanded
        return e.workflow_state in (states if states is not None else CURRENT)

    found = [e for e in ops.of_user(subject) if keep(e)]
    cache: dict[int, frozenset[str]] = {}

    def rights_of(course: Course) -> frozenset[str]:
        if course.id not in cache:
            cache[course.id] = roster_rights(vc, course)
        return cache[course.id]

    inc = includes(params) & set(ENROLLMENT_INCLUDES)
    page = paginate_bookmarked(found, lambda e: [e.type, e.id], **_page_args(request, 0))
    body = []
    for e in page.items:
        course = courses[e.course_id]
        body.append(enrollment_json(vc, e, course, rights_of(course), include=inc, user=subject))
    return render(request, body, headers={"Link": page.link_header})


# -- show ---------------------------------------------------------------------------------------
@routes.get("/api/v1/accounts/{account_id}/enrollments/{id}")
async def show(request: web.Request) -> web.Response:
    store = store_of(request)
    viewer = current_user(request)
    ref = request.match_info["account_id"]
    account = store.find("accounts", viewer.account_id if ref == "self" else ref)
    rid = store.path_id(request.match_info["id"])
    e = store.get("enrollments", rid) if rid is not None else None
    course = store.get("courses", e.course_id) if e is not None else None
    if course is None or course.root_account_id != account.id:
        raise E.NotFound()
    if e.user_id != viewer.id and not store.policy.is_admin_of(viewer, account.id):
        raise E.Unauthorized()
    return _one(request, store, e, course)


# -- create -------------------------------------------------------------------------------------
@routes.post("/api/v1/courses/{course_id}/enrollments")
@routes.post("/api/v1/sections/{section_id}/enrollments")
async def create(request: web.Request) -> web.Response:
    store = store_of(request)
    viewer = current_user(request)
    params = params_of(request)
    course, path_section = _course_scope(request, store)
    enr = params.get("enrollment")
    if not isinstance(enr, dict) or not enr:
        raise E.BadRequest({"message": "No parameters given"})
    e = store.enrollments.enroll(viewer, course, path_section, enr, lambda ref: _user_ref(request, ref))
    return _one(request, store, e, course)


# -- conclude, delete, deactivate, reactivate ---------------------------------------------------
@routes.delete("/api/v1/courses/{course_id}/enrollments/{id}")
async def destroy(request: web.Request) -> web.Response:
    store = store_of(request)
    viewer = current_user(request)
    course = store.find("courses", request.match_info["course_id"])
    e = _enrollment_in(store, course, request.match_info["id"])
    task = params_of(request).get("task")
    task = TASKS.get(task, "conclude") if isinstance(task, str) else "conclude"
    ops = store.enrollments
    if task == "conclude":
        if not ops.can_conclude(viewer, e, course):
            raise E.Unauthorized()
        ops.conclude(e)
    else:
        if not ops.can_remove(viewer, e, course):
            raise E.Unauthorized()
        ops.destroy(e) if task == "delete" else ops.deactivate(e)
    return _one(request, store, e, course)


@routes.put("/api/v1/courses/{course_id}/enrollments/{id}/reactivate")
async def reactivate(request: web.Request) -> web.Response:
    store = store_of(request)
    course = store.find("courses", request.match_info["course_id"])
    e = _enrollment_in(store, course, request.match_info["id"])
    if not store.enrollments.can_remove(current_user(request), e, course):
        raise E.Unauthorized()
    store.enrollments.reactivate(e)
    return _one(request, store, e, course)


async def _respond(request: web.Request, accept: bool) -> web.Response:
    store = store_of(request)
    course = store.find("courses", request.match_info["course_id"])
    e = _enrollment_in(store, course, request.match_info["id"])
    store.enrollments.respond(current_user(request), e, accept)
    return render(request, {"success": True})


@routes.post("/api/v1/courses/{course_id}/enrollments/{id}/accept")
async def accept(request: web.Request) -> web.Response:
    return await _respond(request, True)


@routes.post("/api/v1/courses/{course_id}/enrollments/{id}/reject")
async def reject(request: web.Request) -> web.Response:
    return await _respond(request, False)


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
TAGS = {"Enrollments": "EnrollmentsApiController"}
_TAG = "Enrollments"
PATH_PARAMS: dict[str, Schema] = {
    "section_id": id_or("sis_section_id", "sis_integration_id"),
    "id": ID,
}
_DATE = nullable(TIME)
_SCORE = {"type": ["number", "null"]}
GRADES = obj({"html_url": URL},
             {"current_grade": nullable(STR), "current_score": _SCORE, "final_grade": nullable(STR),
              "final_score": _SCORE, "unposted_current_score": _SCORE, "unposted_current_grade": nullable(STR),
              "unposted_final_score": _SCORE, "unposted_final_grade": nullable(STR), "current_points": _SCORE,
              "unposted_current_points": _SCORE},
             description="grades_hash: every score for graders, four for the student or an observer, "
                         "html_url only for others")
ENROLLMENT = obj(
    {"id": ID, "user_id": ID, "course_id": ID, "type": enum(*COURSE_TYPES, "StudentViewEnrollment"),
     "created_at": TIME, "updated_at": TIME, "associated_user_id": nullable(ID), "start_at": _DATE,
     "end_at": _DATE, "course_section_id": ID, "root_account_id": ID,
     "limit_privileges_to_course_section": BOOL,
     "enrollment_state": enum("active", "invited", "creation_pending", "completed", "inactive", "deleted",
                              "rejected"),
     "role": STR, "role_id": ID, "html_url": URL},
    {"last_activity_at": _DATE, "last_attended_at": _DATE, "total_activity_time": INT,
     "sis_import_id": nullable(INT), "grades": ref("EnrollmentGrades"),
     "sis_account_id": nullable(STR), "sis_course_id": nullable(STR), "course_integration_id": nullable(STR),
     "sis_section_id": nullable(STR), "section_integration_id": nullable(STR), "sis_user_id": nullable(STR),
     "user": obj(USER_REQUIRED, {**USER_OPTIONAL, "group_ids": arr(ID)}), "locked": BOOL,
     "observed_user": obj(USER_REQUIRED, {**USER_OPTIONAL, "enrollments": arr({"type": "object"})}),
     "can_be_removed": BOOL},
    description="enrollment_json (lib/api/v1/user.rb), keys in Canvas's order; `user` in lists only")
SUCCESS = obj({"success": const(True)})
ERROR_STRING = obj({"error": STR}, description="`{\"error\": \"...\"}`")
SCHEMAS: dict[str, Schema] = {"Enrollment": ENROLLMENT, "EnrollmentGrades": GRADES, "EnrollmentSuccess": SUCCESS}
_STATES = enum("active", "invited", "creation_pending", "deleted", "rejected", "completed", "inactive",
               "current_and_invited", "current_and_future", "current_future_and_restricted",
               "current_and_concluded", "pending_active", "pending_invited")
LIST_QUERY = (
    P("type[]", arr(STR), "base types; ignored when role[] or role_id[] is given"),
    P("role[]", arr(STR), "role names (unknown: 400)"), P("role_id[]", arr(ID), "role ids (unknown: 400)"),
    P("state[]", arr(_STATES), "workflow states; the synthetic ones in users/self only"),
    P("include[]", arr(enum(*ENROLLMENT_INCLUDES))),
    P("grading_period_id", ID, "the mock has no grading periods: always 400"),
    P("sis_user_id[]", arr(STR), "needs read_sis"), P("sis_section_id[]", arr(STR), "needs read_sis"),
    P("sis_course_id[]", arr(STR), "needs read_sis"), P("sis_account_id[]", arr(STR), "needs read_sis"),
)
COURSE_LIST_QUERY = LIST_QUERY + (P("user_id", USER_REF, "only this user's enrollments"),)
CREATE_BODY = (
    P("enrollment[user_id]", USER_REF, "required", required=True),
    P("enrollment[type]", enum(*COURSE_TYPES), "default StudentEnrollment, or the role's base type"),
    P("enrollment[role_id]", ID, "a built-in or custom course role"), P("enrollment[role]", STR, "deprecated: a role name"),
    P("enrollment[enrollment_state]", enum("active", "invited", "inactive", "creation_pending", "completed",
                                           "rejected"),
      "default: invited (published course), creation_pending (unpublished; students and observers even when "
      "invited is asked), active (registered observers)"),
    P("enrollment[course_section_id]", id_or("sis_section_id"), "an active section of the course; ignored on "
                                                                  "the section route"),
    P("enrollment[limit_privileges_to_course_section]", BOOLISH), P("enrollment[notify]", BOOLISH, "ignored"),
    P("enrollment[start_at]", TIME), P("enrollment[end_at]", TIME),
    P("enrollment[associated_user_id]", ID, "observers only"), P("enrollment[self_enrolled]", BOOLISH),
)
_CREATE_DOC = ("Parameter errors come first, joined into one 400 message; then the permission (TAs and "
               "designers add students and observers only), the section (404), the user (404 without a "
               "login on the course's root account), a concluded course (400), the model's keyed 400. "
               "The same user, type, role, associated user and section gives the same enrollment back "
               "(a deleted one revived).")

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/courses/{course_id}/enrollments"): RouteDoc(
        "List enrollments", "EnrollmentsApiController#index", _TAG, array_of("Enrollment"), paginated="bookmark",
        query=COURSE_LIST_QUERY, errors=("unauthorized", "not_found", "message", "control_error", "bad_json"),
        description="Staff see every state but rejected, completed and deleted; students active, invited and "
                    "creation_pending; observers themselves and their observees. Sorted by type, sortable "
                    "name, id."),
    ("GET", "/api/v1/sections/{section_id}/enrollments"): RouteDoc(
        "List enrollments of a section", "EnrollmentsApiController#index", _TAG, array_of("Enrollment"),
        paginated="bookmark", query=COURSE_LIST_QUERY,
        errors=("unauthorized", "not_found", "message", "control_error", "bad_json"),
        description="The section is found in any state; its current course's rules apply."),
    ("GET", "/api/v1/users/{user_id}/enrollments"): RouteDoc(
        "List a user's enrollments", "EnrollmentsApiController#index", _TAG, array_of("Enrollment"),
        paginated="bookmark", query=LIST_QUERY,
        errors=("unauthorized", "not_found", "message", "control_error", "bad_json"),
        description="Oneself, or an admin of the user's root account. users/self without state[]: current "
                    "enrollments (date-based), students' unpublished courses hidden; an unknown state: "
                    "400 {\"error\": \"Invalid state X\"}."),
    ("GET", "/api/v1/accounts/{account_id}/enrollments/{id}"): RouteDoc(
        "Enrollment by ID", "EnrollmentsApiController#show", _TAG, "Enrollment",
        errors=("unauthorized", "not_found"),
        description="Any state, among the enrollments of this root account (a sub-account: 404); the "
                    "enrollment's user or an account admin."),
    ("POST", "/api/v1/courses/{course_id}/enrollments"): RouteDoc(
        "Enroll a user", "EnrollmentsApiController#create", _TAG, "Enrollment", body=CREATE_BODY,
        errors=("unauthorized", "not_found", "message", "validation"), description=_CREATE_DOC),
    ("POST", "/api/v1/sections/{section_id}/enrollments"): RouteDoc(
        "Enroll a user in a section", "EnrollmentsApiController#create", _TAG, "Enrollment", body=CREATE_BODY,
        errors=("unauthorized", "not_found", "message", "validation"), description=_CREATE_DOC),
    ("DELETE", "/api/v1/courses/{course_id}/enrollments/{id}"): RouteDoc(
        "Conclude, deactivate, or delete an enrollment", "EnrollmentsApiController#destroy", _TAG, "Enrollment",
        query=(P("task", enum("conclude", "delete", "inactivate", "deactivate"),
                 "also in the body; missing or unknown: conclude"),),
        errors=("unauthorized", "not_found"),
        description="A teacher may conclude any enrollment (their own too) but not delete or deactivate "
                    "their own."),
    ("PUT", "/api/v1/courses/{course_id}/enrollments/{id}/reactivate"): RouteDoc(
        "Re-activate an enrollment", "EnrollmentsApiController#reactivate", _TAG, "Enrollment",
        body_kind="none", errors=("unauthorized", "not_found", "control_error"),
        description="Only from inactive: 400 {\"error\": \"enrollment not inactive\"} otherwise."),
    ("POST", "/api/v1/courses/{course_id}/enrollments/{id}/accept"): RouteDoc(
        "Accept Course Invitation", "EnrollmentsApiController#accept", _TAG, "EnrollmentSuccess",
        body_kind="none", errors=("unauthorized", "not_found", "control_error"),
        description="The invitee only. 400 {\"error\": ...}: membership not activated, self enroll, no "
                    "current invitation."),
    ("POST", "/api/v1/courses/{course_id}/enrollments/{id}/reject"): RouteDoc(
        "Reject Course Invitation", "EnrollmentsApiController#reject", _TAG, "EnrollmentSuccess",
        body_kind="none", errors=("unauthorized", "not_found", "control_error"),
        description="The invitee only; as accept."),
}
